#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The desktop driven by the USB tablet (issues 12 and 13 together): QMP
moves and buttons go to QEMU's usb-tablet, the xhci driver reports them on
the input protocol, and the compositor's reader thread turns them into
pointer input. A press on the clock's title bar, moves in four steps and a
release must drag the window by exactly the distance the host moved the
tablet (`win` tells where it is), and the screendump must show the
cursor's tip at the tablet's last position. A click on the clock's
minimise box and then on its top bar button minimise and restore it. Then
`svc fi xhci crash`: once
the driver is back, the pointer still moves the cursor (the reader's
client library subscribes again)."""

import re
import time

from console_shell import ConsoleShell
from harness import TestRun
from test_desktop import BLACK, task_button, windows

STEP = (-50, 40)
STEPS = 4
TIMEOUT_S = 20


def wait_window_at(sh, title, x, y):
    """`win` until window `title` is at (x, y), or TIMEOUT_S passed: the
    events reach the compositor after QMP has returned."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        w = windows(sh).get(title)
        if (w and (w["x"], w["y"]) == (x, y)) or time.monotonic() > deadline:
            return w
        time.sleep(0.2)


def wait_cursor(m, x, y):
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        screen = m.screendump()
        if screen.pixel(x, y) == BLACK and screen.pixel(x - 1, y) != BLACK:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def drag(run, sh, m):
    c = windows(sh).get("clock")
    if not run.check(c is not None, "win lists the clock"):
        return
    gx, gy = c["x"] + 40, c["y"] + 8  # on the title, left of the close box
    m.mouse_move(gx, gy)
    time.sleep(0.3)
    m.mouse_button("left", True)
    for step in range(1, STEPS + 1):
        time.sleep(0.1)
        m.mouse_move(gx + STEP[0] * step, gy + STEP[1] * step)
    time.sleep(0.3)
    m.mouse_button("left", False)
    want = (c["x"] + STEP[0] * STEPS, c["y"] + STEP[1] * STEPS)
    moved = wait_window_at(sh, "clock", *want)
    run.check(moved and (moved["x"], moved["y"]) == want,
              f"the tablet dragged the clock by {STEP[0] * STEPS, STEP[1] * STEPS} to {want}",
              f"{moved}")
    tip = (gx + STEP[0] * STEPS, gy + STEP[1] * STEPS)
    run.check(wait_cursor(m, *tip), f"the cursor's tip at the tablet's place {tip}")


def click(m, x, y):
    m.mouse_move(x, y)
    time.sleep(0.3)
    m.mouse_button("left", True)
    time.sleep(0.1)
    m.mouse_button("left", False)


def wait_state(sh, title, state):
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        w = windows(sh).get(title)
        if (w and w["state"] == state) or time.monotonic() > deadline:
            return w
        time.sleep(0.2)


def minimise_and_restore(run, sh, m):
    ws = windows(sh)
    c = ws["clock"]
    click(m, c["x"] + c["w"] - 28, c["y"] + 10)  # the minimise box (comp.h)
    w = wait_state(sh, "clock", "min")
    run.check(w and w["state"] == "min", "a tablet click on the minimise box minimised the clock",
              f"{w}")
    click(m, *task_button(ws, "clock"))
    w = wait_state(sh, "clock", "yes")
    run.check(w and w["state"] == "yes" and (w["x"], w["y"]) == (c["x"], c["y"]),
              "a tablet click on its top bar button brought it back, focused", f"{w}")


def after_driver_crash(run, sh, m):
    start = len(m.lines())
    sh.command("svc fi xhci crash", r"^svc: fi xhci crash: injected")
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if any(re.search(r"svc: restarted xhci", line) for line in m.lines()[start:]):
            break
        time.sleep(0.2)
    time.sleep(1)  # the tablet enumerated again
    m.mouse_move(200, 500)
    run.check(wait_cursor(m, 200, 500), "after xhci crashed, the tablet moves the cursor again")


def main(run):
    with run.machine(timeout=90) as m:
        m.start()
        sh = ConsoleShell(m, rescue=True)
        sh.wait_ready()
        m.wait_for(r"compositor: \d+x\d+ desktop up", since=0, timeout=TIMEOUT_S)
        m.wait_for(r"xhci: .*usb-tablet|xhci: .*[Tt]ablet", since=0, timeout=TIMEOUT_S)
        drag(run, sh, m)
        minimise_and_restore(run, sh, m)
        after_driver_crash(run, sh, m)


if __name__ == "__main__":
    TestRun.main("qemu-desktop-usb", main)
