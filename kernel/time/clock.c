/* SPDX-License-Identifier: MIT */
/*
 * The monotonic clock and tick count. The TSC rate is measured once at boot
 * by timer_init; clock_ns converts TSC cycles since clock_mark_boot (kernel entry) with a 32.32
 * fixed-point multiplier, so reading the time is one RDTSC and one multiply.
 */
#include "kernel/clock.h"

#include "arch/cpu.h"

static uint64_t tsc_base, tsc_hz, ns_per_tsc_fp; /* 32.32 fixed point */
static volatile uint64_t ticks;
static void (*tick_hook)(void);

void clock_mark_boot(void)
{
	tsc_base = rdtsc();
}

void clock_start(uint64_t hz)
{
	tsc_hz = hz;
	ns_per_tsc_fp = (1000000000ull << 32) / hz;
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t clock_ns(void)
{
	if (!ns_per_tsc_fp)
		return 0;
	unsigned __int128 d = rdtsc() - tsc_base;
	return (uint64_t)((d * ns_per_tsc_fp) >> 32);
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
