#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the default disk image, build/iso/disk.img, with standard tools
only: a 64 MiB raw disk whose MBR (written by mtools' mpartition) holds one
FAT32 partition (type 0x0c) from LBA 2048 to the end, formatted by
mkfs.fat, holding every program under /bin and the sample files of
iso/disk/ (copied by mcopy; a Japanese long name is added here so the
filesystem has one). ./run copies it to build/disk.img when that file does
not exist (or on --fresh-disk); tests work on copies of it.

Usage: mkdisk.py OUT.img SAMPLES_DIR [PROGRAM_ELF...]
"""
import os
import subprocess
import sys
import tempfile

SECTOR = 512
SECTORS = 131072  # 64 MiB: 1024 cylinders of 4 heads and 32 sectors
HEADS, TRACK = 4, 32
FIRST = 2048  # the partition's first LBA (1 MiB aligned)
VOLUME_ID = "20261201"
LABEL = "OSDISK"
JAPANESE_NAME = "日本語のファイル.txt"
JAPANESE_TEXT = "これは日本語のテキストです。\n"


def tool(argv, env=None):
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mkdisk: {' '.join(argv)}: {done.stderr.strip() or done.stdout.strip()}")


def partition(img, env):
    tool(["mpartition", "-I", "p:"], env)
    tool(["mpartition", "-c", "-T", "0x0c", "-b", str(FIRST), "-l", str(SECTORS - FIRST),
          "-h", str(HEADS), "-s", str(TRACK), "-t", str(SECTORS // (HEADS * TRACK)), "p:"], env)


def format_fat32(img):
    tool(["mkfs.fat", "-F", "32", "-n", LABEL, "-i", VOLUME_ID, "-h", str(FIRST),
          "--offset", str(FIRST), img, str((SECTORS - FIRST) * SECTOR // 1024)])


def fill(img, samples, programs, env, tmp):
    vol = ["-i", f"{img}@@{FIRST * SECTOR}"]  # the partition, by its byte offset
    tool(["mmd"] + vol + ["::/bin"], env)
    for elf in programs:
        tool(["mcopy"] + vol + ["-o", elf, "::/bin/" + os.path.basename(elf)], env)
    for root, dirs, files in os.walk(samples):
        rel = os.path.relpath(root, samples)
        target = "::/" if rel == "." else "::/" + rel.replace(os.sep, "/") + "/"
        for d in sorted(dirs):
            tool(["mmd"] + vol + [target + d], env)
        for name in sorted(files):
            tool(["mcopy"] + vol + ["-o", os.path.join(root, name), target + name], env)
    japanese = os.path.join(tmp, "japanese.txt")
    with open(japanese, "w", encoding="utf-8") as f:
        f.write(JAPANESE_TEXT)
    tool(["mcopy"] + vol + ["-o", japanese, "::/" + JAPANESE_NAME], env)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, samples, programs = sys.argv[1], sys.argv[2], sys.argv[3:]
    work = out + ".tmp"
    with open(work, "wb") as f:
        f.truncate(SECTORS * SECTOR)
    with tempfile.TemporaryDirectory() as tmp:
        rc = os.path.join(tmp, "mtoolsrc")
        with open(rc, "w") as f:
            f.write(f'drive p: file="{os.path.abspath(work)}" partition=1\n')
        env = dict(os.environ, MTOOLSRC=rc, LC_ALL="C.UTF-8")
        partition(work, env)
        format_fat32(work)
        fill(work, samples, programs, env, tmp)
    os.replace(work, out)


if __name__ == "__main__":
    main()
