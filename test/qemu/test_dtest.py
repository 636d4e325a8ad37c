#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hardware access from ring 3: boots with run=!dtest, which checks IRQs,
ports, device memory and DMA from a user program (and that a program
without the handles is refused); every DTEST line must pass, and the
green square dtest draws through the framebuffer must be on the screen."""

import re

from harness import EXIT_SUCCESS, TestRun

GREEN = (0, 255, 0)


def main(run):
    with run.machine(args="run=!dtest") as m:
        m.start()
        # dtest holds still for half a second after drawing; pause the VM at
        # once all the same, so the picture is taken before anything else runs.
        m.wait_for(r"drew a green square", timeout=60)
        m.qmp("stop")
        screen = m.screendump()
        m.qmp("cont")
        run.check(screen.pixel(10, 10) == GREEN and screen.pixel(60, 60) == GREEN,
                  "the framebuffer shows dtest's green square", f"{screen.pixel(10, 10)}")
        summary = m.wait_for(r"DTEST SUMMARY (\d+) passed, (\d+) failed, (\d+) registered",
                             timeout=60)
        passed, failed, registered = map(int, summary.groups())
        run.check(failed == 0 and passed == registered and registered >= 8,
                  f"dtest: {passed} passed, {failed} failed, {registered} registered")
        for line in m.lines():
            if re.match(r"DTEST \S+ FAIL", line):
                run.check(False, line)
        run.check(m.wait_exit(30) == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}")
        bad = [l for l in m.lines() if "EXCEPTION" in l or "PANIC" in l]
        run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")


if __name__ == "__main__":
    TestRun.main("qemu-dtest", main)
