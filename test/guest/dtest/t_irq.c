/* SPDX-License-Identifier: MIT */
/*
 * IRQ tests: an MSI vector reaches its notification with the bound bits; a
 * level-triggered line is masked when it fires and unmasked by SYS_IRQ_ACK;
 * a storm on such a line cannot starve anyone (each firing waits for an
 * acknowledgement); and the latency from interrupt entry to the driver.
 */
#include "dtest.h"
#include "sys/spawn.h"
#include "sys/thread.h"

#define TEST_GSI 10 /* an ISA line nothing on q35 uses */

static void irq_msi(struct dtest_ctx *t)
{
	struct irq_info info;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	DT_CHECK(t, irq > 0 && n > 0);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK);
	DT_CHECK(t, info.gsi == 0xFFFFFFFFu && info.vector >= 0x80);
	DT_CHECK(t, (info.msi_address & 0xFFF00000ull) == 0xFEE00000ull);
	DT_CHECK(t, info.msi_data == info.vector);
	DT_CHECK(t, sys_irq_bind((handle_t)irq, (handle_t)n, 0) == E_INVAL); /* no bits */
	DT_CHECK(t, sys_irq_bind((handle_t)irq, (handle_t)n, 0x10) == E_OK);
	DT_CHECK(t, sys_irq_trigger((handle_t)irq) == E_OK);
	DT_CHECK(t, sys_ntfn_wait((handle_t)n, 1000 * MS) == 0x10);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && info.count == 1);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}
const struct dtest dtest_irq_msi = {"irq_msi", irq_msi};

static void irq_level(struct dtest_ctx *t)
{
	struct irq_info info;
	long irq = sys_irq_create(dt_handle("irq"), TEST_GSI, IRQ_LEVEL);
	long n = sys_ntfn_create();

	DT_CHECK(t, irq > 0 && n > 0);
	DT_CHECK(t, sys_irq_create(dt_handle("irq"), TEST_GSI, 0) == E_BUSY); /* one owner */
	DT_CHECK(t, sys_irq_create(dt_handle("irq"), 100000, 0) == E_RANGE);
	DT_CHECK(t, sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && !info.masked);
	DT_CHECK(t, sys_irq_trigger((handle_t)irq) == E_OK);
	DT_CHECK(t, sys_ntfn_wait((handle_t)n, 1000 * MS) == 1);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && info.masked); /* until ack */
	DT_CHECK(t, sys_irq_ack((handle_t)irq) == E_OK);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && !info.masked);
	sys_handle_close((handle_t)n); /* the driver's notification goes: line masked */
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && info.masked);
	DT_CHECK(t, sys_irq_ack((handle_t)irq) == E_OK);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && info.masked); /* unbound */
	sys_handle_close((handle_t)irq);
	long again = sys_irq_create(dt_handle("irq"), TEST_GSI, IRQ_LEVEL); /* freed */
	DT_CHECK(t, again > 0);
	sys_handle_close((handle_t)again);
}
const struct dtest dtest_irq_level = {"irq_level_masked_until_ack", irq_level};

struct spinner {
	volatile uint64_t loops;
	volatile int stop, done;
};

static void spin(void *arg)
{
	struct spinner *s = arg;
	while (!s->stop)
		s->loops++;
	s->done = 1;
}

/* Threads here use their creator's stack frame: wait until they are finished. */
static void wait_done(volatile int *done)
{
	for (int i = 0; i < 2000 && !*done; i++)
		sys_sleep(MS);
}

/*
 * A driver that acknowledges at once while its line fires without pause: a
 * thread of the same priority still gets its share (round robin), because
 * each firing waits for the driver's acknowledgement.
 */
static void irq_storm(struct dtest_ctx *t)
{
	struct spinner s = {0};
	handle_t other;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	DT_CHECK(t, irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	DT_CHECK(t, thread_spawn(spin, &s, SPAWN_DEFAULT_PRIORITY, &other) == E_OK);
	struct kinfo k0, k1;
	sys_kinfo(&k0);
	uint64_t start = sys_clock();
	int fired = 0;
	/* Storm until the other thread has clearly run, for at most 2 s. */
	while (sys_clock() - start < 2000 * MS && (fired < 100 || s.loops < 100000)) {
		sys_irq_trigger((handle_t)irq);
		if (sys_ntfn_wait((handle_t)n, 100 * MS) > 0)
			fired++;
		sys_irq_ack((handle_t)irq); /* an MSI stays masked until then */
	}
	s.stop = 1;
	wait_done(&s.done);
	sys_kinfo(&k1);
	printf("dtest: storm: %d firings, other thread %lu loops, %lu ticks, %lu ms\n", fired,
	       (unsigned long)s.loops, (unsigned long)(k1.ticks - k0.ticks),
	       (unsigned long)((sys_clock() - start) / MS));
	DT_CHECK(t, fired >= 100);
	DT_CHECK(t, s.loops >= 100000); /* the storm left CPU time to the other thread */
	sys_handle_close(other);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}
const struct dtest dtest_irq_storm = {"irq_storm_no_starvation", irq_storm};

struct trigger {
	handle_t irq;
	volatile int go, stop, done;
};

/* Lower priority than the driver: it only runs while the driver waits. */
static void trigger_loop(void *arg)
{
	struct trigger *tr = arg;

	while (!tr->stop) {
		if (tr->go) {
			tr->go = 0;
			sys_irq_trigger(tr->irq);
		}
		sys_yield();
	}
	tr->done = 1;
}

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
}

/* From interrupt entry (the kernel's TSC stamp) until the waiting driver runs. */
static void irq_latency(struct dtest_ctx *t)
{
	enum { N = 201 };
	static uint64_t lat[N];
	struct irq_info info;
	struct trigger tr = {0};
	handle_t thread;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	DT_CHECK(t, irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	tr.irq = (handle_t)irq;
	DT_CHECK(t, thread_spawn(trigger_loop, &tr, 5, &thread) == E_OK);
	for (int i = 0; i < N; i++) {
		tr.go = 1;
		long bits = sys_ntfn_wait((handle_t)n, 1000 * MS);
		uint64_t now = sys_rdtsc();
		DT_CHECK(t, bits == 1);
		DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK);
		lat[i] = now - info.last_entry_tsc;
		DT_CHECK(t, sys_irq_ack((handle_t)irq) == E_OK);
	}
	tr.stop = 1;
	wait_done(&tr.done);
	sort_u64(lat, N);
	printf("BENCH irq_to_driver %lu ticks n=%d\n", (unsigned long)lat[N / 2], N);
	sys_handle_close(thread);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}
const struct dtest dtest_irq_latency = {"irq_latency", irq_latency};
