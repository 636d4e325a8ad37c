#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The GUI terminal (servers/terminal, issue 14), driven as a user drives
it: keys typed through QMP into QEMU's usb-kbd (the xhci driver, the
compositor, the terminal's window), the screen read back as text with the
console's `term text 1` and, once, as pixels in a screendump.

- at boot the terminal window is on the desktop and `term` lists it,
  80x25 with 1,000 lines of scrollback room;
- sh's prompt; `echo` typed on the US layout, its output and the prompt
  back; the screendump shows each glyph of the row exactly where `term
  text` says (non-background pixels in the cells the text occupies, none
  beside);
- Japanese lines (a file the test adds to its copy of the default disk
  with mtools: the text and the disk's Japanese file name) printed by
  `head`, each character in two cells, checked in pixels too; `echo
  "jp-layout"` typed on the JP layout (" is Shift-2 there);
- `seq 1 10000`: the prompt returns, 1,000 lines of scrollback are kept,
  Shift+PgUp to the top shows the oldest kept line, Shift+PgDn goes back;
- the mouse wheel (QMP wheel-up/-down buttons on the usb-tablet: the HID
  report's wheel through xhci and the compositor) scrolls 3 lines a step,
  back and forth;
- Ctrl-C twice stops `yes` (which reads no input, so sh kills it at the
  second) and the prompt takes the next command;
- `svc fi terminal crash`: the window comes back with an empty screen and
  a fresh sh;
- Ctrl+Shift+N typed into terminal 1 opens terminal 2 with its own sh;
- `term new` opens a third terminal, a process of its own with its own sh.
"""

import os
import re
import subprocess
import tempfile
import time

from console_shell import ConsoleShell
from harness import TestRun
from qmp_input import char_to_key
from test_desktop import TITLE_H, windows

TIMEOUT_S = 30
CELL_W, CELL_H = 8, 16
TERM_ROWS = 25
BG = (0x10, 0x14, 0x18)
PROMPT = "sh$"  # as a row of `term text`: its trailing blank dropped
JAPANESE_NAME = "日本語のファイル.txt"  # the default disk's (iso/mkdisk.py)
JAPANESE_TEXT = "これは日本語のテキストです。"
FIRST, SECTOR = 2048, 512  # the default disk's partition
JP_KEYS = {'"': "shift-2"}  # what differs on a JIS keyboard among the keys typed here


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
    sh.command("win point 1010 10", r"^win: ")  # the pointer off the window (screendumps)
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


def type_line(m, line, layout="us"):
    """Type `line` and Enter through QMP keys."""
    for ch in line + "\n":
        m.send_key(JP_KEYS.get(ch, char_to_key(ch)) if layout == "jp" else char_to_key(ch))


def wait_prompt_after(sh, pattern, n=1, timeout=TIMEOUT_S):
    """term text until a row matches `pattern` and a later row is sh's bare prompt."""
    deadline = time.monotonic() + timeout
    regex = re.compile(pattern)
    while True:
        rows = term_text(sh, n)
        hits = [i for i, row in enumerate(rows) if regex.search(row)]
        if hits and any(r == PROMPT for r in rows[hits[-1] + 1:]):
            return rows, hits[-1]
        if time.monotonic() > deadline:
            return rows, None
        time.sleep(0.3)


def typing(run, sh, m, w):
    rows, i = wait_text(sh, "^" + re.escape(PROMPT) + "$")
    run.check(i is not None, "the terminal shows sh's prompt", "\n".join(rows))
    type_line(m, "echo hello-term")
    rows, i = wait_prompt_after(sh, r"^hello-term$")
    run.check(i is not None and rows[i - 1] == PROMPT + " echo hello-term",
              "echo typed through the USB keyboard: its line, its output, the prompt back",
              "\n".join(rows))
    if i is not None:
        check_pixels(run, m, w, rows, i - 1)


def japanese(run, sh, m, w):
    type_line(m, "head -n 2 /kana.txt")
    rows, i = wait_prompt_after(sh, "^" + re.escape(JAPANESE_NAME) + "$")
    run.check(i is not None and rows[i - 1] == JAPANESE_TEXT,
              f"head prints the Japanese lines of /kana.txt", "\n".join(rows))
    if i is not None:
        check_pixels(run, m, w, rows, i)  # two cells a character
        check_pixels(run, m, w, rows, i - 1)
    sh.command("kbd layout jp", r"^kbd: ok$")
    type_line(m, 'echo "jp-layout"', layout="jp")
    rows, i = wait_prompt_after(sh, r"^jp-layout$")
    run.check(i is not None, 'a JP keyboard types " as Shift-2: echo "jp-layout"',
              "\n".join(rows))
    sh.command("kbd layout us", r"^kbd: ok$")


def term_info(sh, n=1):
    lines = sh.command("term", r"^term: \d+ terminals$")
    for line in lines:
        f = line.split()
        if f and f[0] == str(n) and len(f) >= 6:
            return {"scrollback": int(f[4]), "view": int(f[5])}
    return {}


def scrollback(run, sh, m):
    type_line(m, "seq 1 10000")
    rows, i = wait_prompt_after(sh, r"^10000$", timeout=120)
    if not run.check(i is not None, "seq 1 10000: 10000 and the prompt after it",
                     "\n".join(rows)):
        return
    run.check(term_info(sh).get("scrollback") == 1000, "1,000 lines of scrollback kept")
    top = int(rows[0])
    for _ in range(1000 // 24 + 1):
        m.send_key("shift-pgup")
        time.sleep(0.05)  # one report each: the keyboard's reports are not queued for ever
    rows, j = wait_text(sh, rf"^{top - 1000}$")
    run.check(j == 0 and term_info(sh).get("view") == 1000,
              f"Shift+PgUp to the top: the oldest line kept is {top - 1000}", "\n".join(rows[:3]))
    for _ in range(1000 // 24 + 1):
        m.send_key("shift-pgdn")
        time.sleep(0.05)
    rows, j = wait_text(sh, r"^10000$")
    run.check(term_info(sh).get("view") == 0, "Shift+PgDn back to the live screen")


WHEEL_STEPS = 5


def wheel_steps(m, button, n):
    """n steps of the wheel: a press and a release of QEMU's wheel button each."""
    for _ in range(n):
        m.mouse_button(button, True)
        time.sleep(0.05)
        m.mouse_button(button, False)
        time.sleep(0.05)


def wait_view(sh, want, timeout=TIMEOUT_S):
    """`term` until terminal 1's view is `want` lines back; the last view seen."""
    deadline = time.monotonic() + timeout
    while True:
        view = term_info(sh).get("view")
        if view == want or time.monotonic() > deadline:
            return view
        time.sleep(0.3)


def wheel(run, sh, m, w):
    """After scrollback(): the wheel over the window scrolls it, 3 lines a step."""
    top = term_text(sh)[0]  # the live screen's first row, a number of seq's
    m.mouse_move(w["x"] + 200, w["y"] + TITLE_H + 150)
    wheel_steps(m, "wheel-up", WHEEL_STEPS)
    view = wait_view(sh, 3 * WHEEL_STEPS)
    run.check(view == 3 * WHEEL_STEPS, f"{WHEEL_STEPS} wheel steps up: "
              f"{3 * WHEEL_STEPS} lines back", f"view {view}")
    rows = term_text(sh)
    want = str(int(top) - 3 * WHEEL_STEPS) if top.isdigit() else None
    run.check(want is not None and rows[0] == want and rows[-1] == str(int(want) + TERM_ROWS - 1),
              f"the grid shows the {3 * WHEEL_STEPS} lines above: {want} at the top",
              "\n".join(rows))
    wheel_steps(m, "wheel-down", 2)
    view = wait_view(sh, 3 * (WHEEL_STEPS - 2))
    run.check(view == 3 * (WHEEL_STEPS - 2), "2 steps down: 6 lines nearer", f"view {view}")
    wheel_steps(m, "wheel-down", WHEEL_STEPS)
    run.check(wait_view(sh, 0) == 0, "and down past the bottom: the live screen")
    sh.command("win point 1010 10", r"^win: ")


def interrupt(run, sh, m):
    type_line(m, "yes")
    rows, i = wait_text(sh, r"^y$")
    run.check(i is not None, "yes floods the terminal", "\n".join(rows[-3:]))
    m.send_key("ctrl-c")  # yes reads no input: it ignores the interrupt ...
    time.sleep(0.5)
    m.send_key("ctrl-c")  # ... and sh kills it at the second
    rows, i = wait_prompt_after(sh, r"^\^C$")
    run.check(i is not None, "two Ctrl-C stop yes: ^C and the prompt", "\n".join(rows[-4:]))
    type_line(m, "echo after-intr")
    rows, i = wait_prompt_after(sh, r"^after-intr$")
    run.check(i is not None, "the prompt takes the next command", "\n".join(rows[-4:]))


def crash(run, sh, m):
    start = len(m.lines())
    sh.command("svc fi terminal crash", r"^svc: fi terminal crash: injected")
    m.wait_for(r"svc: restarted terminal", since=start, timeout=TIMEOUT_S)
    rows, i = wait_text(sh, "^" + re.escape(PROMPT) + "$")
    run.check(i == 0 and not any("hello-term" in r for r in rows),
              "after a crash the terminal is back: an empty screen and a fresh sh",
              "\n".join(rows))


def new_by_key(run, sh, m):
    """Ctrl+Shift+N in terminal 1 (the only window) opens terminal 2."""
    if not focus_terminal(run, sh):
        return
    start = len(m.lines())
    m.send_key("ctrl-shift-n")
    m.wait_for(r"terminal: Ctrl\+Shift\+N started terminal 2$", since=start, timeout=TIMEOUT_S)
    rows, i = wait_text(sh, "^" + re.escape(PROMPT) + "$", n=2)
    run.check(i is not None, "Ctrl+Shift+N opens terminal 2 with its own sh", "\n".join(rows))
    rows = term_text(sh, 1)
    run.check(not any("\x0e" in r for r in rows), "terminal 1's sh got no byte of it")


def second(run, sh, m):
    sh.command("term new", r"^term: started terminal3 \(term 3\)$")
    rows, i = wait_text(sh, "^" + re.escape(PROMPT) + "$", n=3)
    run.check(i is not None, "term new opens terminal 3 with its own sh", "\n".join(rows))
    lines = sh.command("term", r"^term: \d+ terminals$")
    run.check(any(re.match(r"^term: 3 terminals$", ln) for ln in lines), "term lists three")
    lines = sh.command("svc list", r"^name +pid")
    for n in (2, 3):
        run.check(any(re.match(rf"^terminal{n} +[1-9]\d* +running", ln) for ln in lines),
                  f"terminal {n} is a process of its own", "\n".join(lines))


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        image, extra = run.default_disk(tmp)
        kana = os.path.join(tmp, "kana.txt")
        with open(kana, "w", encoding="utf-8") as f:
            f.write(f"{JAPANESE_TEXT}\n{JAPANESE_NAME}\n")
        subprocess.run(["mcopy", "-i", f"{image}@@{FIRST * SECTOR}", kana, "::/kana.txt"],
                       check=True, env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
        with run.machine(extra=extra, timeout=400) as m:
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
                japanese(run, sh, m, w)
                scrollback(run, sh, m)
                wheel(run, sh, m, w)
                interrupt(run, sh, m)
            crash(run, sh, m)
            new_by_key(run, sh, m)
            second(run, sh, m)


if __name__ == "__main__":
    TestRun.main("qemu-terminal", main)
