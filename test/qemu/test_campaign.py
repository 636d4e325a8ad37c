#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The fault campaign (issue 16): boots with run=camp:N:SEED under -icount on
a copy of the default disk and the ext2 share (so ext2 is a target too);
the second disk is the harness's kernel-arguments volume (made by mtools),
which camp has fat2 serve. test/guest/camp injects N faults (crash, hang, leak, a
corrupted reply, a bit flip) through the svc protocol into the services it
finds running (every one has a heartbeat), picked by a seeded generator,
with a workload between them: files written, fsync'ed and read back,
directories listed, calls to the echo and counter test servers. Meanwhile
this script adds input through QMP: it types into the terminal (keys and
backspaces, through xhci, the compositor and the terminal to sh's line
editor) and drags the terminal's window by its title bar to and fro.

Passes when: no PANIC or EXCEPTION in the log; every fault was injected; no
service stayed down past the bound (hangs 0) and every one runs and answers
at the end; the guest says its invariants held (the kernel counters back at
the baseline, every window still listed, every fsync'ed byte read back, the
counter's kept state never went back); camp exits 0 and QEMU 33; and on the
host `fsck.fat -n` finds the system disk's volume and fat2's clean. Faults a restart
could not cure are counted in the summary (given up, client errors other
than E_RESTARTED, unsynced bytes lost) and printed as figures.

`./run campaign [N] [SEED]` runs this script with CAMPAIGN_FAULTS,
CAMPAIGN_SEED and CAMPAIGN_ECHO=1 (the guest's lines as they arrive)."""

import os
import re
import shutil
import subprocess
import tempfile
import time

from harness import EXIT_SUCCESS, TestFailure, TestRun

SUITE_FAULTS = 150
FAULTS = int(os.environ.get("CAMPAIGN_FAULTS", str(SUITE_FAULTS)), 0)
SEED = int(os.environ.get("CAMPAIGN_SEED", "1"), 0)
ECHO = bool(os.environ.get("CAMPAIGN_ECHO"))
TIMEOUT_S = 230 if FAULTS <= SUITE_FAULTS else 120 + FAULTS  # about 0.7 s a fault on a loaded host
PART_LBA = 2048  # the default disk's FAT32 partition (iso/mkdisk.py)

WINDOW = re.compile(r"camp: window (-?\d+) (-?\d+) (\d+) (\d+) '(.*)'$")
TARGET = re.compile(r"camp: target (\S+) crash (\d+) hang (\d+) leak (\d+) corrupt (\d+) "
                    r"flip (\d+) refused (\d+) hangs (\d+) given_up (\d+) "
                    r"latency median (\d+) worst (\d+)")
SUMMARY = re.compile(r"camp: summary (.*)$")
KINFO = re.compile(r"camp: kinfo: frames free ([+-]\d+) against the baseline")
TOTAL = re.compile(r"camp: total (\d+) guest instructions; invariants (held|BROKEN)")


class Input:
    """QMP input while the campaign runs: keys into the terminal, drags of its window."""

    def __init__(self, m, windows):
        self.m, self.keys, self.drags, self.right = m, 0, 0, True
        term = [w for w in windows if "term" in w[4].lower() or "sh" in w[4].lower()]
        self.window = (term or windows or [None])[0]

    def drag(self):
        x, y = self.window[0] + 40, self.window[1] + 8
        dx = 80 if self.right else 0
        start, end = (x + 80 - dx, y), (x + dx, y)
        self.m.mouse_move(*start)
        self.m.mouse_button("left", True)
        for step in range(1, 5):
            self.m.mouse_move(start[0] + (end[0] - start[0]) * step // 4, y)
        self.m.mouse_button("left", False)
        self.right, self.drags = not self.right, self.drags + 1

    def type(self):
        self.m.type_text("camp")
        for _ in range(4):
            self.m.send_key("backspace")
        self.keys += 8

    def step(self):
        if self.window is not None:
            self.drag()
        self.type()


def follow(m, deadline, windows):
    """Drive input and echo the guest's lines until its final line; returns the lines."""
    seen, inp, driving = 0, None, True
    while True:
        lines = m.lines()
        for line in lines[seen:]:
            if ECHO and line.startswith("camp:"):
                print(line, flush=True)
            w = WINDOW.search(line)
            if w:
                windows.append(tuple(int(x) for x in w.groups()[:4]) + (w.group(5),))
            if "camp: workload running" in line:
                inp = Input(m, windows)
            if "camp: workload stopping" in line:
                driving = False
            if TOTAL.search(line) or "camp: FAIL cannot start" in line:
                return lines, inp
        seen = len(lines)
        if not m.running():
            raise TestFailure(f"QEMU exited before the campaign's last line\n{m.tail()}")
        if time.monotonic() >= deadline:
            raise TestFailure(f"no final line after {TIMEOUT_S} s: a hang?\n{m.tail()}")
        if inp and driving:
            inp.step()
        time.sleep(0.2)


def summary_fields(line):
    words = line.split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)
            if words[i + 1].isdigit()}


def check_guest(run, lines):
    bad = [line for line in lines if "PANIC" in line or "EXCEPTION" in line]
    run.figure("campaign_panics", len(bad))
    run.check(not bad, "no kernel PANIC or EXCEPTION", bad[0] if bad else "")
    fails = [line for line in lines if line.startswith("camp: FAIL")]
    run.check(not fails, "camp reported no broken invariant", " | ".join(fails[:5]))
    found = [SUMMARY.search(line) for line in lines]
    found = [f for f in found if f]
    if not run.check(bool(found), "camp printed its summary"):
        return
    s = summary_fields(found[-1].group(1))
    refused = sum(int(t.group(7)) for t in map(TARGET.search, lines) if t)
    run.check(s["faults"] + refused == FAULTS, f"{FAULTS} faults tried",
              f"{s['faults']} injected, {refused} refused")
    for key in ("hangs", "not_running", "synced_lost", "counter_lost"):
        run.figure(f"campaign_{key}", s[key])
        run.check(s[key] == 0, f"{key} 0", f"{s[key]}")
    for key in ("crash", "hang", "leak", "corrupt", "flip", "given_up", "client_errors", "restarted_seen",
                "unsynced_lost", "ops"):
        run.figure(f"campaign_{key}", s[key])
    for t in filter(None, map(TARGET.search, lines)):
        name = t.group(1)
        run.figure(f"campaign_{name}_faults", sum(int(t.group(i)) for i in range(2, 7)))
        run.figure(f"campaign_{name}_restart_median", t.group(10))
        run.figure(f"campaign_{name}_restart_worst", t.group(11))
    kinfo = [k for k in map(KINFO.search, lines) if k]
    if run.check(bool(kinfo), "camp compared the kernel counters with the baseline"):
        run.figure("campaign_frames_vs_baseline", int(kinfo[-1].group(1)))
    total = [TOTAL.search(line) for line in lines]
    total = [t for t in total if t]
    if run.check(bool(total), "camp printed its total"):
        run.figure("campaign_guest_instructions", total[-1].group(1))
        run.check(total[-1].group(2) == "held", "camp: invariants held")


def fsck(run, image, what):
    done = subprocess.run(["fsck.fat", "-n", image], capture_output=True, text=True)
    run.check(done.returncode == 0, f"fsck.fat -n passes {what}",
              (done.stdout + done.stderr)[-400:])


def check_disk(run, tmp, disk):
    part = os.path.join(tmp, "part.img")
    with open(disk, "rb") as f, open(part, "wb") as out:
        f.seek(PART_LBA * 512)
        shutil.copyfileobj(f, out)
    fsck(run, part, "the system disk")


def main(run):
    # /dev/shm and cache=unsafe: under -icount sleep=off the guest clock jumps over the host's
    # disk I/O, and a slow host fsync would time out ahci's commands (as in qemu-bench).
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        disk = os.path.join(tmp, "disk.img")
        shutil.copyfile(os.path.join(os.path.dirname(run.iso), "disk.img"), disk)
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0,cache=unsafe",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        share = os.path.join(os.path.dirname(os.path.dirname(run.iso)), "share.img")
        if os.path.exists(share):
            extra += ["-drive", f"file={share},format=raw,if=none,id=share,snapshot=on",
                      "-device", "ide-hd,drive=share,bus=ide.5"]
        with run.machine(args=f"run=camp:{FAULTS}:{SEED}", icount=True, extra=extra,
                         timeout=TIMEOUT_S) as m:
            m.start()
            windows = []
            lines, inp = follow(m, m.start_time + TIMEOUT_S - 20, windows)
            exited = m.wait_for(r"^init: camp exited with code (-?\d+)$", timeout=30)
            status = m.wait_exit(30)
            lines = m.lines()
            # disk1, fat2's: the kernel-arguments volume on ide.1, still in the machine's tmp
            fsck(run, m._kargs_image(), "fat2's disk (the kernel-arguments volume)")
        check_guest(run, lines)
        run.check(bool(windows), "camp listed the desktop's windows")
        if inp:
            run.figure("campaign_keys_typed", inp.keys)
            run.figure("campaign_window_drags", inp.drags)
        run.check(exited.group(1) == "0", "init: camp exited with code 0", exited.group(1))
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"{status}")
        check_disk(run, tmp, disk)


if __name__ == "__main__":
    TestRun.main("qemu-campaign", main)
