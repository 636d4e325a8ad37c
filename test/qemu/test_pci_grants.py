#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Device grants for the next drivers (test/guest/stest, suites pci and
framebuffer). A PCI function granted by a manifest: the pcitest service
drives QEMU's xHCI controller (qemu-xhci, on the command line of every run)
from exactly its configuration page, BAR 0 and two MSI-X vectors; the
controller's own MSI-X interrupts arrive, held off at the device between a
firing and the driver's acknowledgement, and survive two crashes of the
driver. ahcitest gets whichever of the two AHCI controllers here (q35's own
and one added) that the ahci driver, started at boot, does not hold: its
I/O and memory BARs and one MSI vector, whose MSI has no mask bit; pcitest2, naming the
function pcitest holds, starts without it. The framebuffer's one holder:
fbhold2 is refused (E_BUSY) while fbhold runs and the other way round, and
the boot screen draws again at the end. Every TEST line must pass
(guest_tests.py judges the log); the log must also show init granting the
function once, the two injected crashes, the refusals, and no other
refused grant."""

import re

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 60
STEST_TESTS = 21  # registered in stest; run=stest:pci:framebuffer runs seven
HELD = "svc: pcitest2: no PCI function here matches its manifest; starting it without"
AHCI = re.compile(r"svc: (ahci|ahcitest): PCI ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) 8086:2922 granted "
                  r"\(BARs 0x30, 1 vectors\)")
SECOND_AHCI = ["-device", "ahci,id=ahci2"]
FB_BUSY = re.compile(r"svc: (fbhold2?): cannot make its framebuffer: E_BUSY")

GRANTED = re.compile(r"svc: pcitest: PCI [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] 1b36:000d granted")
CRASHED = re.compile(r"svc: pcitest \(pid \d+\) faulted: .*; injected: restart now$")


def main(run):
    with run.machine(args="run=stest:pci:framebuffer", extra=SECOND_AHCI,
                     timeout=RUN_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "stest", RUN_TIMEOUT_S, min_registered=STEST_TESTS)
    ran = [line for line in lines if re.match(r"^TEST (pci|framebuffer)\.", line)]
    run.check(len(ran) == 7, "every pci and framebuffer test ran", f"{len(ran)} lines")
    granted = [line for line in lines if GRANTED.search(line)]
    run.check(len(granted) == 1, "init granted qemu-xhci once", f"{len(granted)} lines")
    ahci = dict(found.groups() for found in map(AHCI.search, lines) if found)
    run.check(len(ahci) == 2 and ahci.get("ahci") != ahci.get("ahcitest"),
              "init granted ahci and ahcitest an AHCI function each", f"{ahci}")
    run.check(sum(1 for line in lines if HELD in line) == 1, "pcitest2 started without it")
    crashes = sum(1 for line in lines if CRASHED.search(line))
    run.check(crashes == 2, "pcitest crashed and came back 2 times", f"{crashes}")
    busy = {found.group(1) for found in map(FB_BUSY.search, lines) if found}
    run.check(busy == {"fbhold", "fbhold2"}, "each fbhold refused the framebuffer once held",
              f"{sorted(busy)}")
    refused = [line for line in lines if ("cannot make its" in line and not FB_BUSY.search(line))
               or "not granted" in line]
    run.check(not refused, "no other grant refused", refused[0] if refused else "")
    drawn = sum(1 for line in lines if "bootscreen: drawn" in line)
    run.check(drawn == 2, "the boot screen drew at boot and again at the end", f"{drawn}")


if __name__ == "__main__":
    TestRun.main("qemu-pci-grants", main)
