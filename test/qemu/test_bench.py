#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""IPC benchmark under -icount shift=0,sleep=off, where the guest's TSC counts
executed guest instructions: boots with run=ipcbench,stest:bench (the second
measures how long a crashed server takes to answer again), reads the BENCH
lines and checks each figure against its budget; stest's and dtest's own
checks must pass too (guest_tests.py). `./run bench` runs this same script
with BENCH_TABLE=1 to print the figures next to the reference systems."""

import os
import re

from guest_tests import judge
from harness import EXIT_SUCCESS, TestRun

BENCH = r"BENCH (\S+) (\d+) ticks n=(\d+)"

# name: (budget, description, Linux 6.1 guest, seL4 fastpath) in instructions.
# Budgets sit about 15 % above the figures measured with the IPC fastpath
# (docs/ARCHITECTURE.md, "IPC fastpath"), so a regression fails this test.
CASES = {
    "null_syscall": (120, "null syscall", 337, 89),
    "call_reply_xas_0w": (560, "call + reply, other address space, 0 words", 12945, 395),
    "call_reply_xas_6w": (570, "call + reply, other address space, 6 words", None, None),
    "call_reply_sas_0w": (560, "call + reply, same address space, 0 words", None, None),
    "call_reply_sas_6w": (570, "call + reply, same address space, 6 words", None, None),
    "ntfn_roundtrip_xas": (1360, "signal -> wait round trip, two processes", 12499, 667),
    "copy_4k_ipcbuf": (6100, "4 KiB through the IPC buffer (2 x 2 KiB calls)", None, None),
    "copy_4k_shm": (5900, "4 KiB through shared memory (+ one call)", None, None),
    "restart_latency": (5000000, "restart: crash until the new instance answers", None, None),
    "irq_to_driver": (400, "interrupt entry until the driver thread runs", None, None),
}


def collect(run):
    # ipcbench, stest's restart benchmark (test/guest/stest/bench.c), dtest's IRQ latency.
    with run.machine(args="run=ipcbench,stest:bench,!dtest", icount=True, timeout=300) as m:
        m.start()
        m.wait_for(r"BENCH done", timeout=240)
        m.wait_for(r"BENCH restart_latency", timeout=120)
        m.wait_for(r"BENCH irq_to_driver", timeout=240)
        status = m.wait_exit(60)
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")
        judge(run, m.lines(), "stest")
        judge(run, m.lines(), "dtest", whole=True)
        figures = {}
        for line in m.lines():
            match = re.search(BENCH, line)
            if match:
                figures[match.group(1)] = int(match.group(2))
        return figures


def print_table(figures):
    print(f"{'case':<48} {'ours':>8} {'budget':>8} {'Linux':>8} {'seL4':>6}")
    for name, (budget, text, linux, sel4) in CASES.items():
        value = figures.get(name, "-")
        print(f"{text:<48} {value:>8} {budget:>8} {linux or '':>8} {sel4 or '':>6}")
    print("(guest instructions per operation under QEMU TCG -icount shift=0,sleep=off;")
    print(" Linux and seL4 figures are the reference measurements from the design brief)")


def main(run):
    figures = collect(run)
    for name, (budget, text, _, _) in CASES.items():
        value = figures.get(name)
        run.check(value is not None, f"{name} measured")
        if value is not None:
            run.figure(name, value)
            run.check(value <= budget, f"{name}: {value} <= {budget} instructions")
    if os.environ.get("BENCH_TABLE"):
        print_table(figures)


if __name__ == "__main__":
    TestRun.main("qemu-bench", main)
