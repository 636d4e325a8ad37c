#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The FAT kill campaign (issue 11): on test_fat.py's disk (an MBR, a FAT32
partition filled by mtools), ftest's campaign suite crashes the FAT server
again and again, then the disk driver under it, while it creates, writes and
fsyncs, renames and deletes files in /camp (test/guest/ftest/t_campaign.c
says the steps); after each crash the new instance must mount and every
fsync'ed file read back whole. After QEMU exits, `fsck.fat -n` must report
nothing and mtools must list exactly the host's files and what the steps
leave in /camp, with exactly their bytes.

It runs the issue's campaign, 100 crashes of fat and 20 of ahci
(campaign_full; about 70 s of host time on a loaded 2-core machine);
FAT_CAMPAIGN=quick runs 30 and 6 (campaign)."""

import os
import re
import tempfile

from guest_tests import finish
from harness import TestRun
from test_fat import HOST_DIRS, HOST_FILES, all_names, make_disk, mt, partition_clean

QUICK = os.environ.get("FAT_CAMPAIGN") == "quick"
SUITE = "campaign" if QUICK else "campaign_full"
RUN_TIMEOUT_S = 500


def camp_bytes(k):
    return bytes(((k * 29 + i * 11 + (i >> 8) + 5) & 0xFF) for i in range(6000 + 37 * k))


def expected(steps):
    """/camp as t_campaign.c's steps 0 .. steps-1 leave it: {path: bytes}."""
    files = {}
    for k in range(steps):
        files[f"/camp/f{k}.bin"] = camp_bytes(k)
        if k >= 1:
            files[f"/camp/long name {k - 1}.txt"] = files.pop(f"/camp/f{k - 1}.bin")
        if k >= 3 and (k - 3) % 3 != 0:
            del files[f"/camp/long name {k - 3}.txt"]
    return files


def check_volume(run, tmp, disk, steps):
    part = os.path.join(tmp, "after.img")
    partition_clean(run, disk, part)
    names = all_names(part)
    camp = expected(steps)
    want = set(HOST_FILES) | HOST_DIRS | {"/camp"} | set(camp)
    run.check(names == want, f"mtools lists exactly the host's names and {len(camp)} in /camp",
              f"differ: {sorted(names ^ want)[:20]}")
    out = os.path.join(tmp, "out")
    os.makedirs(out)
    mt("mcopy", part, "-s", "-n", "::/*", out)
    wrong = [p for p, d in list(HOST_FILES.items()) + list(camp.items())
             if not os.path.exists(out + p) or open(out + p, "rb").read() != d]
    run.check(not wrong, "mtools reads every file's bytes exactly", f"wrong: {wrong[:10]}")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        disk = make_disk(tmp)
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        # Not under -icount, like qemu-fat: with sleep=off the guest clock jumps over the
        # host's disk I/O and ahci's command timeout fires; no verdict depends on guest time.
        with run.machine(args=f"run=ftest:{SUITE}", extra=extra, timeout=RUN_TIMEOUT_S) as m:
            m.start()
            lines = finish(run, m, "ftest", RUN_TIMEOUT_S - 20)
        done = [re.search(r"CAMPAIGN steps=(\d+) fat=(\d+) ahci=(\d+)", x) for x in lines]
        done = [d for d in done if d]
        run.check(bool(done), "the campaign reported its steps")
        if done:
            steps, fat, ahci = (int(g) for g in done[-1].groups())
            run.figure("campaign_fat_kills", fat)
            run.figure("campaign_ahci_kills", ahci)
            check_volume(run, tmp, disk, steps)


if __name__ == "__main__":
    TestRun.main("qemu-fat-campaign", main)
