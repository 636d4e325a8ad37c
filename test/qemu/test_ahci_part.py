#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""MBR partitions as block devices (issue 10): a 4 MiB raw image whose
partition table mtools' mpartition writes here (partition 1 at LBA 64,
2048 sectors; partition 2 at LBA 4096, 1024 sectors), every other sector a
pattern of its LBA, goes on AHCI port 0. btest's part suite reads each
partition through disk0p1 and disk0p2, is refused past their ends, and
writes disk0p1's last sector; after QEMU exits that write must be at disk
LBA 2111 and nothing else of the image changed."""

import os
import re
import subprocess
import tempfile

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 60
SECTORS = 8192
BTEST_TESTS = 9
PARTS = ((1, 64, 2048), (2, 4096, 1024))
WRITTEN = 64 + 2047
FOUND = re.compile(r"ahci: disk0p(\d): type [0-9a-f]{2}, sectors (\d+)-(\d+)$")


def host_sector(lba):
    return bytes((lba * 7 + i * 13 + (lba >> 8)) & 0xFF for i in range(512))


def guest_sector(lba):
    return bytes(((lba * 5 + i) ^ 0x5A) & 0xFF for i in range(512))


def make_image(path, tmp):
    with open(path, "wb") as f:
        f.write(b"".join(host_sector(lba) for lba in range(SECTORS)))
    rc = os.path.join(tmp, "mtoolsrc")
    with open(rc, "w") as f:
        for n, _, _ in PARTS:
            f.write(f'drive {"pq"[n - 1]}: file="{path}" partition={n}\n')
    env = dict(os.environ, MTOOLSRC=rc)
    create = [["mpartition", "-c", "-b", str(first), "-l", str(count),
               "-s", "32", "-h", "4", "-t", "64", f"{'pq'[n - 1]}:"] for n, first, count in PARTS]
    for argv in [["mpartition", "-I", "p:"]] + create:
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "part.img")
        make_image(disk, tmp)
        with open(disk, "rb") as f:
            before = f.read()
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        with run.machine(args="run=btest:part", extra=extra, timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "btest", RUN_TIMEOUT_S, min_registered=BTEST_TESTS)
        found = {(int(g[1]), int(g[2]), int(g[3]) - int(g[2]) + 1)
                 for g in (FOUND.search(line) for line in lines) if g}
        run.check(found == set(PARTS), "ahci found both partitions", f"{sorted(found)}")
        with open(disk, "rb") as f:
            after = f.read()
        at = WRITTEN * 512
        run.check(after[at:at + 512] == guest_sector(WRITTEN),
                  "disk0p1's last sector is at disk LBA 2111")
        run.check(after[:at] == before[:at] and after[at + 512:] == before[at + 512:],
                  "nothing else of the image changed")


if __name__ == "__main__":
    TestRun.main("qemu-ahci-part", main)
