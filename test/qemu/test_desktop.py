#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The desktop (servers/compositor, docs/ARCHITECTURE.md "The desktop:
compositor"), driven through the console's `win` command and checked in
screendumps, pixel for pixel, against the layout the compositor's files
give (comp.h: title bars 20 px, close box 16 px at w-18, the cursor's
arrow). The clock opens at boot and counterwin on `svc start counterwin`, at
the places their
apps ask for. counterwin is no boot module: the default disk is attached and
the loader reads /bin/counterwin from it.

- both windows listed by `win`, at their places, and drawn there: title bar
  colour (focused or not, as `win` says), close box, content colours; the
  clock's title "clock 時計" with its kanji exactly as unifont.hex has them;
- the cursor moved by injected pointer input shows its tip where asked;
- overlapping windows: the covered one is clipped, `win raise` and a click
  on the covered one's visible part raise it (z changes, pixels flip);
- a drag of the title bar (press, moves, release) lands the window where
  `win` says and the screendump shows; the old place is desktop again;
- the minimise button takes a window off the screen (`win` says "min", its
  top bar button is dimmed), a compositor crash keeps it minimised, and a
  click on its top bar button brings it back where it was, focused;
- the close button removes the window and its app ends;
- `svc fi compositor crash`: every window comes back where it was, with its
  pixels, within 1 s of guest time of the new instance's start.
"""

import re
import tempfile
import time

from console_shell import ConsoleShell
from harness import TestRun

DESKTOP = (0x30, 0x58, 0x78)
TOPBAR = (0x10, 0x18, 0x28)
TITLE_FOCUS = (0x2A, 0x62, 0xB8)
TITLE = (0x6C, 0x74, 0x80)
CLOSE = (0xC8, 0x3C, 0x3C)
MINIMISE = (0x3C, 0x8C, 0x50)
TASK_MIN = (0x1C, 0x22, 0x30)
TASK_X0, TASK_W, TASK_GAP = 40, 136, 4  # comp.h: the top bar's window buttons
BLACK, WHITE = (0, 0, 0), (0xFF, 0xFF, 0xFF)
CLOCK_BG = (0x1B, 0x23, 0x30)
COUNTER_BG = (0xF4, 0xF1, 0xE8)
TITLE_H = 20
UNIFONT = "/usr/share/unifont/unifont.hex"
BACK = re.compile(r"compositor: window \d+ '(\w+)[^']*' back at \((-?\d+), (-?\d+)\) (\d+) ms after start")
ROW = re.compile(r"^(\d+) +(\d+) +(-?\d+) +(-?\d+) +(\d+) +(\d+) +(\d+) +(yes|no|min) +(\S.*?)\s*$")


def windows(sh):
    """`win` as {title: dict}."""
    lines = sh.command("win", r"^win: \d+ windows$")
    out = {}
    for line in lines:
        m = ROW.match(line)
        if m:
            v = [int(x) for x in m.group(1, 2, 3, 4, 5, 6, 7)]
            out[m.group(9).split()[0]] = dict(title=m.group(9), id=v[0], pid=v[1], x=v[2], y=v[3], w=v[4], h=v[5], z=v[6],
                                   focused=m.group(8) == "yes", state=m.group(8))
    return out


def win(sh, words):
    sh.command("win " + words, r"^win: (\w+ done|\d+ keys sent)$|^win: .*: E_")


def check_pixels(run, screen, checks, when):
    for x, y, colour, what in checks:
        got = screen.pixel(x, y)
        run.check(got == colour, f"{when}: {what} at ({x}, {y}) is #{bytes(colour).hex()}",
                  f"got #{bytes(got).hex()}")


def frame_checks(w, content, name):
    """Pixels every drawn window shows: title bar corner, close box, content corners."""
    x, y = w["x"], w["y"]
    title = TITLE_FOCUS if w["focused"] else TITLE
    return [
        (x, y, title, f"{name}'s title bar, top left"),
        (x + w["w"] - 19, y + TITLE_H - 1, title, f"{name}'s title bar left of its close box"),
        (x + w["w"] - 18, y + 2, CLOSE, f"{name}'s close box corner"),
        (x, y + TITLE_H, content, f"{name}'s content, top left"),
        (x + w["w"] - 1, y + TITLE_H + w["h"] - 1, content, f"{name}'s content, bottom right"),
    ]


def first_frames(m, windows_and_colours):
    """A screendump once every window shows its app's first frame (content at its
    top left, not the grey a window has until its first commit), or after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        screen = m.screendump()
        if time.monotonic() > deadline or all(
                screen.pixel(w["x"], w["y"] + TITLE_H) == colour for w, colour in windows_and_colours):
            return screen
        time.sleep(0.2)


