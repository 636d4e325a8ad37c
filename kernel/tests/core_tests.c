/* SPDX-License-Identifier: MIT */
/*
 * Self-tests of the clock, the timer tick, the command line and the
 * formatter, run on the booted kernel with interrupts on.
 */
#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "kernel/bootinfo.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "test/test.h"

static void wait_ticks(uint64_t n)
{
	uint64_t until = clock_ticks() + n;
	while (clock_ticks() < until)
		cpu_wait_irq();
}

TEST(core, clock_monotonic, "clock_ns never goes backwards and advances with the tick")
{
	uint64_t last = clock_ns();

	for (int i = 0; i < 10000; i++) {
		uint64_t now = clock_ns();
		T_ASSERT(now >= last);
		last = now;
	}
	uint64_t t0 = clock_ns();
	wait_ticks(3);
	uint64_t dt = clock_ns() - t0;
	/*
	 * 3 ticks at TICK_HZ: at least 2 tick periods of clock time. Under TCG a
	 * loaded host delivers ticks late, so the upper bound only catches a
	 * clock that is grossly off (a calibration wrong by 5x or more).
	 */
	T_ASSERT(dt >= 2 * 1000000000ull / TICK_HZ);
	T_ASSERT(dt <= 20 * 1000000000ull / TICK_HZ);
}

TEST(core, timer_oneshot, "a one-shot timer fires once after its delay")
{
	irq_disable();
	uint64_t t0 = clock_ns(), ticks0 = clock_ticks();
	timer_oneshot(3000000); /* 3 ms */
	while (clock_ticks() == ticks0)
		cpu_wait_irq();
	irq_disable();
	uint64_t dt = clock_ns() - t0;
	uint64_t ticks1 = clock_ticks();
	for (volatile int i = 0; i < 1000000; i++) /* ~ms of work: no second tick */
		;
	irq_enable();
	cpu_relax();
	bool single = clock_ticks() == ticks1;
	timer_periodic();
	/* at least its delay; late only by what a loaded TCG host adds */
	T_ASSERT(dt >= 2900000 && dt < 200000000);
	T_ASSERT(single);
}

TEST(core, acpi_tables, "MADT, FADT and MCFG of the q35 machine were parsed")
{
	const struct acpi_info *ai = kernel_acpi_info();

	T_ASSERT(ai->has_madt && ai->madt.ioapic_count >= 1 && ai->madt.cpu_count >= 1);
	T_ASSERT(ai->has_fadt && ai->fadt.pm_timer_present);
	T_ASSERT(ai->has_mcfg && ai->ecam_count >= 1);
	T_ASSERT(strcmp(timer_calibration_source(), "ACPI PM timer") == 0);
}

TEST(core, cmdline_lookup, "command-line keys, values and lists are found exactly")
{
	char saved[512], v[16];

	ksnprintf(saved, sizeof(saved), "%s", cmdline_raw());
	cmdline_set("ktest=a,bb quiet kcrashx=1 mem=512 ");
	bool ok = cmdline_get("mem", v, sizeof(v)) && strcmp(v, "512") == 0 &&
		  cmdline_get("quiet", v, sizeof(v)) && v[0] == '\0' &&
		  !cmdline_get("kcrash", v, sizeof(v)) && cmdline_list_has("ktest", "bb") &&
		  !cmdline_list_has("ktest", "b") && cmdline_get("ktest", v, 3) &&
		  strcmp(v, "a,") == 0;
	cmdline_set(saved);
	T_ASSERT(ok);
}

TEST(core, format, "the formatter handles widths, signs, hex and truncation")
{
	char b[64];

	ksnprintf(b, sizeof(b), "%d|%5u|%-4s|%08lx|%c|%zu", -42, 7u, "ab", 0xbeefUL, 'z',
		  (size_t)9);
	T_ASSERT(strcmp(b, "-42|    7|ab  |0000beef|z|9") == 0);
	T_ASSERT(ksnprintf(b, 4, "%s", "abcdef") == 6 && strcmp(b, "abc") == 0);
	ksnprintf(b, sizeof(b), "%ld %p", (long)-9000000000, (void *)0x10);
	T_ASSERT(strcmp(b, "-9000000000 0x10") == 0);
}
