#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Devices the input driver does not serve. QEMU's usb-net, a full-speed
device whose EP0 takes 64-byte packets. The xhci driver must address it
at the full-speed default (8), read bMaxPacketSize0 = 64 and tell the
controller with Evaluate Context, read its descriptors, find no HID or hub
interface and refuse it with one log line, once: the port reset it did
must not bring the refused device back again and again. QEMU's usb-storage
is a SuperSpeed device: it must come up on a USB 3 port (one of those the
Supported Protocol capability names), be addressed with EP0 at 512 bytes,
answer its descriptors and be refused the same way. The keyboard and tablet
keep working beside them."""

import os
import re
import tempfile

from harness import TestRun

NET = ["-netdev", "user,id=net0", "-device", "usb-net,netdev=net0,bus=xhci.0,id=net"]


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        stick = os.path.join(tmp, "stick.img")
        with open(stick, "wb") as f:
            f.truncate(1 << 20)
        # One machine each: with a fourth device QEMU would chain in a full-speed hub.
        check(run, NET)
        port, (first, last) = check(run, ["-drive", f"if=none,id=stick,file={stick},format=raw",
                                          "-device", "usb-storage,bus=xhci.0,drive=stick"],
                                    evaluate=False)
        run.check(first <= int(port) <= last,
                  "the SuperSpeed stick was enumerated on a USB 3 port and refused", port)


def check(run, extra, evaluate=True):
    """Boot with `extra`; the refused device's port and the USB 3 port range."""
    with run.machine(args="run=itest:100000", extra=extra, timeout=90) as m:
        m.start()
        usb3 = m.wait_for(r"xhci: USB 3\.\d+ on ports (\d+)-(\d+)", timeout=60)
        if evaluate:
            evaluated = m.seen(r"xhci: port \d+: EP0 max packet 64, not 8: Evaluate Context",
                               since=0, timeout=60)
            run.check(evaluated is not None, "EP0's max packet size corrected by Evaluate Context")
        refused = m.seen(r"xhci: port (\d+): device refused: no HID or hub interface "
                         r"\(E_NOENT\)", since=0, timeout=60)
        run.check(refused is not None, "the device without a HID or hub interface was refused")
        m.wait_for(r"itest: ready", since=0, timeout=60)
        m.send_key("v")
        found = m.seen(r'itest: key v press usage 0x19 key 118 mods 0x000 text "v"', timeout=20)
        run.check(found is not None, "the keyboard works beside the refused device")
        m.mouse_move(1, 2)
        found = m.seen(r"itest: ptr abs 1 2", timeout=20)
        run.check(found is not None, "the tablet works beside the refused device")
        refusals = [line for line in m.lines() if "device refused" in line]
        run.check(len(refusals) == 1, "refused once, not enumerated again and again",
                  f"{len(refusals)} refusals")
        port = refused.group(1) if refused else "-1"
        return port, tuple(map(int, usb3.groups()))


if __name__ == "__main__":
    TestRun.main("qemu-usb-refuse", main)
