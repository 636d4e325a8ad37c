#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Block storage end to end (issue 10): a 2 MiB raw image made here, every
byte a pattern of its sector and offset, is attached on q35's AHCI port 0
(ide.0; the kargs disk stays on ide.1). btest starts the ahci driver, which
must identify the disk as disk0 (and the kargs disk as disk1), read the
host's pattern back exactly, write its own pattern over the second half and
flush it (one FLUSH CACHE EXT command, counted by BLOCK_STATS); after QEMU exits the whole image is compared here byte for byte:
the first half still the host's, the second the guest's. Bad requests are
refused without harming the driver. Then the restart suite crashes the driver
20 times while four client threads read the host's half and write and read
back stamps at LBA 3000-3511, 128 sectors each (each left holding its
thread's last stamp): every request must succeed with the right data."""

import os
import re
import tempfile

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 90
SECTORS = 4096
BTEST_TESTS = 13
SCRATCH, SCRATCH_SECTORS, THREADS = 3000, 128, 4  # the restart suite's threads' sectors
DISK0 = re.compile(r'ahci: disk0: port 0, "QEMU HARDDISK", 4096 sectors of 512 bytes, LBA48, '
                   r'NCQ 32 deep')
DISK1 = re.compile(r'ahci: disk1: port 1, ".*", 2880 sectors of 512 bytes')
# A 512e disk (4096-byte physical sectors; QEMU 7.2 refuses 4096-byte logical ones): 512-byte
# sectors to the driver, IDENTIFY word 106 saying 8 of them per physical sector.
DISK2 = re.compile(r'ahci: disk2: port 3, ".*", 2048 sectors of 512 bytes')


def host_byte(lba, i):
    return (lba * 7 + i * 13 + (lba >> 8)) & 0xFF


def guest_byte(lba, i):
    return ((lba * 5 + i) ^ 0x5A) & 0xFF


def image(pattern, first, count):
    return b"".join(bytes(pattern(lba, i) for i in range(512))
                    for lba in range(first, first + count))


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.write(image(host_byte, 0, SECTORS))
        disk512e = os.path.join(tmp, "disk512e.img")
        with open(disk512e, "wb") as f:
            f.truncate(1 << 20)
        # cache=unsafe: a guest flush costs no host fsync. Under -icount sleep=off the guest's
        # clock runs ahead while it idles, so host time spent in an fsync would become guest
        # seconds and time the command out; what the host checks is the image file itself.
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0,cache=unsafe",
                 "-device", "ide-hd,drive=d0,bus=ide.0",
                 "-drive", f"file={disk512e},format=raw,if=none,id=d2",
                 "-device", "ide-hd,drive=d2,bus=ide.3,physical_block_size=4096"]
        with run.machine(args="run=btest:block:restart", extra=extra, icount=True,
                         timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "btest", RUN_TIMEOUT_S, min_registered=BTEST_TESTS)
        run.check(any(DISK0.search(line) for line in lines),
                  "ahci identified disk0 (NCQ, 32 commands in flight)", "no line")
        run.check(any(DISK1.search(line) for line in lines), "ahci found the kargs disk as disk1",
                  "no line")
        run.check(any(DISK2.search(line) for line in lines),
                  "a disk with 4096-byte physical sectors is served in 512-byte ones", "no line")
        with open(disk, "rb") as f:
            got = f.read()
        half = SECTORS // 2
        run.check(len(got) == SECTORS * 512, "the image kept its size", f"{len(got)} bytes")
        run.check(got[:half * 512] == image(host_byte, 0, half), "the first half is the host's")
        end = SCRATCH + THREADS * SCRATCH_SECTORS
        run.check(got[half * 512:SCRATCH * 512] == image(guest_byte, half, SCRATCH - half)
                  and got[end * 512:] == image(guest_byte, end, SECTORS - end),
                  "the second half is what the guest wrote, byte for byte")
        for k in range(THREADS):
            first = SCRATCH + k * SCRATCH_SECTORS
            scratch = got[first * 512:(first + SCRATCH_SECTORS) * 512]
            run.check(scratch == scratch[:8] * (len(scratch) // 8) and scratch[:8] != bytes(8)
                      and scratch[0] == k,
                      f"restart thread {k}'s sectors hold its last stamp throughout")


if __name__ == "__main__":
    TestRun.main("qemu-ahci", main)
