#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""USB input at the shell (servers/console/cmd_input.c), under -icount so
key repeat follows guest time: `lsusb` lists the keyboard and the tablet;
`input` prints what QMP types and points; Caps Lock's LED goes to the
keyboard by SET_REPORT; a key held for 1000 ms of guest time repeats after
the default 500 ms at 30 per second (15 repeats), and after `kbd repeat
250 10` at 10 per second (8 repeats), each count allowed one either way
for where the press and release land in the keyboard's 10 ms polling; the
Japanese layout (`kbd layout jp`) types the yen key as U+00A5, Shift-2 as
a double quote and the ro key as a backslash (underscore shifted); a byte
on the serial line ends `input`."""

import re

from console_shell import ConsoleShell, lines_matching
from harness import TestRun

HOLD_MS = 1000


def repeats(m, key_usage, start):
    lines = m.lines()[start:]
    return sum(1 for line in lines if re.search(rf"^key \S+ repeat usage {key_usage} ", line))


def hold(run, sh, m, qcode, usage, want, what):
    start = len(m.lines())
    m.send_key(qcode, hold_ms=HOLD_MS)
    m.wait_for(rf"^key \S+ release usage {usage} ", timeout=30)
    n = repeats(m, usage, start)
    run.figure(f"repeats_{what.replace(' ', '_')}", n)
    run.check(want - 1 <= n <= want + 1, f"{what}: {want} repeats in {HOLD_MS} ms", f"{n}")


def main(run):
    with run.machine(icount=True, timeout=120) as m:
        m.start()
        sh = ConsoleShell(m, rescue=True)
        sh.wait_ready(timeout=90)
        m.wait_for(r"xhci: port \d+: tablet 0627:0001", since=0, timeout=60)
        sh.wait_quiet()
        lines = sh.command("lsusb", r"^2 USB input devices$")
        run.check(len(lines_matching(lines, r'^\d: port \d+ high-speed 0627:0001 class 00/01/01 '
                                     r'keyboard "QEMU USB Keyboard"$')) == 1, "lsusb: keyboard")
        run.check(len(lines_matching(lines, r'^\d: port \d+ high-speed 0627:0001 class 00/00/00 '
                                     r'tablet "QEMU USB Tablet"$')) == 1, "lsusb: tablet")
        sh.send("input\r")
        m.wait_for(r"^input: reading events", timeout=20)
        m.send_key("h")
        m.wait_for(r'^key h press usage 0x0b key 104 mods 0x000 text "h"$', timeout=20)
        m.mouse_move(700, 300)
        m.wait_for(r"^ptr abs 700 300$", timeout=20)
        m.mouse_click("middle")
        m.wait_for(r"^btn middle press$", timeout=20)
        m.send_key("caps_lock")
        m.wait_for(r"xhci: keyboard \d+: LEDs 0x2: E_OK", timeout=20)
        m.send_key("caps_lock")
        run.check(m.seen(r"xhci: keyboard \d+: LEDs 0x0: E_OK", timeout=20) is not None,
                  "input printed a key, a move and a click; Caps Lock set and cleared the LED")
        hold(run, sh, m, "x", "0x1b", 15, "default repeat")
        sh.send("q")  # ends input
        sh.wait_prompt()
        sh.command("kbd repeat 250 10", r"^kbd: ok$")
        sh.command("kbd layout jp", r"^kbd: ok$")
        sh.send("input 200\r")
        m.wait_for(r"^input: reading events", timeout=20)
        hold(run, sh, m, "y", "0x1c", 8, "repeat 250 ms 10 per s")
        for qcode, text in (("yen", "\u00a5"), ("shift-2", '"'), ("ro", "\\\\"), ("shift-ro", "_")):
            m.send_key(qcode)
            found = m.seen(rf'^key \S+ press usage 0x[0-9a-f]+ key \d+ mods 0x00[02] '
                           rf'text "{re.escape(text) if text != chr(92) * 2 else text}"$',
                           timeout=20)
            run.check(found is not None, f"jp: {qcode} types {text}")
        sh.send("q")
        sh.wait_prompt()
        sh.command("kbd layout us", r"^kbd: ok$")
        sh.command("kbd layout fr", r"^usage: kbd ")


if __name__ == "__main__":
    TestRun.main("qemu-usb-console", main)
