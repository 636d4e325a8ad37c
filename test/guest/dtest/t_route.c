/* SPDX-License-Identifier: MIT */
/*
 * The IRQ route (suite route): an interrupt from ring 3 that signals a
 * notification whose first waiter outranks every ready thread runs that
 * waiter at once (fastpath_irq_signal, kernel/ipc/fastpath.c); every other
 * case goes through ntfn_signal and the scheduler. qemu-dtest runs this
 * suite with the fastpath on and again with `fastpath=off`, and each case
 * checks exactly what a driver sees, so both paths must agree: the waiter
 * above the interrupted thread runs before that thread's next instruction,
 * one below it only when the interrupted thread blocks, bits raised while
 * nobody waits are kept, a masked MSI is held until the acknowledgement,
 * an unbound line is only counted, and a notification bound to an
 * endpoint reaches a receiver there.
 */
#include "dtest.h"
#include "sys/thread.h"

#define WAITER_PRIORITY 5 /* below dtest's own: a process starts no thread above itself */

struct route {
	handle_t irq, ntfn;
	volatile int go, after, waiting, done;
	volatile long bits;
};

static long make_line(struct route *r, int bind)
{
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	if (irq <= 0 || n <= 0)
		return E_NOMEM;
	r->irq = (handle_t)irq;
	r->ntfn = (handle_t)n;
	return bind ? sys_irq_bind(r->irq, r->ntfn, 1) : E_OK;
}

static void drop_line(struct route *r)
{
	sys_handle_close(r->irq);
	sys_handle_close(r->ntfn);
}

static uint64_t count_of(handle_t irq)
{
	struct irq_info info;

	return sys_irq_info(irq, &info) == E_OK ? info.count : ~0ull;
}

/* Below the driver: raises the line when told, and notes that it ran on after. */
static void trigger_below(void *arg)
{
	struct route *r = arg;

	while (!r->go)
		sys_yield();
	sys_irq_trigger(r->irq);
	r->after = 1;
	r->done = 1;
}

/* The trigger thread raises the line while we wait; `after`: it ran on before we did. */
static long wait_for_trigger(struct route *r, uint64_t timeout, int *after)
{
	handle_t th;
	long err = thread_spawn(trigger_below, r, WAITER_PRIORITY, &th);

	if (err)
		return err;
	r->go = 1;
	long bits = sys_ntfn_wait(r->ntfn, timeout);
	*after = r->after;
	sys_irq_ack(r->irq);
	dt_wait_done(&r->done);
	sys_handle_close(th);
	r->go = 0, r->done = 0, r->after = 0;
	return bits;
}

TEST(route, route_waiter_above, "a driver waiting above the interrupted thread runs at once")
{
	struct route r = {0};
	int after = -1;

	T_EQ(make_line(&r, 1), E_OK);
	T_EQ(wait_for_trigger(&r, 1000 * MS, &after), 1); /* with a timeout: it is cancelled */
	T_EQ(after, 0); /* the trigger thread was interrupted before its next line */
	T_EQ(wait_for_trigger(&r, TIMEOUT_NEVER, &after), 1); /* and without one */
	T_EQ(after, 0);
	T_EQ(count_of(r.irq), 2);
	drop_line(&r);
}

/* A waiter below dtest: notes the bits once it runs. */
static void wait_below(void *arg)
{
	struct route *r = arg;

	r->waiting = 1;
	r->bits = sys_ntfn_wait(r->ntfn, 2000 * MS);
	r->done = 1;
}

TEST(route, route_waiter_below, "a driver waiting below the interrupted thread runs when it blocks")
{
	struct route r = {0};
	handle_t th;

	T_EQ(make_line(&r, 1), E_OK);
	T_EQ(thread_spawn(wait_below, &r, WAITER_PRIORITY, &th), E_OK); /* it waits below us */
	while (!r.waiting)
		sys_sleep(MS); /* it runs while we sleep, and blocks in its wait */
	sys_sleep(MS);
	T_EQ(sys_irq_trigger(r.irq), E_OK);
	int done = r.done;
	T_EQ(done, 0); /* made ready, but we run on */
	dt_wait_done(&r.done);
	T_EQ(r.bits, 1);
	T_EQ(sys_irq_ack(r.irq), E_OK);
	sys_handle_close(th);
	drop_line(&r);
}

TEST(route, route_busy_and_masked,
     "bits raised while the driver is busy are kept; a masked MSI waits for the ack")
{
	struct route r = {0};

	T_EQ(make_line(&r, 1), E_OK);
	T_EQ(sys_irq_trigger(r.irq), E_OK); /* nobody waits: the bits stay */
	T_EQ(sys_ntfn_wait(r.ntfn, 0), 1);
	T_EQ(sys_irq_trigger(r.irq), E_OK); /* masked until the ack: held */
	T_EQ(count_of(r.irq), 2);
	T_EQ(sys_ntfn_wait(r.ntfn, 0), E_TIMEOUT);
	T_EQ(sys_irq_ack(r.irq), E_OK); /* delivered now */
	T_EQ(sys_ntfn_wait(r.ntfn, 0), 1);
	T_EQ(sys_irq_ack(r.irq), E_OK);
	drop_line(&r);
}

TEST(route, route_unbound, "an unbound line is counted and delivers nothing")
{
	struct route r = {0};

	T_EQ(make_line(&r, 0), E_OK);
	T_EQ(sys_irq_trigger(r.irq), E_OK);
	T_EQ(count_of(r.irq), 1);
	T_EQ(sys_ntfn_wait(r.ntfn, 0), E_TIMEOUT);
	drop_line(&r);
}

TEST(route, route_bound_endpoint, "a notification bound to an endpoint reaches a receiver there")
{
	struct route r = {0};
	struct ipc_msg m = {0};
	handle_t th;

	T_EQ(make_line(&r, 1), E_OK);
	T_HANDLE(ep, sys_ep_create());
	T_EQ(sys_ep_bind(ep, r.ntfn), E_OK);
	T_EQ(thread_spawn(trigger_below, &r, WAITER_PRIORITY, &th), E_OK);
	r.go = 1;
	T_EQ(ipc_recv(ep, &m, 1000 * MS), E_OK);
	T_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_NOTIFY);
	T_EQ(m.badge, 1);
	T_EQ(r.after, 0);
	T_EQ(sys_irq_ack(r.irq), E_OK);
	dt_wait_done(&r.done);
	sys_handle_close(th);
	sys_handle_close(ep);
	drop_line(&r);
}
