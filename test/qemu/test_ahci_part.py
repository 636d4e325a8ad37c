#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""MBR and GPT partitions as block devices (issue 10): a 4 MiB raw image,
every sector a pattern of its LBA, whose partition table a standard tool
writes here (partition 1 at LBA 64, 2048 sectors; partition 2 at LBA 4096,
1024 sectors), goes on AHCI port 0; two boots: mtools' mpartition writes an
MBR, then sgdisk a GPT whose primary header is then corrupted here, so the
driver must find the partitions through the backup header at the disk's
end. Each time btest's part suite reads each partition through disk0p1 and
disk0p2, is refused past their ends, and writes disk0p1's last sector;
after QEMU exits that write must be at disk LBA 2111 and nothing else of
the image changed."""

import os
import re
import subprocess
import tempfile

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 60
SECTORS = 8192
BTEST_TESTS = 13
PARTS = ((1, 64, 2048), (2, 4096, 1024))
WRITTEN = 64 + 2047
FOUND = re.compile(r"ahci: disk0p(\d): type [0-9a-f]{2}, sectors (\d+)-(\d+)$")
BACKUP = re.compile(r"ahci: disk0: GPT header or entries corrupt: using the backup")


def host_sector(lba):
    return bytes((lba * 7 + i * 13 + (lba >> 8)) & 0xFF for i in range(512))


def guest_sector(lba):
    return bytes(((lba * 5 + i) ^ 0x5A) & 0xFF for i in range(512))


def run_tool(argv, env=None):
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")


def make_gpt(path):
    """sgdisk's GPT with the same partitions; the primary header's CRC then broken."""
    run_tool(["sgdisk", "-a", "1"] + [f"-n{n}:{first}:{first + count - 1}"
                                      for n, first, count in PARTS] + [path])
    with open(path, "r+b") as f:
        f.seek(512 + 40)  # the first usable LBA, inside the CRC'd 92 bytes
        byte = f.read(1)
        f.seek(512 + 40)
        f.write(bytes([byte[0] ^ 1]))


def make_mbr(path, tmp):
    rc = os.path.join(tmp, "mtoolsrc")
    with open(rc, "w") as f:
        for n, _, _ in PARTS:
            f.write(f'drive {"pq"[n - 1]}: file="{path}" partition={n}\n')
    env = dict(os.environ, MTOOLSRC=rc)
    create = [["mpartition", "-c", "-b", str(first), "-l", str(count),
               "-s", "32", "-h", "4", "-t", "64", f"{'pq'[n - 1]}:"] for n, first, count in PARTS]
    for argv in [["mpartition", "-I", "p:"]] + create:
        run_tool(argv, env)


def boot(run, table):
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "part.img")
        with open(disk, "wb") as f:
            f.write(b"".join(host_sector(lba) for lba in range(SECTORS)))
        if table == "gpt":
            make_gpt(disk)
        else:
            make_mbr(disk, tmp)
        with open(disk, "rb") as f:
            before = f.read()
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        with run.machine(args="run=btest:part", extra=extra, timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "btest", RUN_TIMEOUT_S, min_registered=BTEST_TESTS)
        found = {(int(g[1]), int(g[2]), int(g[3]) - int(g[2]) + 1)
                 for g in (FOUND.search(line) for line in lines) if g}
        run.check(found == set(PARTS), f"{table}: ahci found both partitions", f"{sorted(found)}")
        if table == "gpt":
            run.check(any(BACKUP.search(line) for line in lines),
                      "gpt: the corrupt primary header was noticed and the backup used")
        with open(disk, "rb") as f:
            after = f.read()
        at = WRITTEN * 512
        run.check(after[at:at + 512] == guest_sector(WRITTEN),
                  f"{table}: disk0p1's last sector is at disk LBA 2111")
        run.check(after[:at] == before[:at] and after[at + 512:] == before[at + 512:],
                  f"{table}: nothing else of the image changed")


def main(run):
    boot(run, "mbr")
    boot(run, "gpt")


if __name__ == "__main__":
    TestRun.main("qemu-ahci-part", main)
