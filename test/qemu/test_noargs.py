#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kernel arguments absent or unknown: with no kargs disk at all (GRUB's
search for /kargs.cfg fails) and with an argument the kernel does not know,
the kernel boots normally, runs no self-tests and keeps running."""

from harness import TestFailure, TestRun

READY = r"kernel: ready in (\d+) us"
SETTLE_S = 2  # how long the kernel must stay up after ready


def boot(run, args, label):
    with run.machine(args=args) as m:
        m.start()
        blocks = m.hmp("info block")
        run.check(("kargs" in blocks) == bool(args),
                  f"{label}: kargs disk {'attached' if args else 'absent'}")
        m.wait_for(READY, timeout=30)
        try:
            m.wait_exit(SETTLE_S)
        except TestFailure:
            pass  # still running, as it should be
        run.check(m.running(), f"{label}: still running {SETTLE_S} s after ready",
                  f"exited with status {m.exit_status}")
        lines = m.lines()
        bad = [l for l in lines if "EXCEPTION" in l or "PANIC" in l]
        run.check(not bad, f"{label}: no EXCEPTION or PANIC", bad[0] if bad else "")
        tests = [l for l in lines if l.startswith("TEST ")]
        run.check(not tests, f"{label}: no self-tests ran", tests[0] if tests else "")


def main(run):
    boot(run, "", "no args")
    boot(run, "harness.unknown=1", "unknown arg")


if __name__ == "__main__":
    TestRun.main("qemu-noargs", main)
