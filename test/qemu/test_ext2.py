#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The read-only ext2 server in the guest (issue 11). build/share.img (what
genext2fs made from servers/ext2/mkshare.py's folder, the volume ./run
attaches) goes on AHCI port 5, as ./run puts it, behind the kargs disk on
port 1: ext2 must find it as disk1 by its magic. etest starts ahci and
ext2, checks the label, listings, symlinks and E_ROFS, prints sizes and
FNV-1a hashes of files that this test compares with what debugfs (e2fsprogs,
not our code) reads out of the same image, then reads the 20 MiB pattern
while the server is crashed six times, every byte checked in the guest.
A second boot, under -icount and without the share, runs etest's novol
suite: ext2 finds no volume and must answer fs1's callers with E_NOVOLUME
while it keeps probing, and the client library's wait on it is bounded."""

import os
import shutil
import subprocess
import tempfile

from guest_tests import finish
from harness import TestRun

RUN_TIMEOUT_S = 170
ETEST_TESTS = 8  # registered; the first boot runs share and restart (6), the second novol
NOVOL_TIMEOUT_S = 120
# The guest's path, and the file debugfs reads for it (symlinks resolved by hand).
FILES = {
    "/README.md": "/README.md",
    "/docs/ARCHITECTURE.md": "/docs/ARCHITECTURE.md",
    "/readme": "/README.md",
    "/big/deep-link": "/docs/ARCHITECTURE.md",
    "/many/file-0519.txt": "/many/file-0519.txt",
    "/big/pattern.bin": "/big/pattern.bin",
}


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def debugfs_read(img, path, tmp):
    out = os.path.join(tmp, "dumped")
    subprocess.run(["debugfs", "-R", f"dump {path} {out}", img], check=True,
                   capture_output=True)
    with open(out, "rb") as f:
        return f.read()


def main(run):
    share = os.path.join(os.path.dirname(os.path.abspath(run.iso)), "..", "share.img")
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "share.img")
        shutil.copy(share, img)
        extra = ["-drive", f"file={img},format=raw,if=none,id=share",
                 "-device", "ide-hd,drive=share,bus=ide.5"]
        with run.machine(args="run=etest:share:restart", extra=extra,
                         timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "etest", RUN_TIMEOUT_S, min_registered=ETEST_TESTS)
        run.check(any("ext2: disk1: mounted" in line for line in lines),
                  "ext2 found the share volume on disk1 (port 5, after the kargs disk)")
        seen = {}
        for line in lines:
            if line.startswith("ETEST FILE "):
                _, _, path, size, h = line.split(" ")
                seen[path] = (int(size), int(h, 16))
        for path, host in FILES.items():
            data = debugfs_read(img, host, tmp)
            want = (len(data), fnv(data))
            got = seen.get(path)
            run.check(got == want, f"{path}: the guest read what debugfs reads",
                      f"guest {got}, debugfs {want}")
        run.check(open(img, "rb").read() == open(share, "rb").read(),
                  "the image is unchanged after the run")
    with run.machine(args="run=etest:novol", icount=True, timeout=NOVOL_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "etest", NOVOL_TIMEOUT_S, min_registered=ETEST_TESTS)
    run.check(any("ext2: no ext2 volume on disk1-disk3 yet" in line for line in lines),
              "without the share, ext2 found no volume and kept looking")


if __name__ == "__main__":
    TestRun.main("qemu-ext2", main)
