#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fallbacks when firmware information is missing: with no framebuffer
(-vga none) and ACPI ignored (acpi=off), the kernel warns, calibrates its
timer with the PIT instead of the ACPI PM timer, and the clock and timer
self-tests still pass (guest_tests.py judges their TEST lines)."""

from guest_tests import judge
from harness import EXIT_SUCCESS, TestRun

TESTS = ("core.clock_monotonic", "core.timer_oneshot")
BOOT_TIMEOUT_S = 150

EXPECT = [
    r"warning: multiboot2: no framebuffer tag",
    r"warning: no usable framebuffer; the serial console is the only output",
    r"warning: ACPI disabled on the command line; using legacy defaults",
    r"warning: no I/O APIC found; device interrupts unavailable",
    r"timer: calibrated against the PIT",
    r"kernel: ready in \d+ us",
    r"TEST SUMMARY kernel: 2 passed, 0 failed, 2 run, \d+ registered",
]


def main(run):
    with run.machine(args="acpi=off ktest=" + ",".join(TESTS), extra=("-vga", "none"),
                     icount=True) as m:  # guest time follows instructions: never late
        m.start()
        # Booting under -icount is slower in wall time (the firmware's own
        # waits run instruction by instruction); after that, lines come fast.
        m.wait_for(EXPECT[0], timeout=BOOT_TIMEOUT_S)
        for pattern in EXPECT[1:]:
            m.wait_for(pattern, timeout=30)
        run.check(m.wait_exit(30) == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}")
        judge(run, m.lines(), "kernel")
        for test in TESTS:  # any order
            passed = any(line.startswith(f"TEST {test} PASS") for line in m.lines())
            run.check(passed, f"TEST {test} PASS")


if __name__ == "__main__":
    TestRun.main("qemu-fallbacks", main)
