#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kernel fault dump: kcrash=pagefault makes ktest_crash_pagefault touch a bad
address; the #PF handler must print vector, cr2, every register and a
symbolised backtrace, then make QEMU exit 35. kcrash=stack overflows the boot
stack into its guard page, which must end in a double fault handled on its
own IST stack; kcrash=panic must print the message and a backtrace."""

import re

from harness import EXIT_FAILURE, TestFailure, TestRun

VECTOR = r"EXCEPTION #PF page fault \(vector 14\) err=0x[0-9a-fA-F]+"
CR2 = r"\bcr2=0x[0-9a-fA-F]+"
FRAME = r"#\d+\s+0x(ffffffff8[0-9a-fA-F]{7})\s+ktest_crash_pagefault\+0x[0-9a-fA-F]+"
REGISTERS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
             "rip", "rflags", "cs", "ss"]


def dump_after_vector(lines):
    """The serial text from the EXCEPTION line on, or None."""
    for index, line in enumerate(lines):
        if re.search(VECTOR, line):
            return "\n".join(lines[index:])
    return None


def check_dump(run, lines):
    dump = dump_after_vector(lines)
    if not run.check(dump is not None, "EXCEPTION #PF (vector 14) line"):
        return
    cr2 = re.search(CR2, dump)
    run.check(cr2 is not None, "cr2 line")
    if cr2:
        run.note(cr2.group(0))
    # Names may be padded for alignment: "r8 =0x...".
    missing = [r for r in REGISTERS if not re.search(rf"\b{r}\s*=\s*0x[0-9a-fA-F]+", dump)]
    run.check(not missing, "all registers dumped", "missing: " + " ".join(missing))
    backtrace = dump.find("backtrace:")
    run.check(backtrace >= 0, "backtrace: line")
    frame = re.search(FRAME, dump[max(backtrace, 0) :])
    run.check(frame is not None, "backtrace frame in ktest_crash_pagefault")


def main(run):
    with run.machine(args="kcrash=pagefault") as m:
        m.start()
        try:
            m.wait_for(FRAME, timeout=30)
        except TestFailure as e:
            run.fail(str(e))  # still judge whatever part of the dump arrived
        try:
            status = m.wait_exit(30)
        except TestFailure:
            status = "none (still running)"
        check_dump(run, m.lines())
        run.check(status == EXIT_FAILURE, f"QEMU exit status {EXIT_FAILURE}", f"got {status}")
    other_faults(run)


def expect_dump(run, args, patterns):
    """Boot with `args`; every regex in `patterns` must appear, then exit 35."""
    with run.machine(args=args) as m:
        m.start()
        for pattern in patterns:
            m.wait_for(pattern, timeout=30)
        run.check(m.wait_exit(30) == EXIT_FAILURE, f"{args}: QEMU exit status {EXIT_FAILURE}")


def other_faults(run):
    expect_dump(run, "kcrash=stack", [
        r"EXCEPTION #DF double fault \(vector 8\)",
        r"backtrace:",
        r"#0 0x[0-9a-f]+ ktest_crash_stack\+0x",
        r"PANIC: unhandled exception in kernel mode",
    ])
    expect_dump(run, "kcrash=panic", [
        r"PANIC: kcrash: deliberate panic",
        r"#\d+ 0x[0-9a-f]+ ktest_crash_selected\+0x",
    ])


if __name__ == "__main__":
    TestRun.main("qemu-fault", main)
