#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""In-guest tests of the syscall ABI (test/guest/utest): boots with run=utest.
Every TEST line must say PASS, each test must report once, the summary must
account for every registered test (at least the 93 utest has), init must
report exit code 0 for utest, QEMU must exit 33, and the kernel must never
print EXCEPTION or PANIC (the children utest crashes on purpose show up as
`fault:` lines instead). guest_tests.py judges the log; NOTE lines become
figures."""

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 150  # measured: 3-5 s of wall time for the run
MIN_REGISTERED = 93


def main(run):
    with run.machine(args="run=utest", timeout=RUN_TIMEOUT_S) as m:
        m.start()
        finish(run, m, "utest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True)


if __name__ == "__main__":
    TestRun.main("qemu-utest", main)
