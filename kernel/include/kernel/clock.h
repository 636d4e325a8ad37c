/* SPDX-License-Identifier: MIT */
/*
 * Time. clock_ns() is a monotonic clock in nanoseconds since the kernel
 * started, read from the TSC scaled by the rate measured at boot. The timer
 * tick comes from the local APIC timer, periodic or one-shot; the scheduler
 * will hook it through clock_set_tick_hook.
 */
#pragma once

#include "kernel/types.h"

struct acpi_info;

#define TICK_HZ 100

/* Nanoseconds since kernel entry; 0 until the timer is calibrated. */
uint64_t clock_ns(void);
/* clock_ns's scale (fastpath.asm computes it too): TSC at entry, ns per cycle in 32.32. */
extern uint64_t clock_tsc_base, clock_ns_per_tsc_fp;
void clock_mark_boot(void);
void clock_start(uint64_t tsc_hz);
uint64_t clock_tsc_hz(void);

/* Timer interrupts handled since boot. */
uint64_t clock_ticks(void);
void clock_tick(void);
void clock_set_tick_hook(void (*hook)(void));

/* Calibrate the TSC and LAPIC timer (ACPI PM timer, else PIT) and start the tick. */
int timer_init(const struct acpi_info *ai);
const char *timer_calibration_source(void);
/* Program the next tick: periodic at TICK_HZ, or once after `ns`. */
void timer_periodic(void);
void timer_oneshot(uint64_t ns);
