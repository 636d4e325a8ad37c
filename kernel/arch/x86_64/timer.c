/* SPDX-License-Identifier: MIT */
/*
 * Timer calibration and the LAPIC timer tick. The TSC and the LAPIC timer
 * are measured over 10 ms of the ACPI PM timer (3.579545 MHz, from the FADT);
 * without one, PIT channel 2 times the same window. The LAPIC timer then
 * interrupts at TICK_HZ, or once when armed with timer_oneshot.
 *
 * The wait reads the PM timer only every POLL_SPIN pauses and scales by
 * the ticks that really passed: under QEMU's -icount each port read ends a
 * translation block and costs the host microseconds, and 10 ms of guest
 * time is 10 million instructions, so reading at every turn of the loop
 * took the host many seconds (over a minute on a loaded host).
 */
#include "acpi/acpi.h"
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/clock.h"
#include "kernel/printk.h"

#define PM_TIMER_HZ   3579545u
#define PIT_HZ	      1193182u
#define CALIBRATE_MS  10
#define PIT_CH2_DATA  0x42
#define PIT_CMD	      0x43
#define PIT_GATE_PORT 0x61
#define LAPIC_DIVIDER 16
#define POLL_SPIN     256

static uint64_t lapic_hz; /* LAPIC timer counts per second after the divider */
static const char *calibration_source = "none";

static uint32_t pm_read(uint16_t port, uint32_t mask)
{
	return inl(port) & mask;
}

/*
 * Busy-wait at least CALIBRATE_MS on the PM timer, handling 24-bit
 * wrap-around; the PM ticks that passed.
 */
static uint32_t wait_pm_timer(uint16_t port, bool wide)
{
	uint32_t mask = wide ? 0xFFFFFFFFu : 0xFFFFFFu;
	uint32_t target = PM_TIMER_HZ / 1000 * CALIBRATE_MS;
	uint32_t start = pm_read(port, mask), passed;

	while ((passed = (pm_read(port, mask) - start) & mask) < target)
		for (int i = 0; i < POLL_SPIN; i++)
			cpu_relax();
	return passed;
}

/* Busy-wait CALIBRATE_MS with PIT channel 2 in one-shot mode. */
static void wait_pit(void)
{
	uint16_t count = PIT_HZ / 1000 * CALIBRATE_MS;

	outb(PIT_GATE_PORT, (inb(PIT_GATE_PORT) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xB0);					  /* ch 2, lo/hi, mode 0 */
	outb(PIT_CH2_DATA, count & 0xFF);
	outb(PIT_CH2_DATA, count >> 8);
	while (!(inb(PIT_GATE_PORT) & 0x20))
		cpu_relax();
}

static void calibrate(const struct acpi_info *ai)
{
	bool pm = ai && ai->has_fadt && ai->fadt.pm_timer_present;

	/* the window as measured: `ticks` of a clock running at `hz` */
	uint64_t ticks = CALIBRATE_MS, hz = 1000;

	lapic_timer_start(0xFFFFFFFFu, false);
	uint64_t tsc0 = rdtsc();
	if (pm) {
		ticks = wait_pm_timer(ai->fadt.pm_timer_port, ai->fadt.pm_timer_32bit);
		hz = PM_TIMER_HZ;
	} else {
		wait_pit();
	}
	uint64_t tsc1 = rdtsc();
	uint32_t elapsed = 0xFFFFFFFFu - lapic_timer_current();
	lapic_timer_stop();
	calibration_source = pm ? "ACPI PM timer" : "PIT";
	lapic_hz = (uint64_t)elapsed * hz / ticks;
	clock_start((tsc1 - tsc0) * hz / ticks);
}

static struct trap_frame *timer_irq(struct trap_frame *tf, void *ctx)
{
	(void)tf;
	(void)ctx;
	lapic_eoi();
	clock_tick();
	return NULL;
}

int timer_init(const struct acpi_info *ai)
{
	calibrate(ai);
	if (lapic_hz == 0 || clock_tsc_hz() == 0)
		return -1;
	trap_set_handler(VEC_TIMER, timer_irq, NULL);
	klog("timer: calibrated against the %s: TSC %lu kHz, LAPIC timer %lu kHz, tick %d Hz\n",
	     calibration_source, clock_tsc_hz() / 1000, lapic_hz / 1000, TICK_HZ);
	timer_periodic();
	return 0;
}

const char *timer_calibration_source(void)
{
	return calibration_source;
}

void timer_periodic(void)
{
	lapic_timer_start((uint32_t)(lapic_hz / TICK_HZ), true);
}

void timer_oneshot(uint64_t ns)
{
	uint64_t count = lapic_hz * MIN(ns, 60000000000ull) / 1000000000ull;

	lapic_timer_start((uint32_t)MAX(MIN(count, 0xFFFFFFFFull), 1), false);
}
