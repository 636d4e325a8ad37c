#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""USB hot-plug while the system runs: a third keyboard is added on QMP
(device_add usb-kbd,bus=xhci.0) and removed (device_del) CYCLES times. Each
time the xhci driver must enumerate it on a port of its own, a key typed
(send-key) must reach the consumer itest from that keyboard, and its removal must free its slot. No slot may leak: the
controller hands out the lowest free slot, so every cycle must get the
same one. QEMU's send-key goes to the keyboard whose handler it activated
last, which is the new one once the driver polls it; the key must come
from that device's number. The two boot devices keep working throughout (a tablet move at
the end). Under -icount it reports the guest time from the port change to
the keyboard ready for input (median of the cycles)."""

import re
import statistics

from harness import TestRun

CYCLES = 20
ADDED = re.compile(r"xhci: port (\d+): keyboard 0627:0001 .* on slot (\d+) as input device (\d+) "
                   r"\(in (\d+) us\)")
GONE = r"xhci: port {}: keyboard {} gone \(slot {} freed\)"


def main(run):
    with run.machine(args="run=itest:100000", icount=True, timeout=180) as m:
        m.start()
        m.wait_for(r"itest: ready", timeout=60)
        slots, enumerate_us, gone = set(), [], 0
        for cycle in range(CYCLES):
            m.qmp("device_add", driver="usb-kbd", bus="xhci.0", id="hotkbd")
            added = m.wait_for(ADDED.pattern, timeout=20)
            port, slot, number, took = added.groups()
            enumerate_us.append(int(took))
            slots.add(slot)
            m.send_key("k")  # QEMU gives keys to the keyboard that was polled last: this one
            m.wait_for(rf'itest: key k press usage 0x0e key 107 mods 0x000 text "k" dev {number}$',
                       timeout=20)
            m.wait_for(rf"itest: key - release usage 0x0e .* dev {number}$", timeout=20)
            m.qmp("device_del", id="hotkbd")
            gone += m.seen(GONE.format(port, number, slot), timeout=20) is not None
        run.check(gone == CYCLES, f"{CYCLES} keyboards plugged in, typed on and pulled out",
                  f"{gone} reported gone")
        run.note("hot-plug enumeration, guest us: " + ", ".join(map(str, enumerate_us)))
        run.figure("usb_hotplug_port_change_to_ready_guest_us", statistics.median(enumerate_us))
        run.check(len(slots) == 1, "every cycle got the same slot: none leaked", f"{sorted(slots)}")
        m.mouse_move(10, 20)
        found = m.wait_for(r"itest: ptr abs 10 20", timeout=20)
        run.check(found is not None, "the boot tablet still works")
        refused = [line for line in m.lines() if "device refused" in line]
        run.check(not refused, "no device refused", refused[0] if refused else "")


if __name__ == "__main__":
    TestRun.main("qemu-usb-hotplug", main)
