#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The desktop from a client's side: boots with run=dsktest, which checks
that keystrokes reach only the focused window, that the pointer reaches the
window under it in window coordinates, that a press raises a covered
window, that every bad request (hostile surfaces, sizes, titles, too many
windows, others' windows, ranges, short and unknown requests, a lying event
ring, a flood of commits) is refused without harm, and that a client that
faults loses only its own window (test/guest/dsktest). The paint suite
draws a stroke on the paint app by injected pointer input; when dsktest
says where (and holds still), the machine is paused and the screendump must
show the red
stroke (right 50, then down 50, from content (10, 10)) on white paper.
guest_tests.py judges the TEST lines."""

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 120
MIN_REGISTERED = 11
RED, WHITE = (0xD0, 0x30, 0x30), (0xFF, 0xFF, 0xFF)


def main(run):
    # -icount: the paint stroke is checked after guest-time sleeps (design brief, "How we know")
    with run.machine(args="run=dsktest", icount=True, timeout=RUN_TIMEOUT_S) as m:
        m.start()
        at = m.wait_for(r"dsktest: paint stroke at (\d+) (\d+)", timeout=RUN_TIMEOUT_S)
        m.qmp("stop")  # dsktest holds the picture (spinning) for a while after the line
        screen = m.screendump()
        m.qmp("cont")
        x, y = int(at.group(1)), int(at.group(2))
        stroke = [(x + 10 + i, y + 10) for i in range(51)] + [(x + 60, y + 10 + i) for i in range(51)]
        red = [p for p in stroke if screen.pixel(*p) == RED]
        run.check(len(red) == len(stroke), "paint: the whole stroke is red",
                  f"{len(red)} of {len(stroke)}")
        paper = [(x + 10, y + 30), (x + 30, y + 40), (x + 100, y + 10), (x + 60, y + 80),
                 (x + 9, y + 10), (x + 61, y + 30)]
        run.check(all(screen.pixel(*p) == WHITE for p in paper), "paint: white paper around it",
                  f"{[screen.pixel(*p) for p in paper]}")
        finish(run, m, "dsktest", RUN_TIMEOUT_S, min_registered=MIN_REGISTERED, whole=True)


if __name__ == "__main__":
    TestRun.main("qemu-dsktest", main)
