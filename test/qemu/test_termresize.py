#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Resizing a terminal window (issue 14: "resizing the window reflows
nothing but changes the grid and tells the program its size"), driven as a
user does it, under -icount shift=0,sleep=off so the terminal's resize cost
is in guest instructions:

- the corner of terminal 1's window dragged with QMP moves of the
  usb-tablet (press on the content's bottom-right corner, moves, release):
  `win` lists the new content size, snapped to whole cells, and `term` and
  `term text` the new grid (60x16), with the line typed before still in
  sight;
- `echo $COLUMNS $LINES` typed into that terminal prints `60 16`, and
  `echo $TERM` the terminal's name;
- a screendump shows the window that size: its close box moved to the new
  right edge, the old one's place no longer red, and the desktop right of
  the new frame;
- `win size ID W H` (what keyboards and scripts use) resizes it again, and
  sh sees that size too; a line longer than the 50 columns typed, then
  edited with Left across its row boundary, shows on its two rows as the
  line is (sh's editor moves by COLUMNS) and runs as edited;
- the terminal's log line for each resize gives its cost in instructions
  (the grid resized, drawn whole into the new surface, handed over and
  copied by the compositor): the figure `term_resize`.
"""

import re
import time

from console_shell import ConsoleShell
from harness import TestRun
from test_desktop import TITLE_H, windows
from test_termbench import shm_dir, shm_disk
from qmp_input import char_to_key
from test_terminal import PROMPT, focus_terminal, term_text, type_line, wait_prompt_after, \
    wait_text

TIMEOUT_S = 60
CELL_W, CELL_H = 8, 16
RED = (0xC8, 0x3C, 0x3C)  # the close box
DESKTOP = (0x30, 0x58, 0x78)
GRIP = 4  # pressed this far inside the content's bottom-right corner
COLS, ROWS = 60, 16  # what the drag makes of 80x25
SIZE_COLS, SIZE_ROWS = 50, 12  # what `win size` makes


def term_size(sh, n=1):
    """(cols, rows) of terminal n as `term` lists it, or None."""
    for line in sh.command("term", r"^term: \d+ terminals$"):
        f = line.split()
        if len(f) >= 3 and f[0] == str(n) and f[1].isdigit() and f[2].isdigit():
            return int(f[1]), int(f[2])
    return None


def drag(m, x0, y0, x1, y1, steps=8):
    """Press at (x0, y0), move to (x1, y1) in steps, release: each its own HID report."""
    m.mouse_move(x0, y0)
    time.sleep(0.1)
    m.mouse_button("left", True)
    time.sleep(0.1)
    for i in range(1, steps + 1):
        m.mouse_move(x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps)
        time.sleep(0.05)
    time.sleep(0.1)
    m.mouse_button("left", False)
    time.sleep(0.1)


def wait_size(sh, want, timeout=TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while True:
        size = term_size(sh)
        if size == want or time.monotonic() > deadline:
            return size
        time.sleep(0.3)


def resize_figure(run, m, cols, rows, since):
    match = m.seen(rf"terminal: resized to {cols}x{rows} cells in (\d+) TSC ticks",
                   since=since, timeout=TIMEOUT_S)
    if run.check(match is not None, f"the terminal logs its resize to {cols}x{rows}"):
        return int(match.group(1))
    return None


def check_grid(run, sh, cols, rows, how):
    size = wait_size(sh, (cols, rows))
    run.check(size == (cols, rows), f"{how}: term lists the grid {cols}x{rows}", str(size))
    text = term_text(sh)
    run.check(len(text) == rows and all(len(r) <= cols for r in text),
              f"{how}: term text gives {rows} rows of at most {cols} columns",
              "\n".join(text))
    return text


def check_env(run, sh, m, cols, rows, how):
    type_line(m, "echo $COLUMNS $LINES")
    got, i = wait_prompt_after(sh, rf"^{cols} {rows}$")
    run.check(i is not None, f"{how}: echo $COLUMNS $LINES prints {cols} {rows}", "\n".join(got))


def check_pixels(run, m, w, new_w):
    """The screendump: the close box at the new right edge, gone from the old one."""
    screen = m.screendump()
    x, y = w["x"], w["y"]
    run.check(screen.pixel(x + new_w - 16, y + 4) == RED,
              "screendump: the close box is at the new right edge")
    run.check(screen.pixel(x + w["w"] - 16, y + 4) != RED,
              "screendump: and no longer at the old one")
    run.check(screen.pixel(x + new_w + 2, y + TITLE_H + 20) == DESKTOP,
              "screendump: the desktop right of the new frame")
    run.check(screen.pixel(x + new_w - 1, y + TITLE_H + 2) != DESKTOP,
              "screendump: the content reaches the new right edge")


def by_drag(run, sh, m, w):
    type_line(m, "echo before-resize")
    rows, i = wait_prompt_after(sh, r"^before-resize$")
    run.check(i is not None, "a line typed before the resize", "\n".join(rows))
    start = len(m.lines())
    gx, gy = w["x"] + w["w"] - GRIP, w["y"] + TITLE_H + w["h"] - GRIP
    new_w, new_h = COLS * CELL_W, ROWS * CELL_H
    drag(m, gx, gy, gx + new_w - w["w"], gy + new_h - w["h"])
    ticks = resize_figure(run, m, COLS, ROWS, start)
    now = windows(sh).get("terminal")
    run.check(now is not None and now["w"] == new_w and now["h"] == new_h,
              f"the corner's drag: win lists {new_w}x{new_h}", str(now))
    text = check_grid(run, sh, COLS, ROWS, "after the drag")
    run.check("before-resize" in text, "no reflow: the line typed before is still in sight",
              "\n".join(text))
    sh.command("win point 1010 10", r"^win: ")  # the pointer off the window
    check_pixels(run, m, w, new_w)
    check_env(run, sh, m, COLS, ROWS, "after the drag")
    type_line(m, "echo $TERM")
    rows, i = wait_prompt_after(sh, r"^xterm-256color$")
    run.check(i is not None, "echo $TERM prints xterm-256color", "\n".join(rows))
    return ticks


def by_command(run, sh, m, w):
    start = len(m.lines())
    sh.command(f"win size {w['id']} {SIZE_COLS * CELL_W + 5} {SIZE_ROWS * CELL_H + 9}",
               r"^win: size done$")
    ticks = resize_figure(run, m, SIZE_COLS, SIZE_ROWS, start)
    now = windows(sh).get("terminal")
    run.check(now is not None and now["w"] == SIZE_COLS * CELL_W
              and now["h"] == SIZE_ROWS * CELL_H,
              "win size: the window snaps to whole cells", str(now))
    check_grid(run, sh, SIZE_COLS, SIZE_ROWS, "after win size")
    check_env(run, sh, m, SIZE_COLS, SIZE_ROWS, "after win size")
    wrapped_edit(run, sh, m)
    return ticks


def wrapped_edit(run, sh, m):
    """A line longer than the 50 columns, edited across its two rows: the screen shows it."""
    head, tail = "echo " + "a" * 30 + "b" * 10, "b" * 20
    for ch in head + tail:
        m.send_key(char_to_key(ch))
    for _ in range(len(tail)):
        m.send_key("left")  # back across the row boundary
        time.sleep(0.05)  # one report each: the same key's reports are not queued for ever
    m.send_key(char_to_key("Y"))
    want = PROMPT + " " + head + "Y" + tail
    rows, i = wait_text(sh, r"^sh\$ echo a{30}b{10}Y$")  # the row once the Y is in
    shown = rows[i] + rows[i + 1] if i is not None and i + 1 < len(rows) else None
    run.check(shown == want and len(rows[i]) == SIZE_COLS,
              "a line wider than the grid edited across its rows shows as the line is",
              "\n".join(rows))
    m.send_key("ret")
    rows, i = wait_prompt_after(sh, "^" + "a" * 30 + "b" * 10 + "Yb")
    run.check(i is not None, "and runs as edited", "\n".join(rows))


def main(run):
    with shm_dir() as tmp:  # the disk as qemu-termbench's, for the same reason
        _, extra = shm_disk(run, tmp)
        with run.machine(icount=True, timeout=400, extra=extra) as m:
            session(run, m)


def session(run, m):
    m.start()
    sh = ConsoleShell(m)
    sh.wait_ready(timeout=240)  # a boot under -icount on a busy host takes longer
    m.wait_for(r"compositor: \d+x\d+ desktop up", since=0, timeout=TIMEOUT_S)
    w = focus_terminal(run, sh)
    if not w:
        return
    rows, i = wait_text(sh, "^" + re.escape(PROMPT) + "$")
    if not run.check(i is not None, "the terminal shows sh's prompt", "\n".join(rows)):
        return
    check_env(run, sh, m, 80, 25, "at the start")
    drag_ticks = by_drag(run, sh, m, w)
    size_ticks = by_command(run, sh, m, w)
    if drag_ticks is not None:
        run.figure("term_resize", drag_ticks)
    if size_ticks is not None:
        run.figure("term_resize_small", size_ticks)


if __name__ == "__main__":
    TestRun.main("qemu-termresize", main)
