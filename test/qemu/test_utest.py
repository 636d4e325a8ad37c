#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""In-guest tests of the syscall ABI (test/guest/utest): boots with run=utest.
Every TEST line must say PASS, each test must report once, the summary must
account for every registered test (at least the 93 utest has), init must
report exit code 0 for utest, QEMU must exit 33, and the kernel must never
print EXCEPTION or PANIC (the children utest crashes on purpose show up as
`fault:` lines instead). guest_tests.py judges the log; NOTE lines become
figures.

utest boots twice, with the IPC fastpath on and with `fastpath=off` (the
general path only), and both runs must give the same results: the same
tests passing and the same NOTE fastpath_trace, the hash of everything the
random call/reply/recv sequence of t_fastpath.c saw."""

import re

from guest_tests import finish, results
from harness import TestRun

RUN_TIMEOUT_S = 150  # measured: 3-5 s of wall time for the run
MIN_REGISTERED = 94


FASTPATH_TAKEN = re.compile(r"ipc: fastpath took (\d+) syscalls$")
TRACE = re.compile(r"^NOTE fastpath_trace (\d+) hash$")


def boot(run, args, mode):
    # -icount: the scheduling tests judge shares of guest time, which then
    # follows executed instructions, so a loaded host cannot skew them.
    with run.machine(args=args, icount=True, timeout=RUN_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "utest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True)
        run.check(any(line.endswith(f"ipc: fastpath {mode}") for line in lines),
                  f"the kernel says: ipc: fastpath {mode}")
        taken = [int(found.group(1)) for found in map(FASTPATH_TAKEN.search, lines) if found]
        run.check(len(taken) == 1 and (taken[0] > 1000 if mode == "on" else taken[0] == 0),
                  f"the fastpath took {'over 1000' if mode == 'on' else 'no'} syscalls", f"{taken}")
        traces = [found.group(1) for found in map(TRACE.match, lines) if found]
        run.check(len(traces) == 1, f"one fastpath_trace with the fastpath {mode}")
        return {r.name: r.passed for r in results(lines)}, traces


def main(run):
    fast, fast_trace = boot(run, "run=utest", "on")
    slow, slow_trace = boot(run, "run=utest fastpath=off", "off (fastpath=off)")
    run.check(fast == slow, "the same tests pass with the fastpath on and off",
              f"differ: {sorted(k for k in fast.keys() | slow.keys() if fast.get(k) != slow.get(k))}")
    run.check(fast_trace == slow_trace, "the same fastpath_trace on both paths",
              f"{fast_trace} vs {slow_trace}")


if __name__ == "__main__":
    TestRun.main("qemu-utest", main)
