#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The GUI terminal's figures under -icount shift=0,sleep=off (guest
instructions; ./run bench prints them in its table through test_bench.py,
which calls collect_term). One boot with a copy of the default disk holding
a 1 MiB text file runs run=termbench (apps/termbench): `cat` of that file
typed into terminal 1 (term_cat_per_kib), then `svc fi terminal crash`
until the new instance shows sh's prompt (term_restart, and
term_restart_ns in guest time, which must be under 1 s); then this script
types ECHO_KEYS keys into the terminal through QMP (the USB keyboard) and
takes the median of the compositor's echo probes (term_echo_latency: from a
key's xHCI interrupt to its echo on the framebuffer; proto/display.h).
Each figure may exceed its budget in bench_budget.json by the file's
tolerance."""

import os
import re
import statistics
import subprocess
import tempfile
import time

from harness import EXIT_SUCCESS, TestRun

MTOOLS_ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")

TERM_FILE = "/termcat.txt"
TERM_LAST_LINE = "termbench: end of file"  # apps/termbench's LAST_LINE
TERM_FILE_BYTES = 1 << 20
ECHO_KEYS = 16  # termbench's ECHO_KEYS, and the compositor's DISPLAY_ECHO_LOG
RESTART_NS_MAX = 1_000_000_000  # the "within 1 s of guest time"
DISK_PART_OFFSET = 2048 * 512  # the default disk's partition
TERM_WINDOW = (330, 300)  # terminal 1's frame at boot (servers/terminal/main.c's place)


def term_file(path):
    """1 MiB of 64-byte numbered lines; the last is TERM_LAST_LINE."""
    filler = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lines = [f"{i:07d} {filler[:55]}\n" for i in range(TERM_FILE_BYTES // 64 - 1)]
    lines.append(TERM_LAST_LINE.ljust(63) + "\n")
    data = "".join(lines).encode()
    assert len(data) == TERM_FILE_BYTES
    with open(path, "wb") as f:
        f.write(data)


def echo_keys(run, m):
    """ECHO_KEYS keys typed into the terminal; the compositor's probe for each."""
    since = len(m.lines())
    m.mouse_click(x=TERM_WINDOW[0] + 100, y=TERM_WINDOW[1] + 100)  # the focus, whatever had it
    for _ in range(ECHO_KEYS):
        m.send_key("x")
        time.sleep(0.3)  # one echo at a time: each probe is one key's
    m.wait_for(r"termbench: done", timeout=120)
    echo = [int(f) for f in re.findall(r"compositor: echo (\d+) instructions",
                                       "\n".join(m.lines()[since:]))]
    run.note("echo probes: " + ", ".join(map(str, echo)))
    run.check(len(echo) == ECHO_KEYS, f"{ECHO_KEYS} keys, {ECHO_KEYS} echo probes",
              f"got {len(echo)}")
    return {"term_echo_latency": int(statistics.median(echo))} if echo else {}


def shm_dir():
    """A temporary directory in /dev/shm where there is one."""
    return tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)


def shm_disk(run, tmp):
    """A copy of the default disk in tmp with cache=unsafe, as for the FAT figures: under
    sleep=off the guest clock jumps over the host's I/O time, which figures in guest time
    would count. (path, QEMU arguments)."""
    image, _ = run.default_disk(tmp)
    return image, ["-drive", f"file={image},format=raw,if=none,id=d0,cache=unsafe",
                   "-device", "ide-hd,drive=d0,bus=ide.0"]


def collect_term(run):
    # termbench (apps/termbench) against the terminal on a copy of the default disk.
    with shm_dir() as tmp:
        image, extra = shm_disk(run, tmp)
        text = os.path.join(tmp, "termcat.txt")
        term_file(text)
        subprocess.run(["mcopy", "-i", f"{image}@@{DISK_PART_OFFSET}", text,
                        "::" + TERM_FILE], check=True, env=MTOOLS_ENV)
        with run.machine(args=f"run=termbench:{TERM_FILE}", extra=extra, icount=True,
                         timeout=600) as m:
            m.start()
            m.wait_for(r"termbench: type \d+ keys", timeout=500)
            figures = echo_keys(run, m)
            status = m.wait_exit(60)
            run.check(status == EXIT_SUCCESS, f"termbench: QEMU exit status {EXIT_SUCCESS}",
                      f"got {status}")
            figures.update(parse(m.lines()))
    ns = figures.pop("term_restart_ns", None)
    if run.check(ns is not None, "term_restart_ns measured"):
        run.figure("term_restart_ns", ns)
        run.check(ns < RESTART_NS_MAX, f"the terminal is back with sh's prompt in {ns} ns "
                  "of guest time, under 1 s")
    return figures


def parse(lines):
    figures = {}
    for line in lines:
        match = re.search(r"BENCH (term_\S+) (\d+) ticks n=(\d+)", line)
        if match:
            figures[match.group(1)] = int(match.group(2))
    return figures


def main(run):
    import test_bench  # its budgets and checks; it imports this module too
    budgets, tolerance = test_bench.load_budgets()
    figures = collect_term(run)
    test_bench.check_budgets(run, figures, budgets, tolerance,
                             skip={n for n in test_bench.CASES if not n.startswith("term_")})


if __name__ == "__main__":
    TestRun.main("qemu-termbench", main)
