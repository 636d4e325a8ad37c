#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""In-kernel self-tests: boot with ktest=all; every TEST line must pass, the
summary must account for every registered test (at least the 24 of
kernel/tests and kernel/arch/x86_64/ktests.c), and QEMU must exit 33
(guest_tests.py judges the log)."""

from guest_tests import finish
from harness import TestRun

SUMMARY_TIMEOUT_S = 120
MIN_REGISTERED = 24


def main(run):
    # -icount: the timer tests measure guest time, which then follows executed
    # instructions, so a loaded host cannot make them late.
    with run.machine(args="ktest=all", icount=True, timeout=SUMMARY_TIMEOUT_S) as m:
        m.start()
        finish(run, m, "kernel", SUMMARY_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True,
               init=False)


if __name__ == "__main__":
    TestRun.main("qemu-ktest", main)