def check_boot(run, sh, m):
    ws = windows(sh)
    run.check(set(ws) >= {"clock", "counter"}, "win lists the clock and the counter", f"{ws}")
    if not {"clock", "counter"} <= set(ws):
        return None
    c, k = ws["clock"], ws["counter"]
    run.check((c["x"], c["y"], c["w"], c["h"]) == (700, 60, 160, 48), "clock at 700,60 160x48",
              f"{c}")
    run.check((k["x"], k["y"], k["w"], k["h"]) == (700, 150, 200, 56),
              "counter at 700,150 200x56", f"{k}")
    run.check(sum(w["focused"] for w in ws.values()) == 1, "one window has the focus")
    screen = first_frames(m, [(c, CLOCK_BG), (k, COUNTER_BG)])
    check_pixels(run, screen, frame_checks(c, CLOCK_BG, "clock") +
                 frame_checks(k, COUNTER_BG, "counter") +
                 [(10, 400, DESKTOP, "the desktop"), (920, 10, TOPBAR, "the top bar right of its window buttons")], "boot")
    check_japanese(run, screen, c)
    return ws


def glyph(cp):
    """Unifont's 16x16 bitmap of code point cp as rows of 16 bits (the test's own reading)."""
    with open(UNIFONT, encoding="ascii") as f:
        for line in f:
            code, _, bits = line.strip().partition(":")
            if int(code, 16) == cp:
                return [int(bits[i:i + 4], 16) for i in range(0, 64, 4)]
    return None


def check_japanese(run, screen, c):
    """The clock's title, "clock 時計": 時 and 計 drawn from Unifont, 16 px wide,
    after six 8 px Terminus characters at x + 6, y + 2."""
    run.check(c["title"] == "clock 時計", "the clock's title is 'clock 時計'", c["title"])
    title = TITLE_FOCUS if c["focused"] else TITLE
    for n, cp in enumerate((0x6642, 0x8A08)):
        rows, x0, y0 = glyph(cp), c["x"] + 6 + 48 + 16 * n, c["y"] + 2
        bad = [(x, y) for y in range(16) for x in range(16)
               if screen.pixel(x0 + x, y0 + y) != (WHITE if rows[y] >> (15 - x) & 1 else title)]
        run.check(rows and not bad, f"U+{cp:04X} drawn from unifont.hex at ({x0}, {y0})",
                  f"{len(bad)} pixels differ, first {bad[:3]}")


def check_cursor(run, sh, m):
    win(sh, "point 300 400")
    screen = m.screendump()
    check_pixels(run, screen, [
        (300, 400, BLACK, "the cursor's tip"),
        (301, 410, WHITE, "inside the arrow"),
        (306, 410, BLACK, "the arrow's slanted edge"),
        (299, 400, DESKTOP, "left of the tip"),
        (300, 399, DESKTOP, "above the tip"),
    ], "cursor at (300, 400)")


