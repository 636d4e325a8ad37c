#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hardware handles from manifests (test/guest/stest, group device): the irqtest
service holds exactly what its manifest lists (irq:10, ioport:70, ecam,
dma, besides its endpoint and ns), its ECAM handle reaches PCI with the
geometry in its start_info, its port and DMA handles work, and its IRQ
object outlives three crashes: every new instance binds the same object
again and receives the line. The log must show the three injected crashes
and no refused grant."""

import re

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 50
STEST_TESTS = 21  # registered in stest; run=stest:device runs three

CRASHED = re.compile(r"svc: irqtest \(pid \d+\) faulted: .*; injected: restart now$")


def main(run):
    with run.machine(args="run=stest:device", timeout=RUN_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "stest", RUN_TIMEOUT_S, min_registered=STEST_TESTS)
    crashes = sum(1 for line in lines if CRASHED.search(line))
    run.check(crashes == 3, "irqtest crashed and came back 3 times", f"{crashes}")
    # the compositor is refused the framebuffer while the boot screen draws (it retries)
    boot_busy = "svc: compositor: cannot make its framebuffer: E_BUSY"
    refused = [line for line in lines if "cannot make its" in line and boot_busy not in line]
    run.check(not refused, "no hardware grant refused", refused[0] if refused else "")
    stopped = [line for line in lines if "svc: stopped irqtest" in line]
    run.check(len(stopped) == 1, "irqtest stopped at the end", f"{len(stopped)} lines")


if __name__ == "__main__":
    TestRun.main("qemu-device-grants", main)
