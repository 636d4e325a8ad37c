#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""In-guest tests of the syscall ABI (test/guest/utest): boots with run=utest. Every
UTEST line must say PASS, each test must report once, the summary must
account for every registered test, init must report exit code 0 for utest,
QEMU must exit 33, and the kernel must never print EXCEPTION or PANIC (the
children utest crashes on purpose show up as `fault:` lines instead)."""

import re

from harness import EXIT_SUCCESS, TestRun

RESULT = re.compile(r"^UTEST (\S+) (PASS|FAIL)(?::\s*(.*))?$")
SUMMARY = r"^UTEST SUMMARY (\d+) passed, (\d+) failed, (\d+) registered$"
EXITED = r"init: utest exited with code (-?\d+)"
NOTE = re.compile(r"^utest: (.*?) (\d+) (ms|us)$")
RUN_TIMEOUT_S = 150  # measured: 3-5 s of wall time for the run


def check_results(run, lines):
    """One check per UTEST result line; returns the names that passed."""
    names, passed = [], []
    for line in lines:
        found = RESULT.search(line)
        if not found:
            continue
        name, verdict, reason = found.groups()
        names.append(name)
        if verdict == "PASS":
            passed.append(name)
        run.check(verdict == "PASS", f"utest {name}", reason or "FAIL")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    run.check(not duplicates, "each utest reported once", ", ".join(duplicates))
    return passed


def check_summary(run, summary, passed_names):
    passed, failed, registered = map(int, summary.groups())
    run.figure("utest_registered", registered)
    run.check(registered >= 50, "at least 50 utests registered", f"registered={registered}")
    run.check(failed == 0, "summary: 0 failed", f"failed={failed}")
    run.check(passed == registered, "summary: passed == registered",
              f"passed={passed} registered={registered}")
    run.check(len(passed_names) == passed, "one PASS line per passed test",
              f"{len(passed_names)} PASS lines, summary says {passed}")


def report_notes(run, lines):
    for line in lines:
        found = NOTE.search(line)
        if found:
            what, value, unit = found.groups()
            key = re.sub(r"[^a-z0-9]+", "_", what.lower()).strip("_")
            run.figure(f"utest_{key}_{unit}", int(value))


def main(run):
    with run.machine(args="run=utest", timeout=RUN_TIMEOUT_S) as m:
        m.start()
        summary = m.wait_for(SUMMARY, timeout=RUN_TIMEOUT_S)
        exited = m.wait_for(EXITED, timeout=30)
        status = m.wait_exit(30)
        lines = m.lines()
        check_summary(run, summary, check_results(run, lines))
        run.check(exited.group(1) == "0", "init: utest exited with code 0",
                  f"code {exited.group(1)}")
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")
        bad = [line for line in lines if "EXCEPTION" in line or "PANIC" in line]
        run.check(not bad, "no EXCEPTION or PANIC in the serial log", bad[0] if bad else "")
        report_notes(run, lines)


if __name__ == "__main__":
    TestRun.main("qemu-utest", main)
