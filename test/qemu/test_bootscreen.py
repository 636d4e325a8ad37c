#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The boot screen (servers/bootscreen): on a plain boot init starts it from
its manifest with exactly one hardware handle, the framebuffer (no ports,
no IRQs); it draws and exits with 0, and is not restarted. The screendump
must show its exact colours where its layout puts them at 1024x768 (the
numbers below follow the comment at the top of servers/bootscreen/main.c).
Without a display (-vga none) it is started without a framebuffer and
exits with 0 after one line. The compositor takes the framebuffer once the
boot screen is done (it is refused, E_BUSY, while the boot screen draws),
so the picture is checked after `svc stop compositor` and `svc start
bootscreen` at the console: the boot screen drawing again, deterministically."""

import re

from console_shell import RESCUE, ConsoleShell
from harness import TestRun

BACKGROUND = (0x10, 0x18, 0x28)
LOGO = (0x58, 0xC4, 0xDD)
BAR_TRACK = (0x2A, 0x35, 0x50)
BAR_FILL = (0xF2, 0xA9, 0x3B)

# (x, y, colour, what) at 1024x768: u = 24; "o" at x 368-487, "s" at x 536-655,
# both y 252-419; the bar at x 320-703, y 492-499, filled up to x 511.
PIXELS = [
    (0, 0, BACKGROUND, "top left corner"),
    (1023, 0, BACKGROUND, "top right corner"),
    (0, 767, BACKGROUND, "bottom left corner"),
    (1023, 767, BACKGROUND, "bottom right corner"),
    (428, 260, LOGO, "the top stroke of the 'o'"),
    (372, 336, LOGO, "the left stroke of the 'o'"),
    (428, 336, BACKGROUND, "inside the 'o'"),
    (596, 336, LOGO, "the middle stroke of the 's'"),
    (650, 300, BACKGROUND, "right of the upper half of the 's'"),
    (650, 390, LOGO, "the lower right stroke of the 's'"),
    (330, 495, BAR_FILL, "the filled part of the bar"),
    (511, 492, BAR_FILL, "the last filled pixel of the bar"),
    (512, 499, BAR_TRACK, "the first unfilled pixel of the bar"),
    (700, 495, BAR_TRACK, "the end of the bar"),
    (512, 480, BACKGROUND, "between the letters and the bar"),
]


def check_no_framebuffer(run):
    """Without a display there is no framebuffer: one line from init, one
    from bootscreen, a clean exit, and no restart."""
    with run.machine(extra=("-vga", "none")) as m:
        m.start()
        m.wait_for(r"svc: bootscreen \(pid \d+\) exited with code 0; stays stopped", timeout=30)
        lines = m.lines()
        run.check(any("svc: bootscreen: this machine has no framebuffer to grant" in l
                      for l in lines), "without a display: init says there is no framebuffer")
        run.check(any("bootscreen: no framebuffer; nothing to draw" in l for l in lines),
                  "without a display: bootscreen draws nothing and exits with 0")


def main(run):
    check_no_framebuffer(run)
    with run.machine() as m:
        m.start()
        drawn = m.wait_for(r"bootscreen: drawn (\d+)x(\d+) in (\d+) ms$", timeout=30)
        # the whole line, now that a later one has come
        given = [l.split("bootscreen: given")[1] for l in m.lines() if "bootscreen: given" in l]
        run.check(len(given) == 1 and given[0].split() == ["ns", "framebuffer"],
                  "bootscreen holds ns and framebuffer, nothing else", f"{given}")
        run.check(drawn.group(1, 2) == ("1024", "768"), "drawn at 1024x768", drawn.group(0))
        run.figure("bootscreen_draw_ms", int(drawn.group(3)))
        m.wait_for(r"svc: bootscreen \(pid \d+\) exited with code 0; stays stopped", timeout=10)
        sh = ConsoleShell(m, rescue=True)
        m.wait_for(r"^console: shell on COM1", timeout=30, since=0)
        m.wait_for(r"compositor: \d+x\d+ desktop up", timeout=30, since=0)
        sh.wait_quiet()
        sh.command("svc stop compositor", r"svc: stop compositor: done")
        sh.command("svc start bootscreen", r"svc: start bootscreen: done")
        m.wait_for(r"svc: bootscreen \(pid \d+\) exited with code 0; stays stopped", timeout=10)
        screen = m.screendump()
        for x, y, colour, what in PIXELS:
            got = screen.pixel(x, y)
            run.check(got == colour, f"({x}, {y}) {what} is #{bytes(colour).hex()}",
                      f"got #{bytes(got).hex()}")
        busy = "svc: compositor: cannot make its framebuffer: E_BUSY"  # while bootscreen draws
        bad = [l for l in m.lines() if "EXCEPTION" in l or "PANIC" in l or
               ("cannot" in l and busy not in l and "compositor cannot be started: E_BUSY" not in l
                and not re.search(RESCUE, l))]  # no disk: the console's rescue shell
        run.check(not bad, "no EXCEPTION, PANIC or 'cannot' in the log", bad[0] if bad else "")
        run.check(m.running(), "the system keeps running", f"exit status {m.exit_status}")


if __name__ == "__main__":
    TestRun.main("qemu-bootscreen", main)