def check_overlap(run, sh, m, ws):
    c, k = ws["clock"], ws["counter"]
    win(sh, f"move {k['id']} 760 90")  # over the clock's lower right part
    win(sh, f"raise {k['id']}")
    ws = windows(sh)
    run.check(ws["counter"]["z"] > ws["clock"]["z"] and ws["counter"]["focused"],
              "raise: the counter on top, focused", f"{ws}")
    probe = (840, 115)  # clock content x 700-859, y 80-127; counter content from y 110
    screen = m.screendump()
    check_pixels(run, screen, [(probe[0], probe[1], COUNTER_BG, "the overlap (counter on top)"),
                               (705, 115, CLOCK_BG, "the clock's uncovered part")], "overlap")
    # a click on the clock's visible part raises it
    win(sh, "point 705 85 1")
    win(sh, "point 705 85 0")
    ws = windows(sh)
    run.check(ws["clock"]["z"] > ws["counter"]["z"] and ws["clock"]["focused"],
              "a click raises and focuses the clock", f"{ws}")
    screen = m.screendump()
    check_pixels(run, screen, [(probe[0], probe[1], CLOCK_BG, "the overlap (clock on top)"),
                               (890, 150, COUNTER_BG, "the counter's uncovered part")],
                 "after the click")
    return ws


def check_drag(run, sh, m, ws):
    c = ws["clock"]
    gx, gy = c["x"] + 40, c["y"] + 8  # on the title, left of the close box
    win(sh, f"point {gx} {gy} 1")
    for step in range(1, 5):
        win(sh, f"point {gx - 60 * step} {gy + 50 * step} 1")
    win(sh, f"point {gx - 240} {gy + 200} 0")
    ws = windows(sh)
    moved = ws["clock"]
    run.check((moved["x"], moved["y"]) == (c["x"] - 240, c["y"] + 200),
              f"the drag moved the clock by (-240, 200) to ({c['x'] - 240}, {c['y'] + 200})",
              f"{moved}")
    screen = m.screendump()
    check_pixels(run, screen, frame_checks(moved, CLOCK_BG, "dragged clock") +
                 [(c["x"] + 5, c["y"] + 5, DESKTOP, "the clock's old place")], "after the drag")
    return ws


def wait_back(m, start, titles):
    """The compositor's "window back" lines for `titles` after line `start`."""
    back, deadline = {}, time.monotonic() + 30
    while len(back) < len(titles) and time.monotonic() < deadline:
        for line in m.lines()[start:]:
            found = BACK.search(line)
            if found and found.group(1) in titles:
                back[found.group(1)] = found
        time.sleep(0.2)
    return back


def check_restart(run, sh, m, ws):
    before = m.screendump()
    start = len(m.lines())
    sh.command("svc fi compositor crash", r"^svc: fi compositor crash: injected")
    back = wait_back(m, start, ("clock", "counter"))
    for title in ("clock", "counter"):
        w, found = ws[title], back.get(title)
        run.check(found and (int(found.group(2)), int(found.group(3))) == (w["x"], w["y"]),
                  f"after the crash: {title} back at ({w['x']}, {w['y']})",
                  found.group(0) if found else "never came back")
        run.check(found and int(found.group(4)) <= 1000, f"{title} back within 1 s of guest time",
                  found.group(0) if found else "")
    sh.wait_quiet()
    after = windows(sh)
    for title in ("clock", "counter"):
        a, b = after.get(title, {}), ws[title]
        run.check(a and (a["id"], a["x"], a["y"], a["z"]) == (b["id"], b["x"], b["y"], b["z"]),
                  f"win: {title} keeps its id, place and z", f"{a} vs {b}")
    screen = m.screendump()
    k = ws["counter"]
    checks = frame_checks(ws["clock"], CLOCK_BG, "clock") + frame_checks(k, COUNTER_BG, "counter")
    check_pixels(run, screen, checks, "after the crash")
    # the counter's digits area is as the app drew it, row by row (it keeps counting:
    # compare the static 'keys' line instead)
    same = all(screen.pixel(k["x"] + dx, k["y"] + TITLE_H + 40 + dy) ==
               before.pixel(k["x"] + dx, k["y"] + TITLE_H + 40 + dy)
               for dx in range(0, 60) for dy in range(0, 14))
    run.check(same, "the counter's 'keys' line has the same pixels after the crash")


def task_button(ws, title):
    """A point in `title`'s top bar button (taskbar.c: one per window, by id)."""
    k = sorted(w["id"] for w in ws.values()).index(ws[title]["id"])
    return TASK_X0 + k * (TASK_W + TASK_GAP) + TASK_W - 3, 10


