# SPDX-License-Identifier: MIT
"""Judging an stest run (test/guest/stest) from its serial log: one check per
STEST result line, the summary, init's report of stest's exit code, the
QEMU exit status, no kernel EXCEPTION or PANIC, and the `stest: what N`
measurements as figures. Shared by the supervision system tests."""

import re

from harness import EXIT_SUCCESS

RESULT = re.compile(r"^STEST (\S+) (PASS|FAIL)(?:\s*\(\d+ ms\))?(?::\s*(.*))?$")
SUMMARY = r"^STEST SUMMARY (\d+) passed, (\d+) failed, (\d+) run$"
EXITED = r"init: stest exited with code (-?\d+)"
NOTE = re.compile(r"^stest: (.*?) (\d+)$")


def run_stest(run, machine, timeout):
    """Start `machine` (args run=stest:...), wait for the end, check it all.
    Returns the serial lines."""
    machine.start()
    summary = machine.wait_for(SUMMARY, timeout=timeout)
    exited = machine.wait_for(EXITED, timeout=30)
    status = machine.wait_exit(30)
    lines = machine.lines()
    names = []
    for line in lines:
        found = RESULT.search(line)
        if found:
            name, verdict, reason = found.groups()
            names.append(name)
            run.check(verdict == "PASS", f"stest {name}", reason or "FAIL")
    passed, failed, ran = map(int, summary.groups())
    run.check(failed == 0 and passed == ran and ran == len(names) and ran > 0,
              "summary: every test run passed", summary.group(0))
    run.check(exited.group(1) == "0", "init: stest exited with code 0", exited.group(1))
    run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")
    bad = [line for line in lines if "EXCEPTION" in line or "PANIC" in line]
    run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")
    for line in lines:
        found = NOTE.search(line)
        if found:
            key = re.sub(r"[^a-z0-9]+", "_", found.group(1).lower()).strip("_")
            run.figure(f"stest_{key}", int(found.group(2)))
    return lines
