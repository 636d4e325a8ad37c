#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_supervise.py with the IPC fastpath off (`fastpath=off`): the same
crashes, hangs and checks on the general IPC path alone, so a difference
between the two paths in how calls cut off by a dying server end
(E_RESTARTED, E_TIMEOUT, then success) fails one of the two."""

from harness import TestRun
from test_supervise import supervise


def main(run):
    lines = supervise(run, "fastpath=off")
    run.check(any(line.endswith("ipc: fastpath off (fastpath=off)") for line in lines),
              "the kernel says: ipc: fastpath off")


if __name__ == "__main__":
    TestRun.main("qemu-supervise-slowpath", main)
