#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A device the input driver does not serve: QEMU's usb-net, a full-speed
device whose EP0 takes 64-byte packets. The xhci driver must address it
at the full-speed default (8), read bMaxPacketSize0 = 64 and tell the
controller with Evaluate Context, read its descriptors, find no HID or hub
interface and refuse it with one log line, once: the port reset it did
must not bring the refused device back again and again. The keyboard and
tablet keep working beside it."""

from harness import TestRun

NET = ["-netdev", "user,id=net0", "-device", "usb-net,netdev=net0,bus=xhci.0,id=net"]


def main(run):
    with run.machine(args="run=itest:100000", extra=NET, timeout=90) as m:
        m.start()
        evaluate = m.wait_for(r"xhci: port (\d+): EP0 max packet 64, not 8: Evaluate Context",
                              timeout=60)
        port = evaluate.group(1)
        m.wait_for(rf"xhci: port {port}: device refused: no HID or hub interface \(E_NOENT\)",
                   timeout=20)
        m.wait_for(r"itest: ready", since=0, timeout=60)
        m.send_key("v")
        found = m.wait_for(r'itest: key v press usage 0x19 key 118 mods 0x000 text "v"',
                           timeout=20)
        run.check(found is not None, "the keyboard works beside the refused device")
        m.mouse_move(1, 2)
        found = m.wait_for(r"itest: ptr abs 1 2", timeout=20)
        run.check(found is not None, "the tablet works beside the refused device")
        refusals = [line for line in m.lines() if "device refused" in line]
        run.check(len(refusals) == 1, "refused once, not enumerated again and again",
                  f"{len(refusals)} refusals")


if __name__ == "__main__":
    TestRun.main("qemu-usb-refuse", main)
