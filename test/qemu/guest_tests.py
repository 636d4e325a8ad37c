# SPDX-License-Identifier: MIT
"""Judging a run of the in-guest test framework (test/test.h in
libsys/common: the kernel's self-tests, utest, stest, dtest) from the
serial log. The framework prints

    TEST <suite>.<name> PASS (<ms> ms)
    TEST <suite>.<name> FAIL: <what> (<file>:<line>)
    NOTE <key> <value> <unit>
    TEST SUMMARY <program>: <p> passed, <f> failed, <r> run, <n> registered

judge() makes one check per TEST line, checks that no test reported twice
and that the summary accounts for every line (and, for a whole run, for
every registered test), turns NOTE lines into figures
(<program>_<key>_<unit>) and checks the log for kernel EXCEPTION or PANIC.
finish() waits for the summary first and, for a ring-3 program, for init's
report of its exit code, then the QEMU exit status.

Several programs may run in one boot (run=ipcbench,stest:bench,!dtest):
a program's lines are those after the previous summary up to its own.

    with run.machine(args="run=utest") as m:
        m.start()
        lines = finish(run, m, "utest", timeout=150, min_registered=80, whole=True)
"""

import re
from collections import namedtuple

from harness import EXIT_SUCCESS

# Without a disk the serial console's rescue shell may print its prompt "$ "
# while a test program runs, and the program's next line follows it on the line.
PROMPT = r"^(?:\$ )?"
RESULT = re.compile(PROMPT + r"TEST (?!SUMMARY )(\S+) (PASS|FAIL)(?: \(\d+ ms\)|: (.*))$")
ANY_SUMMARY = re.compile(PROMPT + r"TEST SUMMARY (\S+): ")
NOTE = re.compile(PROMPT + r"NOTE (\S+) (-?\d+) (\S+)$")

Summary = namedtuple("Summary", "passed failed run registered")
Result = namedtuple("Result", "name passed reason")


def summary_pattern(program):
    """The regex of `program`'s summary line (groups: p, f, r, n)."""
    return (PROMPT + rf"TEST SUMMARY {re.escape(program)}: (\d+) passed, (\d+) failed, "
            r"(\d+) run, (\d+) registered$")


def program_lines(lines, program):
    """The lines of `program`'s run, its summary last; [] without a summary."""
    start = 0
    for index, line in enumerate(lines):
        found = ANY_SUMMARY.match(line)
        if found and found.group(1) == program:
            return lines[start:index + 1]
        if found:
            start = index + 1
    return []


def results(lines):
    """The TEST result lines, in order."""
    found = [RESULT.match(line) for line in lines]
    return [Result(m.group(1), m.group(2) == "PASS", m.group(3) or "FAIL")
            for m in found if m]


def check_results(run, program, tests):
    for test in tests:
        run.check(test.passed, f"{program} {test.name}", test.reason)
    names = [test.name for test in tests]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    run.check(not duplicates, f"{program}: each test reported once", ", ".join(duplicates))


def check_summary(run, program, summary, tests, min_registered, whole):
    """The summary's counts against the result lines and the expectations."""
    passed = sum(1 for test in tests if test.passed)
    run.figure(f"{program}_registered", summary.registered)
    run.check(summary.registered >= min_registered,
              f"{program}: at least {min_registered} tests registered",
              f"registered={summary.registered}")
    run.check(summary.run > 0, f"{program} summary: at least one test run", "run=0")
    run.check(summary.failed == 0, f"{program} summary: 0 failed", f"failed={summary.failed}")
    run.check(summary.passed == passed and summary.run == len(tests) and
              summary.passed + summary.failed == summary.run,
              f"{program} summary: one result line per test run",
              f"{len(tests)} lines ({passed} PASS), summary says {summary}")
    if whole:
        run.check(summary.run == summary.registered,
                  f"{program} summary: every registered test ran", f"{summary}")


def report_notes(run, program, lines):
    for found in filter(None, map(NOTE.match, lines)):
        key, value, unit = found.groups()
        run.figure(f"{program}_{key}_{unit}", int(value))


def check_clean(run, lines):
    bad = [line for line in lines if "EXCEPTION" in line or "PANIC" in line]
    run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")


def judge(run, lines, program, min_registered=1, whole=False):
    """All the checks on `program`'s run in `lines`; its Summary, or None
    (a failed check) when the log has no summary of it."""
    mine = program_lines(lines, program)
    found = re.match(summary_pattern(program), mine[-1]) if mine else None
    if not run.check(found is not None, f"{program}: summary line", "none in the log"):
        return None
    summary = Summary(*map(int, found.groups()))
    tests = results(mine)
    check_results(run, program, tests)
    check_summary(run, program, summary, tests, min_registered, whole)
    report_notes(run, program, mine)
    check_clean(run, lines)
    return summary


def finish(run, machine, program, timeout, min_registered=1, whole=False, init=True,
           exit_status=EXIT_SUCCESS):
    """Wait for `program`'s summary on a started machine (and, with init,
    for init's report that it exited with code 0), then for QEMU's exit
    status; judge the log. Returns the serial lines."""
    machine.wait_for(summary_pattern(program), timeout=timeout)
    exited = machine.wait_for(rf"^init: {re.escape(program)} exited with code (-?\d+)$",
                              timeout=30) if init else None
    status = machine.wait_exit(30)
    lines = machine.lines()
    judge(run, lines, program, min_registered, whole)
    if exited:
        run.check(exited.group(1) == "0", f"init: {program} exited with code 0",
                  f"code {exited.group(1)}")
    run.check(status == exit_status, f"QEMU exit status {exit_status}", f"got {status}")
    return lines
