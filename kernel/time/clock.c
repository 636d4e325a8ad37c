/* SPDX-License-Identifier: MIT */
/*
 * The monotonic clock and tick count. The TSC rate is measured once at boot
 * by timer_init; clock_ns converts TSC cycles since clock_mark_boot (kernel entry) with a 32.32
 * fixed-point multiplier, so reading the time is one RDTSC and one multiply.
 */
#include "kernel/clock.h"

#include "arch/cpu.h"

/* TSC at kernel entry, and nanoseconds per TSC cycle in 32.32 fixed point (0 until
 * calibrated); fastpath.asm reads both to arm a call's timeout. */
uint64_t clock_tsc_base, clock_ns_per_tsc_fp;
static uint64_t tsc_hz;
static volatile uint64_t ticks;
static void (*tick_hook)(void);

void clock_mark_boot(void)
{
	clock_tsc_base = rdtsc();
}

void clock_start(uint64_t hz)
{
	tsc_hz = hz;
	clock_ns_per_tsc_fp = (1000000000ull << 32) / hz;
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t clock_ns(void)
{
	unsigned __int128 d = rdtsc() - clock_tsc_base;
	return (uint64_t)((d * clock_ns_per_tsc_fp) >> 32); /* 0 until calibrated */
}

uint64_t clock_ticks(void)
{
	return ticks;
}

void clock_set_tick_hook(void (*hook)(void))
{
	tick_hook = hook;
}

void clock_tick(void)
{
	ticks++;
	if (tick_hook)
		tick_hook();
}
