#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A consumer that stops reading does not block the driver, and loses the
oldest events, counted. itest subscribes and then reads nothing (itest
stall) while KEYS keys are typed: 2 x KEYS events, more than the 256 its
queue holds. The shell's `input`, a second consumer, keeps reading, and
each key is typed only once it has printed the last one's release, so
every event reached the driver and the driver was never held up. Then a
keyboard is plugged in, itest reads again and must say that exactly
2 x KEYS - 256 events were dropped and go on from the oldest one kept:
the press of key number (2 x KEYS - 256) / 2."""

import string

from console_shell import ConsoleShell
from harness import TestRun

KEYS = 150
QUEUE = 256
LETTERS = string.ascii_lowercase


def main(run):
    with run.machine(args="run=itest:300:stall", timeout=150) as m:
        m.start()
        m.wait_for(r"itest: not reading until a device is plugged in", timeout=60)
        sh = ConsoleShell(m, rescue=True)
        sh.wait_quiet()
        sh.send("input\r")
        m.wait_for(r"^input: reading events", timeout=20)
        for i in range(KEYS):
            letter = LETTERS[i % 26]
            m.send_key(letter, hold_ms=10)
            released = m.seen(rf"^key - release usage 0x{4 + i % 26:02x} ", timeout=20)
            if released is None:
                break
        run.check(released is not None,
                  f"the shell's input read all {KEYS} keys while itest read nothing",
                  f"key {i} ({letter}) was not reported")
        m.qmp("device_add", driver="usb-kbd", bus="xhci.0", id="go")
        m.wait_for(r"itest: reading again", timeout=30)
        dropped = 2 * KEYS - QUEUE
        found = m.wait_for(r"itest: (\d+) events dropped before this one", timeout=20)
        run.check(int(found.group(1)) == dropped, f"itest was told {dropped} events were dropped",
                  found.group(0))
        first = LETTERS[(dropped // 2) % 26]
        found = m.wait_for(r"itest: key (\S+) (press|release) ", timeout=20)
        run.check(found.groups() == (first, "press"),
                  f"its first event is the oldest kept: {first} press", found.group(0))


if __name__ == "__main__":
    TestRun.main("qemu-usb-backlog", main)
