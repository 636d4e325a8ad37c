#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The syscall fuzzer (test/guest/fuzz): boots with run=fuzz:N:SEED under
-icount, so the same seed makes the same calls at the same guest times.
Passes when the regression cases pass, every syscall number was issued and
most succeeded at least once, the summary says N calls were made and the
SYS_KINFO counters came back, init reports exit code 0 for fuzz, QEMU exits
33, the kernel never printed EXCEPTION or PANIC, and all of it within a
wall-clock bound (a hung kernel fails it).

`./run fuzz [N] [SEED]` runs this same script with FUZZ_CALLS, FUZZ_SEED and
FUZZ_ECHO=1, which prints the fuzzer's lines as they arrive."""

import os
import re
import time

from harness import EXIT_SUCCESS, TestFailure, TestRun

SUITE_CALLS = 400000  # about 20 s of wall time alone, 40-60 s beside the other tests
CALLS = int(os.environ.get("FUZZ_CALLS", str(SUITE_CALLS)), 0)
SEED = int(os.environ.get("FUZZ_SEED", "1"), 0)
FIRST = int(os.environ.get("FUZZ_FIRST", "0"), 0)
ECHO = bool(os.environ.get("FUZZ_ECHO"))
# Wall-clock bound, boot included: a hung kernel fails it. Measured about
# 20,000-40,000 calls a second on the 2-core machine; the suite's run stays
# under meson's 180 s.
TIMEOUT_S = 170 if CALLS <= SUITE_CALLS else 120 + CALLS // 1000

LINE = r"fuzz: |PANIC|EXCEPTION"
STARTED = re.compile(r"fuzz: \d+ calls from seed")
SUMMARY = re.compile(r"fuzz: (\d+) calls, seed (\d+), (\d+) children, (\d+) killed; "
                     r"kinfo back: (yes|no); (\d+) ms")
REGRESSION = re.compile(r"fuzz: regression (\S+) (ok|FAILED)")
ISSUED = re.compile(r"fuzz: every syscall issued: (yes|no)")
SUCCEEDED = re.compile(r"fuzz: (\d+) of (\d+) syscalls succeeded at least once")
EXITED = r"init: fuzz exited with code (-?\d+)"
MIN_SUCCEEDED = 36  # all but the device calls, which need handles the fuzzer lacks


def follow(m, deadline):
    """Wait for the summary line (complete lines only), echoing the fuzzer's
    lines if asked; returns it, the arrival time of the line that starts the
    calls and that of the summary."""
    seen, started = 0, None
    while True:
        lines, _, generation = m.log.snapshot()
        for arrived, text in lines[seen:]:
            if ECHO and re.search(LINE, text):
                print(text, flush=True)
            if started is None and STARTED.search(text):
                started = arrived
            summary = SUMMARY.search(text)
            if summary:
                return summary, started or arrived, arrived
        seen = len(lines)
        if m.log.closed:
            raise TestFailure(f"QEMU exited before the fuzzer's summary\n{m.tail()}")
        if time.monotonic() >= deadline:
            raise TestFailure(f"no summary after {TIMEOUT_S} s: a hang?\n{m.tail()}")
        m.log.wait(generation, min(deadline, time.monotonic() + 1))


def check_lines(run, lines):
    regressions = [REGRESSION.search(line) for line in lines]
    regressions = [r for r in regressions if r]
    run.check(regressions, "the regression cases ran")
    for r in regressions:
        run.check(r.group(2) == "ok", f"regression {r.group(1)}")
    issued = next((m for m in map(ISSUED.search, lines) if m), None)
    if CALLS >= 100000:  # the exits are rare on purpose: about one call in 18,000
        run.check(issued and issued.group(1) == "yes", "every syscall number was issued")
    succeeded = next((m for m in map(SUCCEEDED.search, lines) if m), None)
    if succeeded and CALLS >= 20000:
        ok = int(succeeded.group(1))
        run.figure("fuzz_syscalls_succeeded", ok)
        run.check(ok >= MIN_SUCCEEDED, f"at least {MIN_SUCCEEDED} syscalls succeeded", f"{ok}")
    bad = [line for line in lines if "EXCEPTION" in line or "PANIC" in line]
    run.check(not bad, "no EXCEPTION or PANIC in the serial log", bad[0] if bad else "")
    leaks = [line for line in lines if "left kernel objects behind" in line]
    run.check(not leaks, "no child left kernel objects behind", leaks[0] if leaks else "")


def check_summary(run, summary, wall_s):
    calls, seed, children, killed, back, guest_ms = summary.groups()
    run.check(int(calls) >= CALLS, f"{CALLS} calls made", f"{calls}")
    run.check(int(seed) == SEED, f"seed {SEED}", f"seed {seed}")
    run.check(back == "yes", "kinfo counters back after the children were reaped")
    run.figure("fuzz_calls", int(calls))
    run.figure("fuzz_children", int(children))
    run.figure("fuzz_killed", int(killed))
    run.figure("fuzz_guest_ms", int(guest_ms))
    run.figure("fuzz_wall_s", round(wall_s, 1))
    run.figure("fuzz_calls_per_wall_s", int(int(calls) / max(wall_s, 0.1)))


def main(run):
    args = f"run=fuzz:{CALLS}:{SEED}:{FIRST}"
    with run.machine(args=args, icount=True, timeout=TIMEOUT_S) as m:
        m.start()
        summary, _, ended = follow(m, m.start_time + TIMEOUT_S)
        wall_s = ended - m.start_time  # serial lines arrive in bursts under -icount: boot included
        exited = m.wait_for(EXITED, timeout=30, since=0)
        status = m.wait_exit(30)
        check_lines(run, m.lines())
        check_summary(run, summary, wall_s)
        run.check(exited.group(1) == "0", "init: fuzz exited with code 0",
                  f"code {exited.group(1)}")
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")


if __name__ == "__main__":
    TestRun.main("qemu-fuzz", main)
