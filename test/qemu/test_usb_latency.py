#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Figures of USB input under -icount shift=0,sleep=off (guest instructions):
from the xHCI interrupt that brings a report (its entry TSC, which the
driver stamps on the events) to the consumer itest receiving the event,
for the keyboard and the tablet (median of SAMPLES each); and how long
the driver takes from its start to every boot device enumerated ("xhci:
ready"), and to enumerate one device. The checks: every sample arrived
and is positive, and no figure is absurd (under BOUND_INSTRUCTIONS)."""

import re
import statistics

from harness import TestRun

SAMPLES = 15
BOUND_INSTRUCTIONS = 10_000_000  # 10 ms of guest time: far above anything sane


def sample(m, pattern):
    found = m.wait_for(pattern + r".* lat (\d+)$", timeout=20)
    return int(found.group(found.re.groups))


def main(run):
    with run.machine(args="run=itest:100000:lat", icount=True, timeout=150) as m:
        m.start()
        m.wait_for(r"itest: ready", timeout=90)
        keys, moves = [], []
        for i in range(SAMPLES):
            m.send_key("j")
            keys.append(sample(m, r"itest: key j press"))
            m.mouse_move(100 + 10 * i, 200)
            moves.append(sample(m, rf"itest: ptr abs {100 + 10 * i} 200"))
        for name, values in (("keyboard", keys), ("tablet", moves)):
            median = statistics.median(values)
            run.note(f"{name}: " + ", ".join(map(str, values)))
            run.figure(f"usb_irq_to_consumer_{name}_instructions", int(median))
            run.check(len(values) == SAMPLES and min(values) > 0, f"{name}: {SAMPLES} samples")
            run.check(median < BOUND_INSTRUCTIONS, f"{name}: median under the bound", median)
        lines = m.lines()
        ready = [re.search(r"xhci: ready at (\d+) us", line) for line in lines]
        ready = [int(r.group(1)) for r in ready if r]
        enum = [int(r.group(1)) for r in
                (re.search(r"as input device \d+ \(in (\d+) us\)", line) for line in lines) if r]
        run.check(len(ready) == 1 and len(enum) == 2, "the driver said when it was ready")
        for value in enum:
            run.figure("usb_enumerate_one_device_guest_us", value)


if __name__ == "__main__":
    TestRun.main("qemu-usb-latency", main)
