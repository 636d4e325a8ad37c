#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Supervision under load (test/guest/stest, group restart): clients keep calling
the echo and counter test servers while stest crashes them 100 times and
hangs them 20 times through the svc protocol. stest itself checks that each
comes back and answers, that the clients see only E_RESTARTED or E_TIMEOUT
and then success, that the count survives, and that the kernel's free
frames and object counts come back exactly. Here the log must also show
the supervisor's side: one fault line per crash, one missed heartbeat per
hang, no service given up, no kernel EXCEPTION or PANIC. guest_tests.py
judges stest's TEST lines; the clients' NOTE lines (calls answered,
restarted, timed out) become figures. test_supervise_slowpath.py runs the
same with `fastpath=off`, so both IPC paths meet servers dying mid-call."""

import re

from guest_tests import finish
from harness import TestRun

GUEST_TIME = 4  # -icount shift=4: heartbeats and back-off judged in guest time
RUN_TIMEOUT_S = 120  # measured: about 15-20 s of wall time under -icount shift=4
STEST_TESTS = 21  # registered in stest, of which run=stest:restart runs one

FAULTED = re.compile(r"^svc: (echo|counter) \(pid \d+\) faulted: .*; injected: restart now$")
HUNG = re.compile(r"^svc: (echo|counter) \(pid \d+\) missed its heartbeat; injected: restart now$")


def supervise(run, kargs=""):
    with run.machine(args=f"run=stest:restart {kargs}".strip(), icount=GUEST_TIME,
                     timeout=RUN_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "stest", RUN_TIMEOUT_S, min_registered=STEST_TESTS)
    faults = sum(1 for line in lines if FAULTED.search(line))
    hangs = sum(1 for line in lines if HUNG.search(line))
    run.figure("supervise_faults_handled", faults)
    run.figure("supervise_hangs_handled", hangs)
    # stest also crashes and hangs each server once to warm up: 102 and 22.
    run.check(faults >= 100, "at least 100 crashes handled by the supervisor", f"{faults}")
    run.check(hangs >= 20, "at least 20 hangs found by the heartbeat", f"{hangs}")
    given_up = [line for line in lines if "giving up" in line]
    run.check(not given_up, "no service given up", given_up[0] if given_up else "")
    return lines


def main(run):
    supervise(run)


if __name__ == "__main__":
    TestRun.main("qemu-supervise", main)
