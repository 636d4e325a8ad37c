#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""USB input end to end: the xhci driver (servers/xhci) enumerates QEMU's
usb-kbd and usb-tablet on qemu-xhci, and the test consumer itest
(test/guest/itest) prints every event it receives through the input
protocol. Keystrokes go in through QMP send-key (letters, Shift, Ctrl,
Caps Lock) and the tablet is moved and clicked with input-send-event; each
must come out of itest as the expected line; a relative usb-mouse (as
`./run --mouse` adds) must report motion and its wheel, in order, with absolute
positions landing on exactly the pixel sent (1024x768). The log must show
the Supported Protocol capabilities read from the controller (USB 3 and
USB 2 port ranges) and the devices enumerated, the tablet after a real
stall: it refuses SET_PROTOCOL, which the driver asks of every
report-protocol device, and its next requests must go through the EP0 the
driver reset."""

import re

from harness import TestRun

TIMEOUT_S = 120
# (what to send, the itest lines it must produce, in order)
KEYS = [
    ("a", ['key a press usage 0x04 key 97 mods 0x000 text "a"',
           'key - release usage 0x04']),
    ("shift-b", ['key - press usage 0xe1', 'key B press usage 0x05 key 98 mods 0x002 text "B"',
                 'key - release usage 0x05', 'key - release usage 0xe1']),
    ("ctrl-c", ['key - press usage 0xe0', 'key ^C press usage 0x06 key 99 mods 0x001 text "^C"',
                'key - release usage 0x06', 'key - release usage 0xe0']),
    ("caps_lock", ['key - press usage 0x39 key 313 mods 0x100',
                   'key - release usage 0x39']),
    ("d", ['key D press usage 0x07 key 100 mods 0x100 text "D"']),
    ("shift-e", ['key e press usage 0x08 key 101 mods 0x102 text "e"']),
    ("caps_lock", ['key - press usage 0x39 key 313 mods 0x000']),
    ("1", ['key 1 press usage 0x1e key 49 mods 0x000 text "1"']),
    ("shift-slash", ['key ? press usage 0x38 key 47 mods 0x002 text "?"']),
]
POINTS = [(0, 0), (512, 384), (1023, 767), (100, 700), (333, 1)]


def expect(run, m, line, what):
    found = m.wait_for(r"itest: " + re.escape(line), timeout=20)
    return run.check(found is not None, what)


def rel(m, dx, dy):
    """Relative motion goes to the relative mouse (the tablet only takes absolute)."""
    m.qmp("input-send-event", events=[{"type": "rel", "data": {"axis": "x", "value": dx}},
                                      {"type": "rel", "data": {"axis": "y", "value": dy}}])


def main(run):
    mouse = ["-device", "usb-mouse,bus=xhci.0,id=mouse"]  # what ./run --mouse adds
    with run.machine(args="run=itest:200", timeout=TIMEOUT_S, extra=mouse) as m:
        m.start()
        m.wait_for(r"xhci: USB 3\.\d+ on ports (\d+)-(\d+)", timeout=60)
        usb3 = m.wait_for(r"xhci: USB 2\.\d+ on ports (\d+)-(\d+)", since=0, timeout=5)
        run.check(usb3 is not None, "the Supported Protocol capabilities were read")
        m.wait_for(r"xhci: port \d+: keyboard 0627:0001", since=0, timeout=60)
        m.wait_for(r"xhci: port \d+: tablet 0627:0001", since=0, timeout=60)
        m.wait_for(r"xhci: port \d+: mouse 0627:0001", since=0, timeout=60)
        run.check(m.seen(r"itest: ready", since=0, timeout=60) is not None,
                  "keyboard, tablet and mouse enumerated; itest subscribed")
        for key, lines in KEYS:
            m.send_key(key)
            for line in lines:
                expect(run, m, line, f"send-key {key}: {line!r}")
        for x, y in POINTS:
            m.mouse_move(x, y)
            expect(run, m, f"ptr abs {x} {y}", f"tablet moved to ({x}, {y})")
        m.mouse_click("left")
        expect(run, m, "btn left press", "left button down")
        expect(run, m, "btn left release", "left button up")
        m.mouse_click("right")
        expect(run, m, "btn right press", "right button down")
        expect(run, m, "btn right release", "right button up")
        rel(m, 10, -5)
        expect(run, m, "ptr rel 10 -5", "usb-mouse moved by (10, -5)")
        m.qmp("input-send-event", events=[{"type": "btn",
                                           "data": {"button": "wheel-up", "down": True}}])
        expect(run, m, "wheel 1", "the mouse wheel turned one step up")
        tablet = re.search(r"xhci: port (\d+): tablet", "\n".join(m.lines())).group(1)
        stalls = [line for line in m.lines() if "SET_PROTOCOL stalled" in line]
        run.check(stalls == [f"xhci: port {tablet}: SET_PROTOCOL stalled; EP0 reset"],
                  "the tablet stalled SET_PROTOCOL, EP0 was reset and it works (the mouse "
                  "took the request)", f"{stalls}")
        refused = [line for line in m.lines() if "device refused" in line]
        run.check(not refused, "no device refused", refused[0] if refused else "")


if __name__ == "__main__":
    TestRun.main("qemu-usb-input", main)
