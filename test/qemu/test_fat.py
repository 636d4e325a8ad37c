#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The FAT server in the guest (issue 11). The host makes a disk: an MBR
whose first partition (LBA 2048, 40 MiB) mkfs.fat formats as FAT32 and
mtools fills (README.TXT, a Japanese name, a deep path, a 1 MiB pattern).
ftest starts ahci and fat, reads those files byte for byte, writes files
and directories with long and Japanese names, renames, deletes, truncates
and syncs, then crashes the server 20 times and the disk driver under it 5
times during reads and synced writes.
After QEMU exits the host checks the partition: `fsck.fat -n` reports
nothing, and mtools lists exactly the expected names and reads exactly the
expected bytes, the host's files unchanged, and the guest's files are dated
today by the CMOS clock (through the rtc service)."""

import os
import shutil
import struct
import subprocess
import tempfile
import time

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 150
FTEST_TESTS = 6
PART_LBA = 2048
PART_KIB = 40 * 1024
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")
PATTERN = bytes((i * 7 + (i >> 9) + 3) & 0xFF for i in range(1 << 20))
HOST_FILES = {
    "/README.TXT": b"Hello from the host.\n",
    "/日本語のファイル.txt": "こんにちは、世界\n".encode(),
    "/a/b/c/d/A file at the bottom.txt": b"deep\n",
    "/data/pattern.bin": PATTERN,
}
HOST_DIRS = {"/a", "/a/b", "/a/b/c", "/a/b/c/d", "/data"}


def guest_byte(i):
    return (i * 13 + (i >> 11) + 1) & 0xFF


def stamp(b, i):
    return (b * 31 + i * 3 + 7) & 0xFF


GUEST_FILES = {
    "/guest/A long name written by the guest.txt": b"from the guest\n",
    "/guest/サブフォルダ/ゲストのファイル.txt": "日本語の中身\n".encode(),
    "/guest/サブフォルダ/renamed across.txt": b"renamed\n",
    "/guest/pattern.bin": bytes(guest_byte(i) for i in range(700 * 1024)) + b"tail",
    "/guest/cut.txt": b"0123",
    "/guest restart.bin": b"".join(bytes(stamp(b, i) for i in range(4096)) for b in range(100)),
}
GUEST_DIRS = {"/guest", "/guest/サブフォルダ"}


def mt(cmd, img, *args):
    done = subprocess.run([cmd, "-i", img] + list(args), env=ENV, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} {args}: {done.stderr.decode(errors='replace')}")
    return done.stdout


def make_disk(tmp):
    part = os.path.join(tmp, "part.img")
    subprocess.run(["mkfs.fat", "-F", "32", "-s", "1", "-C", part, str(PART_KIB)], check=True,
                   capture_output=True)
    for d in sorted(HOST_DIRS):
        mt("mmd", part, "::" + d)
    for path, data in HOST_FILES.items():
        src = os.path.join(tmp, "src")
        with open(src, "wb") as f:
            f.write(data)
        mt("mcopy", part, src, "::" + path)
    mbr = bytearray(512)
    struct.pack_into("<BBBBBBBBII", mbr, 446, 0, 0, 0, 0, 0x0C, 0, 0, 0, PART_LBA,
                     PART_KIB * 2)
    mbr[510:512] = b"\x55\xAA"
    disk = os.path.join(tmp, "disk.img")
    with open(disk, "wb") as f:
        f.write(bytes(mbr) + bytes((PART_LBA - 1) * 512) + open(part, "rb").read())
    return disk


def partition_clean(run, disk, part, lba=PART_LBA, kib=PART_KIB, what="fsck.fat -n finds nothing"):
    """The partition at lba (kib KiB) of disk copied to part; fsck.fat -n must report nothing."""
    with open(disk, "rb") as f:
        f.seek(lba * 512)
        data = f.read(kib * 1024)
    with open(part, "wb") as f:
        f.write(data)
    fsck = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    lines = fsck.stdout.strip().splitlines()
    run.check(fsck.returncode == 0 and len(lines) == 2, what, " | ".join(lines[:10]))


def all_names(part):
    """Every path on the volume as mtools lists it (no "." or ".."), directories too."""
    listing = mt("mdir", part, "-/", "-b", "::/").decode()
    names = {line[2:].rstrip("/") if line.startswith("::") else line.rstrip("/")
             for line in listing.splitlines()}
    return {n for n in names if n and not n.endswith("/.") and not n.endswith("/..")}


def check_volume(run, tmp, disk):
    part = os.path.join(tmp, "after.img")
    partition_clean(run, disk, part)
    names = all_names(part)
    want = set(HOST_FILES) | HOST_DIRS | set(GUEST_FILES) | GUEST_DIRS
    run.check(names == want, "mtools lists exactly the host's and the guest's names",
              f"differ: {sorted(names ^ want)}")
    out = os.path.join(tmp, "out")
    os.makedirs(out)
    mt("mcopy", part, "-s", "-n", "::/*", out)
    for path, data in list(HOST_FILES.items()) + list(GUEST_FILES.items()):
        host = out + path
        got = open(host, "rb").read() if os.path.exists(host) else None
        run.check(got == data, f"mtools reads {path} exactly",
                  "missing" if got is None else f"{len(got)} bytes, want {len(data)}")


def check_times(run, tmp, days):
    """The guest's files carry the CMOS clock's date (rtc; QEMU's RTC is the host's UTC)."""
    part = os.path.join(tmp, "after.img")
    for path in ("/guest/cut.txt", "/guest restart.bin"):
        out = mt("mdir", part, "::" + path).decode()
        run.check(any(d in out for d in days), f"{path} is dated today (UTC) by the RTC",
                  out.strip().splitlines()[-3] if out.strip() else "no listing")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        days = {time.strftime("%Y-%m-%d", time.gmtime())}
        disk = make_disk(tmp)
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        # Not under -icount: with sleep=off the guest's clock jumps to the
        # driver's 5 s command timeout while QEMU still does the disk I/O
        # (docs/ARCHITECTURE.md, Block storage), and ahci then gives up on
        # commands that are fine. No verdict here depends on guest time.
        with run.machine(args="run=ftest:read:write:restart", extra=extra,
                         timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "ftest", RUN_TIMEOUT_S, min_registered=FTEST_TESTS)
        days.add(time.strftime("%Y-%m-%d", time.gmtime()))
        run.check(not any("no rtc service" in line for line in lines),
                  "fat has the rtc service for files' times")
        check_volume(run, tmp, disk)
        check_times(run, tmp, days)
        shutil.rmtree(os.path.join(tmp, "out"), ignore_errors=True)


if __name__ == "__main__":
    TestRun.main("qemu-fat", main)
