#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""In-kernel self-tests: boot with ktest=all, every KTEST line must pass, the
summary must account for every registered test, and QEMU must exit 33."""

import re

from harness import EXIT_SUCCESS, TestRun

RESULT = re.compile(r"\bKTEST (\S+) (PASS|FAIL)(?::\s*(.*))?$")
SUMMARY = r"KTEST SUMMARY (\d+) passed, (\d+) failed, (\d+) registered"
SUMMARY_TIMEOUT_S = 120


def check_results(run, lines):
    """One check per KTEST line; returns how many passed."""
    names, passed = [], 0
    for line in lines:
        found = RESULT.search(line)
        if not found or found.group(1) == "SUMMARY":
            continue
        name, verdict, reason = found.groups()
        names.append(name)
        passed += verdict == "PASS"
        run.check(verdict == "PASS", f"ktest {name}", reason or "FAIL")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    run.check(not duplicates, "each ktest reported once", ", ".join(duplicates))
    return passed


def check_summary(run, summary, pass_lines):
    passed, failed, registered = map(int, summary.groups())
    run.figure("ktest_registered", registered)
    run.check(registered >= 1, "at least one ktest registered", f"registered={registered}")
    run.check(failed == 0, "summary: 0 failed", f"failed={failed}")
    run.check(passed == registered, "summary: passed == registered",
              f"passed={passed} registered={registered}")
    run.check(pass_lines == passed, "one PASS line per passed test",
              f"{pass_lines} PASS lines, summary says {passed}")


def main(run):
    with run.machine(args="ktest=all", timeout=SUMMARY_TIMEOUT_S) as m:
        m.start()
        summary = m.wait_for(SUMMARY, timeout=SUMMARY_TIMEOUT_S)
        pass_lines = check_results(run, m.lines())
        check_summary(run, summary, pass_lines)
        status = m.wait_exit(30)
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")


if __name__ == "__main__":
    TestRun.main("qemu-ktest", main)
