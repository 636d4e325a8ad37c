#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make build/share.img, the ext2 volume ./run attaches for servers/ext2:
genext2fs (1 KiB blocks, revision 1, label "share") over a folder of the
project's documentation and samples:

  README.md, docs/*.md          the project's own
  licences/                     the font sources' licence texts, where the host has them
  big/pattern.bin               BIG_BYTES of deterministic data (double indirect blocks)
  many/                         MANY small files (a directory of many entries)
  readme                        -> README.md (a fast symlink)
  documentation                 -> docs (a symlink to a directory)
  big/deep-link                 -> a long relative target (a slow symlink)

usage: mkshare.py OUTPUT SOURCE_ROOT"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

BIG_BYTES = 20 << 20
MANY = 520
LICENCES = ("/usr/share/doc/unifont/copyright", "/usr/share/doc/console-setup-linux/copyright")


def pattern_block(i):
    """The bytes of big/pattern.bin's 4 KiB blocks (each then stamped with its number)."""
    return bytes(((i * 131 + j * 7 + (j >> 8)) & 0xFF) for j in range(4096))


def fill(root, src):
    shutil.copy(os.path.join(src, "README.md"), root)
    os.makedirs(os.path.join(root, "docs"))
    for md in sorted(glob.glob(os.path.join(src, "docs", "*.md"))):
        shutil.copy(md, os.path.join(root, "docs"))
    os.makedirs(os.path.join(root, "licences"))
    for lic in LICENCES:
        if os.path.exists(lic):
            shutil.copy(lic, os.path.join(root, "licences", lic.split("/")[-2] + ".txt"))
    os.makedirs(os.path.join(root, "big"))
    blocks = [pattern_block(i) for i in range(256)]
    with open(os.path.join(root, "big", "pattern.bin"), "wb") as f:
        for i in range(BIG_BYTES // 4096):
            f.write(bytes([i & 0xFF, i >> 8]) + blocks[i % 256][2:])
    os.makedirs(os.path.join(root, "many"))
    for i in range(MANY):
        with open(os.path.join(root, "many", f"file-{i:04d}.txt"), "w") as f:
            f.write(f"file {i} of {MANY}\n")
    os.symlink("README.md", os.path.join(root, "readme"))
    os.symlink("docs", os.path.join(root, "documentation"))
    os.symlink("../" + "many/../" * 12 + "docs/ARCHITECTURE.md",
               os.path.join(root, "big", "deep-link"))


def main():
    out, src = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "share")
        os.makedirs(root)
        fill(root, src)
        for dirpath, _, names in os.walk(root):  # the same bytes every build
            for n in names + ["."]:
                os.utime(os.path.join(dirpath, n), (1767225600, 1767225600),
                         follow_symlinks=False)
        used = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(root) for n in ns)
        blocks = used // 1024 * 11 // 10 + 4096
        subprocess.run(["genext2fs", "-d", root, "-b", str(blocks), "-N", str(MANY + 512),
                        "-L", "share", "-q", out + ".new"], check=True, stdout=subprocess.DEVNULL)
        os.replace(out + ".new", out)


main()
