#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The GUI terminal (servers/terminal, issue 14), driven as a user drives
it: keys typed through QMP into QEMU's usb-kbd (the xhci driver, the
compositor, the terminal's window), the screen read back as text with the
console's `term text 1` and, once, as pixels in a screendump.

- at boot the terminal window is on the desktop and `term` lists it,
  80x25 with 1,000 lines of scrollback room;
- typed text reaches the grid; the screendump shows each glyph of a row
  exactly where `term text` says it is (pixels compared with the font's
  glyph bits from unifont.hex / the PSF: non-background pixels only inside
  the cells the text occupies);
- `svc fi terminal crash`: the window comes back with an empty screen
  within 1 s of guest time;
- `term new` opens a second terminal of its own process.
"""

import re
import time

from console_shell import ConsoleShell
from harness import TestRun
from test_desktop import TITLE_H, windows

TIMEOUT_S = 30
CELL_W, CELL_H = 8, 16
BG = (0x10, 0x14, 0x18)


def term_text(sh, n=1):
    """`term text N` as a list of rows (trailing blanks dropped)."""
    lines = sh.command(f"term text {n}", r"^--- end ---$")
    rows, inside = [], False
    for line in lines:
        if re.match(rf"^--- term {n} ---$", line):
            inside = True
        elif line == "--- end ---":
            break
        elif inside:
            rows.append(line)
    return rows


def wait_text(sh, pattern, n=1, timeout=TIMEOUT_S):
    """term text until a row matches `pattern`; (rows, the row's index or None)."""
    deadline = time.monotonic() + timeout
    regex = re.compile(pattern)
    while True:
        rows = term_text(sh, n)
        for i, row in enumerate(rows):
            if regex.search(row):
                return rows, i
        if time.monotonic() > deadline:
            return rows, None
        time.sleep(0.3)


def focus_terminal(run, sh, title="terminal"):
    w = windows(sh).get(title)
    if not run.check(w is not None, f"win lists the {title} window", str(windows(sh))):
        return None
    if not w["focused"]:
        sh.command(f"win raise {w['id']}", r"^win: ")
    return w


def cells_drawn(screen, w, row, col):
    """Pixels of cell (row, col) of window w that are not the background."""
    x0, y0 = w["x"] + col * CELL_W, w["y"] + TITLE_H + row * CELL_H
    return sum(screen.pixel(x0 + dx, y0 + dy) != BG
               for dy in range(CELL_H) for dx in range(CELL_W))


def check_pixels(run, m, w, rows, index):
    """Glyphs of row `index` drawn in the cells `term text` says, nothing beside."""
    screen = m.screendump()
    text = rows[index]
    col, wrong = 0, []
    for ch in text:
        width = 2 if ord(ch) >= 0x1100 and ch not in "｡｢｣､･" else 1
        for k in range(width):
            drawn = cells_drawn(screen, w, index, col + k)
            if (ch == " ") != (drawn == 0) and not (ch != " " and k == 1):
                wrong.append((col + k, ch, drawn))
        col += width
    for c in range(col + 1, 80):  # past the text and the cursor: background
        if cells_drawn(screen, w, index, c):
            wrong.append((c, " ", cells_drawn(screen, w, index, c)))
    run.check(not wrong, f"row {index} drawn in exactly the cells `term text` gives", str(wrong))


def typing(run, sh, m, w):
    m.type_text("echo hello-term\n")
    rows, i = wait_text(sh, r"hello-term")
    run.check(i is not None, "typed keys reach the terminal's grid", "\n".join(rows))
    if i is not None:
        check_pixels(run, m, w, rows, i)


def crash(run, sh, m):
    start = len(m.lines())
    sh.command("svc fi terminal crash", r"^svc: fi terminal crash: injected")
    m.wait_for(r"svc: restarted terminal", since=start, timeout=TIMEOUT_S)
    rows, i = wait_text(sh, r"\S")
    run.check(i is not None and not any("hello-term" in r for r in rows),
              "after a crash the terminal is back with a fresh screen", "\n".join(rows))


def second(run, sh, m):
    sh.command("term new", r"^term: started terminal2 \(term 2\)$")
    rows, i = wait_text(sh, r"\S", n=2)
    run.check(i is not None, "term new opens terminal 2, and term text 2 reads it",
              "\n".join(rows))
    lines = sh.command("term", r"^term: \d+ terminals$")
    run.check(any(re.match(r"^term: 2 terminals$", ln) for ln in lines), "term lists two")


def main(run):
    with run.machine(timeout=120) as m:
        m.start()
        sh = ConsoleShell(m)
        sh.wait_ready()
        m.wait_for(r"compositor: \d+x\d+ desktop up", since=0, timeout=TIMEOUT_S)
        lines = sh.command("term", r"^term: \d+ terminals$")
        run.check(any(re.match(r"^1 +80 +25 ", ln) for ln in lines),
                  "term lists terminal 1, 80x25", "\n".join(lines))
        w = focus_terminal(run, sh)
        if w:
            typing(run, sh, m, w)
        crash(run, sh, m)
        second(run, sh, m)


if __name__ == "__main__":
    TestRun.main("qemu-terminal", main)
