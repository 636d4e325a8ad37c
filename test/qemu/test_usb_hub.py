#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Devices behind hubs: QEMU's usb-hub (full speed, 8 ports) on root
port 4 of the controller with a usb-kbd on its port 2 at boot, and a
second hub on its port 1 with a usb-kbd on that one's port 3 (route string
0x31, "port 8.1.3"), all enumerated before the driver says ready. The xhci
driver must enumerate the hub (its descriptor, its slot marked as a hub,
its ports powered) and the keyboard behind it (route string 2, "port 8.2"
in the log: xHCI port 8 is USB 2 root port 4 of qemu-xhci). Then a second
keyboard is plugged into hub port 3 while the system runs: the hub's status
change endpoint reports it, it is enumerated, a key typed reaches itest
from it, and pulling it frees its slot; last, pulling the first hub releases
everything behind it."""

import re
import time

from harness import TestRun

HUB = ["-device", "usb-hub,bus=xhci.0,port=4,id=hub",
       "-device", "usb-kbd,bus=xhci.0,port=4.2,id=hubkbd",
       "-device", "usb-hub,bus=xhci.0,port=4.1,id=hub2",
       "-device", "usb-kbd,bus=xhci.0,port=4.1.3,id=deepkbd"]


def finished_line(m, prefix, timeout=10):
    """The index of the first whole serial line starting with prefix (None: none in timeout s):
    wait_for also matches the unfinished last line, which m.lines() leaves out until its
    newline arrives."""
    deadline = time.monotonic() + timeout
    while True:
        lines = m.lines()
        found = next((i for i, line in enumerate(lines) if line.startswith(prefix)), None)
        if found is not None or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def main(run):
    with run.machine(args="run=itest:100000", extra=HUB, timeout=120) as m:
        m.start()
        hub = m.wait_for(r"xhci: port (\d+): hub 0409:55aa .* as input device (\d+)", timeout=60)
        root, hub_number = hub.groups()
        m.wait_for(rf"xhci: port {root}\.2: keyboard 0627:0001 .* as input device (\d+)",
                   since=0, timeout=30)
        m.wait_for(rf"xhci: port {root}\.1: hub 0409:55aa", since=0, timeout=30)
        deep = m.seen(rf"xhci: port {root}\.1\.3: keyboard 0627:0001", since=0, timeout=30)
        run.check(deep is not None, "the hubs and the keyboards behind them were enumerated")
        m.wait_for(r"xhci: ready at \d+ us", since=0, timeout=30)
        ready = finished_line(m, "xhci: ready at")
        before = [line for line in m.lines()[:ready or 0]
                  if re.search(rf"xhci: port {root}\.1\.3: keyboard", line)]
        run.check(ready is not None and len(before) == 1,
                  "even two tiers down, before the driver said ready")
        m.wait_for(r"itest: ready", since=0, timeout=60)
        m.qmp("device_add", driver="usb-kbd", bus="xhci.0", port="4.3", id="plugged")
        added = m.wait_for(rf"xhci: port {root}\.3: keyboard 0627:0001 .* on slot (\d+) "
                           r"as input device (\d+)", timeout=30)
        slot, number = added.groups()
        m.send_key("u")
        found = m.wait_for(rf'itest: key u press usage 0x18 .* dev {number}$', timeout=20)
        run.check(found is not None, "a key from the keyboard plugged into the hub")
        m.qmp("device_del", id="plugged")
        gone = m.wait_for(rf"xhci: port {root}\.3: keyboard {number} gone \(slot {slot} freed\)",
                          timeout=30)
        run.check(gone is not None, "pulled from the hub: its slot freed")
        start = len(m.lines())
        m.qmp("device_del", id="hub")
        m.wait_for(rf"xhci: port {root}: hub {hub_number} gone", timeout=30)
        for place, kind in ((".2", "keyboard"), (".1", "hub"), (".1.3", "keyboard")):
            # each device behind the hub says so after the hub's own line, in any order
            pattern = rf"xhci: port {root}{re.escape(place)}: {kind} \d+ gone"
            run.check(m.seen(pattern, timeout=30, since=start) is not None,
                      f"the {kind} at {root}{place} went with the pulled hub")
        refused = [line for line in m.lines() if "device refused" in line]
        run.check(not refused, "no device refused", refused[0] if refused else "")


if __name__ == "__main__":
    TestRun.main("qemu-usb-hub", main)
