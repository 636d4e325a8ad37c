/* SPDX-License-Identifier: MIT */
/*
 * The IRQ latency benchmark (suite irq, run last as it always was): the
 * time from interrupt entry (the kernel's TSC stamp of the last firing)
 * until the driver thread waiting on the notification runs, as the median
 * of 201 firings raised by a lower-priority thread. Prints
 * `BENCH irq_to_driver <median> ticks n=<k>` for ./run bench
 * (test/qemu/test_bench.py), which runs it under -icount where ticks are
 * guest instructions.
 */
#include "dtest.h"
#include "sys/thread.h"

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
TEST(irq, irq_latency, "interrupt entry until the waiting driver runs (BENCH irq_to_driver)")
{
	enum { N = 201 };
	static uint64_t lat[N];
	struct irq_info info;
	struct trigger tr = {0};
	handle_t thread;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	T_ASSERT(irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	tr.irq = (handle_t)irq;
	T_ASSERT(thread_spawn(trigger_loop, &tr, 5, &thread) == E_OK);
	for (int i = 0; i < N; i++) {
		tr.go = 1;
		long bits = sys_ntfn_wait((handle_t)n, 1000 * MS);
		uint64_t now = sys_rdtsc();
		T_ASSERT(bits == 1);
		T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK);
		lat[i] = now - info.last_entry_tsc;
		T_EQ(sys_irq_ack((handle_t)irq), E_OK); /* an MSI stays masked until then */
	}
	tr.stop = 1;
	dt_wait_done(&tr.done);
	sort_u64(lat, N);
	printf("BENCH irq_to_driver %lu ticks n=%d\n", (unsigned long)lat[N / 2], N);
	sys_handle_close(thread);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}
