#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes servers/fat/fuzz_corpus/: tiny FAT images from mkfs.fat and mtools
(FAT12, FAT16, FAT32 with 512 and 4096-byte sectors, one behind an MBR, long
and Japanese names, a directory tree, a file over several clusters) in
fuzz_fat.c's sparse format: a byte for the sector size, then each sector
that is not all zeros as a 4-byte little-endian number and its bytes.
Run by hand when the corpus should change; the result is committed.

    python3 servers/fat/test/make_fuzz_corpus.py servers/fat/fuzz_corpus"""

import os
import struct
import subprocess
import sys
import tempfile

ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")

# name: (mkfs.fat options, size in KiB, sector size)
VOLUMES = {
    "fat12": (["-F", "12"], 160, 512),
    "fat16": (["-F", "16", "-s", "1"], 4200, 512),
    "fat32": (["-F", "32", "-s", "1", "-f", "1"], 34000, 512),
    "fat32_4k": (["-F", "32", "-S", "4096", "-s", "1", "-f", "1"], 270000, 4096),
}


def mt(cmd, img, *args):
    subprocess.run([cmd, "-i", img] + list(args), env=ENV, check=True, capture_output=True)


def fill(tmp, img):
    src = os.path.join(tmp, "src")
    mt("mmd", img, "::/a")
    mt("mmd", img, "::/a/サブ")
    for path, data in (("/README.TXT", b"hello\n"),
                       ("/A long file name.txt", b"long\n" * 30),
                       ("/a/サブ/日本語のファイル.txt", "中身\n".encode()),
                       ("/a/three clusters.bin", bytes(i & 0xFF for i in range(9000)))):
        with open(src, "wb") as f:
            f.write(data)
        mt("mcopy", img, src, "::" + path)


def sparse(data, ss, base=0):
    out = bytearray([1 if ss == 4096 else 0])
    for lba in range(len(data) // ss):
        sec = data[lba * ss:(lba + 1) * ss]
        if any(sec):
            out += struct.pack("<I", base + lba) + sec
    return bytes(out)


def with_mbr(part, ss):
    """An MBR whose first partition (type 0x0C at LBA 63) holds part."""
    mbr = bytearray(ss)
    struct.pack_into("<BBBBBBBBII", mbr, 446, 0, 0, 0, 0, 0x0C, 0, 0, 0, 63, len(part) // ss)
    mbr[510:512] = b"\x55\xAA"
    return sparse(bytes(mbr), ss) + sparse(part, ss, 63)[1:]


def main(out):
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (opts, kib, ss) in VOLUMES.items():
            img = os.path.join(tmp, name + ".img")
            subprocess.run(["mkfs.fat"] + opts + ["-C", img, str(kib)], check=True,
                           capture_output=True)
            fill(tmp, img)
            data = open(img, "rb").read()
            with open(os.path.join(out, name), "wb") as f:
                f.write(sparse(data, ss))
            if name == "fat16":
                with open(os.path.join(out, "fat16_mbr"), "wb") as f:
                    f.write(with_mbr(data, ss))


if __name__ == "__main__":
    main(sys.argv[1])
