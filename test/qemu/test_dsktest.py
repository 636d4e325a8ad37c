#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The desktop from a client's side: boots with run=dsktest, which checks
that keystrokes reach only the focused window, that the pointer reaches the
window under it in window coordinates, that a press raises a covered
window, that every bad request (hostile surfaces, sizes, titles, too many
windows, others' windows, ranges, short and unknown requests, a lying event
ring, a flood of commits) is refused without harm, and that a client that
faults loses only its own window (test/guest/dsktest). guest_tests.py
judges the TEST lines."""

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 120
MIN_REGISTERED = 9


def main(run):
    with run.machine(args="run=dsktest", timeout=RUN_TIMEOUT_S) as m:
        m.start()
        finish(run, m, "dsktest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True)


if __name__ == "__main__":
    TestRun.main("qemu-dsktest", main)