def check_minimise(run, sh, m, ws):
    c = ws["clock"]
    box = (c["x"] + c["w"] - 36, c["y"] + 2)  # comp.h: left of the close box, 16x16
    screen = m.screendump()
    check_pixels(run, screen, [(box[0], box[1], MINIMISE, "the clock's minimise box")],
                 "before minimising")
    win(sh, f"point {box[0] + 8} {box[1] + 8} 1")
    win(sh, f"point {box[0] + 8} {box[1] + 8} 0")
    tx, ty = task_button(ws, "clock")
    now = windows(sh)
    run.check(now["clock"]["state"] == "min" and now["counter"]["focused"],
              "the minimise box minimised the clock; the counter has the focus", f"{now}")
    start = len(m.lines())
    sh.command("svc fi compositor crash", r"^svc: fi compositor crash: injected")
    back = wait_back(m, start, ("clock", "counter"))
    run.check(set(back) == {"clock", "counter"}, "both windows back after a second crash",
              f"{sorted(back)}")
    sh.wait_quiet()
    now = windows(sh)
    run.check(now["clock"]["state"] == "min", "the clock is still minimised after the crash",
              f"{now['clock']}")
    screen = m.screendump()
    check_pixels(run, screen, [(c["x"] + 5, c["y"] + 30, DESKTOP, "the minimised clock's place"),
                               (tx, 3, TASK_MIN, "the clock's top bar button, dimmed")],
                 "minimised")
    win(sh, f"point {tx} {ty} 1")
    win(sh, f"point {tx} {ty} 0")
    now = windows(sh)
    back = now["clock"]
    run.check(back["focused"] and (back["x"], back["y"]) == (c["x"], c["y"]) and
              back["z"] == len(now) - 1,
              "its top bar button brought the clock back on top, focused, at its place", f"{back}")
    check_pixels(run, m.screendump(), frame_checks(back, CLOCK_BG, "restored clock") +
                 [(tx, 3, TITLE_FOCUS, "the clock's top bar button, focused")], "restored")
    return now


def check_close(run, sh, m, ws):
    k = ws["counter"]
    bx, by = k["x"] + k["w"] - 10, k["y"] + 10
    win(sh, f"raise {k['id']}")
    start = len(m.lines())
    win(sh, f"point {bx} {by} 1")
    win(sh, f"point {bx} {by} 0")
    m.wait_for(r"svc: counterwin \(pid \d+\) exited with code 0", timeout=20, since=start)
    left = windows(sh)
    run.check("counter" not in left and "clock" in left,
              "the close box closed the counter; the clock stays", f"{left}")
    screen = m.screendump()
    check_pixels(run, screen, [(k["x"] + 5, k["y"] + 30, DESKTOP, "the counter's place")],
                 "after closing")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        _, extra = run.default_disk(tmp)
        with run.machine(timeout=240, extra=extra) as m:
            desktop(run, m)


def desktop(run, m):
    m.start()
    sh = ConsoleShell(m)
    sh.wait_ready()
    m.wait_for(r"compositor: \d+x\d+ desktop up", since=0, timeout=60)
    m.wait_for(r"fat: disk0p1: .* serving fs0", since=0, timeout=60)
    start = len(m.lines())
    sh.command("svc start counterwin", r"^svc: ")
    m.wait_for(r"svc: started counterwin", since=start, timeout=60)
    for _ in range(40):
        if {"clock", "counter"} <= set(windows(sh)):
            break
    ws = check_boot(run, sh, m)
    if ws is None:
        return
    check_cursor(run, sh, m)
    ws = check_overlap(run, sh, m, ws)
    ws = check_drag(run, sh, m, ws)
    check_restart(run, sh, m, ws)
    ws = check_minimise(run, sh, m, ws)
    check_close(run, sh, m, ws)
    bad = [l for l in m.lines() if "EXCEPTION" in l or "PANIC" in l]
    run.check(not bad, "no EXCEPTION or PANIC in the log", bad[0] if bad else "")


if __name__ == "__main__":
    TestRun.main("qemu-desktop", main)
