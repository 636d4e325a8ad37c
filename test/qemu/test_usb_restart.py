#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A crash of the xhci driver in the middle of typing: itest (the input
consumer) reads three key events, has the supervisor crash the driver
(svc fi xhci crash), and keeps reading with nothing but its client
library's retry. The supervisor must restart xhci, the new instance must
enumerate the keyboard and tablet again, and keys and tablet moves sent
afterwards must reach itest, which must have subscribed again. Under
-icount it measures the guest time from the kernel's fault line to the new
instance's "xhci: ready" (every boot device enumerated again): at most
500 ms. The first event after that needs only the consumer's next read:
what comes before it resubscribes waits in the driver for it."""

import re

from harness import TestRun

TIMEOUT_S = 120
RESTART_BOUND_US = 500_000  # the bound, in guest time (-icount)
FAULTED = re.compile(r"svc: xhci \(pid \d+\) faulted: .*injected")


def main(run):
    with run.machine(args="run=itest:6:crash=3", icount=True, timeout=TIMEOUT_S) as m:
        m.start()
        m.wait_for(r"itest: ready", timeout=60)
        m.send_key("q")
        m.send_key("w")  # q press, q release, w press: the third event crashes it
        # (w's release reaches the dying instance and is lost; 3 more events follow)
        m.wait_for(r"itest: crashing xhci", timeout=20)
        fault = m.wait_for(r"^\[ *(\d+)\.(\d{6})\] fault: process \d+ 'xhci'", timeout=20)
        fault_us = int(fault.group(1)) * 1_000_000 + int(fault.group(2))
        m.wait_for(r"svc: xhci \(pid \d+\) faulted", timeout=20)
        m.wait_for(r"xhci: port \d+: keyboard 0627:0001", timeout=30)
        m.wait_for(r"xhci: port \d+: tablet 0627:0001", timeout=30)
        ready_us = int(m.wait_for(r"xhci: ready at (\d+) us", timeout=30).group(1))
        run.figure("usb_restart_to_input_ready_guest_us", ready_us - fault_us)
        run.check(0 < ready_us - fault_us < RESTART_BOUND_US,
                  "input is back within 500 ms of guest time after the crash",
                  f"{ready_us - fault_us} us")
        m.send_key("z")
        found = m.wait_for(r'itest: key z press usage 0x1d key 122 mods 0x000 text "z"',
                           timeout=20)
        run.check(found is not None, "a key typed after the restart reached itest")
        m.wait_for(r"itest: key - release usage 0x1d", timeout=20)
        m.mouse_move(640, 480)
        found = m.wait_for(r"itest: ptr abs 640 480", timeout=20)
        run.check(found is not None, "the tablet works after the restart")
        done = m.wait_for(r"itest: done 6 events, 0 dropped, (\d+) resubscribed", timeout=20)
        run.check(int(done.group(1)) >= 1, "itest subscribed again", done.group(0))
        lines = m.lines()
        run.check(sum(1 for line in lines if FAULTED.search(line)) == 1,
                  "the driver crashed once, by injection")
        refused = [line for line in lines if "device refused" in line]
        run.check(not refused, "no device refused", refused[0] if refused else "")


if __name__ == "__main__":
    TestRun.main("qemu-usb-restart", main)
