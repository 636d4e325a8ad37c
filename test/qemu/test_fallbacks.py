#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fallbacks when firmware information is missing: with no framebuffer
(-vga none) and ACPI ignored (acpi=off), the kernel warns, calibrates its
timer with the PIT instead of the ACPI PM timer, and the clock and timer
self-tests still pass."""

from harness import EXIT_SUCCESS, TestRun

EXPECT = [
    r"warning: multiboot2: no framebuffer tag",
    r"warning: no usable framebuffer; the serial console is the only output",
    r"warning: ACPI disabled on the command line; using legacy defaults",
    r"warning: no I/O APIC found; device interrupts unavailable",
    r"timer: calibrated against the PIT",
    r"kernel: ready in \d+ us",
    r"KTEST SUMMARY 2 passed, 0 failed, \d+ registered",
]


def main(run):
    with run.machine(args="acpi=off ktest=clock_monotonic,timer_oneshot",
                     extra=("-vga", "none")) as m:
        m.start()
        for pattern in EXPECT:
            m.wait_for(pattern, timeout=30)
        run.check(m.wait_exit(30) == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}")
        for test in ("clock_monotonic", "timer_oneshot"):  # any order
            run.check(f"KTEST {test} PASS" in m.lines(), f"KTEST {test} PASS")
        bad = [l for l in m.lines() if "EXCEPTION" in l or "PANIC" in l]
        run.check(not bad, "no EXCEPTION or PANIC", bad[0] if bad else "")


if __name__ == "__main__":
    TestRun.main("qemu-fallbacks", main)
