/* SPDX-License-Identifier: MIT */
/*
 * IRQ tests (suite irq): an MSI vector reaches its notification with the
 * bound bits; a level-triggered line is masked when it fires and unmasked by
 * SYS_IRQ_ACK; a storm on such a line cannot starve anyone (each firing
 * waits for an acknowledgement). The latency from interrupt entry to the
 * driver is measured last, in t_latency.c.
 */
#include "dtest.h"
#include "sys/spawn.h"
#include "sys/thread.h"

#define TEST_GSI 10 /* an ISA line nothing on q35 uses */

TEST(irq, irq_msi, "an MSI vector reaches its notification with the bound bits")
{
	struct irq_info info;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	T_ASSERT(irq > 0 && n > 0);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK);
	T_ASSERT(info.gsi == 0xFFFFFFFFu && info.vector >= 0x80);
	T_ASSERT((info.msi_address & 0xFFF00000ull) == 0xFEE00000ull);
	T_ASSERT(info.msi_data == info.vector);
	T_ASSERT(sys_irq_bind((handle_t)irq, (handle_t)n, 0) == E_INVAL); /* no bits */
	T_ASSERT(sys_irq_bind((handle_t)irq, (handle_t)n, 0x10) == E_OK);
	T_ASSERT(sys_irq_trigger((handle_t)irq) == E_OK);
	T_ASSERT(sys_ntfn_wait((handle_t)n, 1000 * MS) == 0x10);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && info.count == 1);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}

TEST(irq, irq_level_masked_until_ack,
     "a level-triggered line is masked from its firing until acknowledged, and while unbound")
{
	struct irq_info info;
	long irq = sys_irq_create(dt_handle("irq"), TEST_GSI, IRQ_LEVEL);
	long n = sys_ntfn_create();

	T_ASSERT(irq > 0 && n > 0);
	T_ASSERT(sys_irq_create(dt_handle("irq"), TEST_GSI, 0) == E_BUSY); /* one owner */
	T_ASSERT(sys_irq_create(dt_handle("irq"), 100000, 0) == E_RANGE);
	T_ASSERT(sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && !info.masked);
	T_ASSERT(sys_irq_trigger((handle_t)irq) == E_OK);
	T_ASSERT(sys_ntfn_wait((handle_t)n, 1000 * MS) == 1);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && info.masked); /* until ack */
	T_ASSERT(sys_irq_ack((handle_t)irq) == E_OK);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && !info.masked);
	sys_handle_close((handle_t)n); /* the driver's notification goes: line masked */
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && info.masked);
	T_ASSERT(sys_irq_ack((handle_t)irq) == E_OK);
	T_ASSERT(sys_irq_info((handle_t)irq, &info) == E_OK && info.masked); /* unbound */
	sys_handle_close((handle_t)irq);
	long again = sys_irq_create(dt_handle("irq"), TEST_GSI, IRQ_LEVEL); /* freed */
	T_ASSERT(again > 0);
	sys_handle_close((handle_t)again);
}

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

/*
 * A driver that acknowledges at once while its line fires without pause: a
 * thread of the same priority still gets its share (round robin), because
 * each firing waits for the driver's acknowledgement.
 */
TEST(irq, irq_storm_no_starvation,
     "a line that fires without pause leaves a thread of the same priority its share")
{
	struct spinner s = {0};
	handle_t other;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	T_ASSERT(irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	T_ASSERT(thread_spawn(spin, &s, SPAWN_DEFAULT_PRIORITY, &other) == E_OK);
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
	dt_wait_done(&s.done);
	sys_kinfo(&k1);
	test_note("storm", (uint64_t)fired, "firings");
	test_note("storm_other_thread", s.loops, "loops");
	test_note("storm", k1.ticks - k0.ticks, "ticks");
	test_note("storm", (sys_clock() - start) / MS, "ms");
	T_ASSERT(fired >= 100);
	T_ASSERT(s.loops >= 100000); /* the storm left CPU time to the other thread */
	sys_handle_close(other);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}
