#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hardware access from ring 3: boots with run=!dtest, which checks IRQs,
MSI masking, ports, device memory and DMA from a user program (and that a
program without the handles is refused); every TEST line must pass, all of
dtest's tests (at least 16) must run (guest_tests.py judges the log), and
the green square dtest draws through the framebuffer must be on the
screen. A second boot runs the IRQ route's suite (t_route.c) again with
`fastpath=off`: each of its cases checks exactly what the driver sees, so
the route (fastpath_irq_signal) and the general path must agree."""

from guest_tests import finish
from harness import TestRun

GREEN = (0, 255, 0)
RUN_TIMEOUT_S = 60
MIN_REGISTERED = 16
ROUTE_CASES = 5


def main(run):
    with run.machine(args="run=!dtest") as m:
        m.start()
        # dtest holds still for half a second after drawing; pause the VM at
        # once all the same, so the picture is taken before anything else runs.
        m.wait_for(r"drew a green square", timeout=RUN_TIMEOUT_S)
        m.qmp("stop")
        screen = m.screendump()
        m.qmp("cont")
        run.check(screen.pixel(10, 10) == GREEN and screen.pixel(60, 60) == GREEN,
                  "the framebuffer shows dtest's green square", f"{screen.pixel(10, 10)}")
        finish(run, m, "dtest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True)
    with run.machine(args="run=!dtest:route fastpath=off") as m:
        m.start()
        lines = finish(run, m, "dtest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED)
        passed = [ln for ln in lines if ln.startswith("TEST route.") and " PASS" in ln]
        run.check(any(ln.endswith("ipc: fastpath off (fastpath=off)") for ln in lines),
                  "the second boot has the fastpath off")
        run.check(len(passed) == ROUTE_CASES,
                  f"the {ROUTE_CASES} route cases pass with the fastpath off", f"{len(passed)}")


if __name__ == "__main__":
    TestRun.main("qemu-dtest", main)
