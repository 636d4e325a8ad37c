#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ext2 engine (servers/ext2) on images that nobody here made: genext2fs
and `mke2fs -t ext2` (revision 0 and 1, 1, 2 and 4 KiB blocks, e2fsck -D for
htree directories) fill them from a source tree with small files, a file in
double indirect blocks, a sparse one reaching the triple indirect block, a
directory of 600 entries, fast, slow, relative, absolute and looping
symlinks. ext2_tool (built with ASan/UBSan) must list every name and read
every byte as the host wrote them. Then damaged copies: random bytes in the
metadata, an indirect block pointing at itself, a directory entry with
rec_len 0, an entry naming an inode past the table, features this reader
does not know, a superblock with absurd counts. Each gives an error or
wrong bytes, never a sanitizer report, a crash or a hang.

usage: test_ext2_images.py EXT2_TOOL"""

import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

TOOL = sys.argv[1]
ENV = dict(os.environ, ASAN_OPTIONS="exitcode=99:detect_leaks=1",
           UBSAN_OPTIONS="halt_on_error=1:exitcode=98:print_stacktrace=1")
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def tool(img, *args, timeout=60):
    done = subprocess.run([TOOL, img] + list(args), capture_output=True, env=ENV,
                          timeout=timeout)
    if done.returncode not in (0, 2) or b"runtime error" in done.stderr:
        raise RuntimeError(f"ext2_tool {args} on {img}: status {done.returncode}\n"
                           + done.stderr.decode(errors="replace"))
    return done


def pattern(n, seed):
    rnd = random.Random(seed)
    return rnd.randbytes(n)


def make_source(root):
    """The tree every image is made from; returns nothing, the host tree is the reference."""
    os.makedirs(f"{root}/docs/deep/er/still")
    with open(f"{root}/README.md", "wb") as f:
        f.write(b"The share volume.\n")
    with open(f"{root}/docs/deep/er/still/bottom.txt", "wb") as f:
        f.write(b"at the bottom\n")
    with open(f"{root}/empty", "wb"):
        pass
    with open(f"{root}/docs/odd.bin", "wb") as f:
        f.write(pattern(12 * 1024 + 77, 1))  # direct blocks, then the single indirect one
    with open(f"{root}/big.bin", "wb") as f:
        f.write(pattern(5 * 1024 * 1024 + 3, 2))  # double indirect at 1 and 2 KiB blocks
    os.makedirs(f"{root}/many")
    for i in range(600):
        with open(f"{root}/many/entry number {i:04d}.txt", "w") as f:
            f.write(f"{i}\n" * (i % 7))
    os.symlink("README.md", f"{root}/fast-link")
    os.symlink("docs/deep/er/still/" + "x/../" * 20 + "bottom.txt", f"{root}/slow-link")
    os.symlink("/docs/odd.bin", f"{root}/docs/deep/absolute-link")
    os.symlink("../../big.bin", f"{root}/docs/deep/up-link")
    os.symlink("deep/er", f"{root}/docs/dir-link")
    os.makedirs(f"{root}/docs/deep/er/still/x")
    os.symlink("loop-b", f"{root}/loop-a")
    os.symlink("loop-a", f"{root}/loop-b")
    os.symlink("nowhere", f"{root}/dangling")


def make_sparse(root):
    """A file whose last bytes need the triple indirect block at 1 KiB blocks."""
    os.makedirs(root)
    with open(f"{root}/sparse.bin", "wb") as f:
        f.seek(1 << 20)
        f.write(pattern(4096, 3))
        f.seek(66 << 20)
        f.write(pattern(5000, 4))


def host_tree(root):
    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = dirpath[len(root):]
        for d in dirnames:
            p = os.path.join(dirpath, d)
            entries[f"{rel}/{d}"] = ("l", os.readlink(p)) if os.path.islink(p) else ("d",)
        for n in filenames:
            p = os.path.join(dirpath, n)
            if os.path.islink(p):
                entries[f"{rel}/{n}"] = ("l", os.readlink(p))
            else:
                entries[f"{rel}/{n}"] = ("f", os.path.getsize(p))
    return entries


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def guest_tree(img):
    done = tool(img, "tree")
    entries, hashes = {}, {}
    for line in done.stdout.decode().splitlines():
        kind, path, *rest = line.split("\t")
        if kind == "f":
            size, h = rest
            entries[path] = ("f", int(size))
            hashes[path] = int(h, 16)
        elif kind == "l":
            entries[path] = ("l", rest[0])
        else:
            entries[path] = (kind,) + tuple(rest)
    return done, entries, hashes


def compare(img, src, what):
    done, got, hashes = guest_tree(img)
    got = {p: e for p, e in got.items() if not p.startswith("/lost+found")}
    want = host_tree(src)
    check(done.returncode == 0 and got == want,
          f"{what}: every name, type, size and link target as on the host "
          f"({len(want)} entries; differ: {sorted(set(got.items()) ^ set(want.items()))[:4]})")
    small = [p for p, e in want.items() if e[0] == "f" and e[1] <= 65536]
    bad = [p for p in small if hashes.get(p) != fnv(open(src + p, "rb").read())]
    check(not bad, f"{what}: {len(small)} small files' bytes (FNV-1a) {bad[:3]}")
    for p, host in (("/big.bin", None), ("/fast-link", None),
                    ("/slow-link", None), ("/docs/deep/absolute-link", "/docs/odd.bin"),
                    ("/docs/deep/up-link", None), ("/docs/dir-link/still/bottom.txt", None)):
        out = tool(img, "cat", p).stdout
        check(hashlib.sha256(out).digest() ==
              hashlib.sha256(open(src + (host or p), "rb").read()).digest(),
              f"{what}: cat {p} gives the host's {len(out)} bytes")
    err = tool(img, "cat", "/loop-a")
    check(err.returncode == 2 and b"E_CORRUPT" in err.stderr, f"{what}: a symlink loop ends")
    err = tool(img, "cat", "/dangling")
    check(err.returncode == 2 and b"E_NOENT" in err.stderr, f"{what}: a dangling symlink")
    st = tool(img, "stat", "/README.md").stdout.split()
    check(int(st[2]) == int(os.stat(src + "/README.md").st_mtime),
          f"{what}: mtime as on the host")
    st = tool(img, "stat", "/fast-link").stdout.split()
    check(st[0] == b"l" and int(st[1]) == len("README.md"), f"{what}: stat shows a symlink")


def make_image(tmp, name, argv):
    img = os.path.join(tmp, name)
    subprocess.run(argv + [img] if "genext2fs" in argv[0] else argv[:-1] + [img, argv[-1]],
                   check=True, capture_output=True)
    return img


def triple(tmp):
    src = os.path.join(tmp, "sparse")
    make_sparse(src)
    want = hashlib.sha256(open(f"{src}/sparse.bin", "rb").read()).digest()
    for name, argv in (("genext2fs", ["genext2fs", "-d", src, "-b", "70000"]),
                       ("mke2fs", ["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-d", src,
                                   "4M"])):
        out = tool(make_image(tmp, name + " sparse", argv), "cat", "/sparse.bin").stdout
        check(hashlib.sha256(out).digest() == want,
              f"{name} 1k: a sparse 66 MiB file through the triple indirect block")


def make_images(tmp, src):
    images = []

    def add(name, argv):
        images.append((name, make_image(tmp, name, argv)))

    add("genext2fs 1k", ["genext2fs", "-d", src, "-b", "20000", "-L", "share"])
    add("genext2fs 4k", ["genext2fs", "-d", src, "-B", "4096", "-b", "5000"])
    add("mke2fs rev1 1k", ["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-L", "m1", "-d",
                           src, "20M"])
    add("mke2fs rev0 2k", ["mke2fs", "-q", "-F", "-t", "ext2", "-r", "0", "-b", "2048", "-d",
                           src, "20M"])
    add("mke2fs rev1 4k", ["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", src, "20M"])
    htree = os.path.join(tmp, "mke2fs 1k htree")
    shutil.copy(images[2][1], htree)
    subprocess.run(["e2fsck", "-fyD", htree], capture_output=True)
    images.append(("mke2fs 1k htree (e2fsck -D)", htree))
    return images


def debugfs(img, request):
    return subprocess.run(["debugfs", "-R", request, img], capture_output=True,
                          text=True).stdout


def blocks_of(img, path):
    """debugfs's "(IND):N, (0-11):a-b" list as {kind: first block}."""
    text = debugfs(img, f"stat {path}")
    found = {}
    for part in text.split("BLOCKS:")[1].replace("\n", " ").split(","):
        part = part.strip()
        if part.startswith("(") and "):" in part:
            kind, blocks = part[1:].split("):")
            found.setdefault(kind, int(blocks.split("-")[0]))
    return found


def poke(src_img, dst, offset, data):
    shutil.copy(src_img, dst)
    with open(dst, "r+b") as f:
        f.seek(offset)
        f.write(data)
    return dst


def damaged(tmp, img):
    bs = 1024
    # An indirect block pointing at itself, and a double indirect one at itself.
    for kind in ("IND", "DIND"):
        blk = blocks_of(img, "/big.bin")[kind]
        bad = poke(img, f"{tmp}/loop-{kind}", blk * bs, struct.pack("<I", blk))
        out = tool(bad, "cat", "/big.bin")
        check(out.returncode in (0, 2), f"{kind} block pointing at itself: read ends "
              f"({'error' if out.returncode else 'wrong bytes'})")
    # A directory entry with rec_len 0, and one naming an inode past the table.
    blk = int(debugfs(img, "blocks /many").split()[0])
    bad = poke(img, f"{tmp}/reclen0", blk * bs + 4, struct.pack("<H", 0))
    out = tool(bad, "ls", "/many")
    check(out.returncode == 2 and b"E_CORRUPT" in out.stderr, "rec_len 0: E_CORRUPT")
    bad = poke(img, f"{tmp}/ino", blk * bs + 24, struct.pack("<I", 0xFFFFFFF0))
    out = tool(bad, "ls", "/many")
    check(out.returncode == 2 and b"E_CORRUPT" in out.stderr, "inode past the table: E_CORRUPT")
    # Superblocks: an incompatible feature (extents), absurd block size and counts.
    for name, off, data, err in (
            ("extents", 1024 + 96, struct.pack("<I", 0x42), b"incompatible"),
            ("magic", 1024 + 56, b"\0\0", b"magic"),
            ("block size", 1024 + 24, struct.pack("<I", 9), b"block size"),
            ("blocks count", 1024 + 4, struct.pack("<I", 0xFFFFFFFF), b"blocks"),
            ("per group", 1024 + 32, struct.pack("<I", 0), b"per group"),
            ("inode size", 1024 + 88, struct.pack("<H", 100), b"inode size")):
        out = tool(poke(img, f"{tmp}/sb", off, data), "df")
        check(out.returncode == 2 and err in out.stderr,
              f"superblock {name}: mount refused ({out.stderr.decode().strip()})")
    # Random bytes over the metadata (superblock, descriptors, bitmaps, inode table, dirs).
    rnd = random.Random(11)
    meta_end = 600 * bs
    crashes = 0
    for i in range(40):
        bad = f"{tmp}/random"
        shutil.copy(img, bad)
        with open(bad, "r+b") as f:
            for _ in range(rnd.choice((1, 8, 64))):
                f.seek(rnd.randrange(1024, meta_end))
                f.write(bytes([rnd.randrange(256)]))
        try:
            tool(bad, "tree", timeout=120)
        except RuntimeError as e:
            crashes += 1
            print(e)
    check(crashes == 0, "40 images with random metadata bytes: errors, no crash or hang")


def main():
    tmp = tempfile.mkdtemp(prefix="ext2img")
    try:
        src = os.path.join(tmp, "src")
        make_source(src)
        images = make_images(tmp, src)
        for name, img in images:
            compare(img, src, name)
        out = tool(images[0][1], "df").stdout.split()
        check(out[0] == b"share" and out[1] == b"1024", "genext2fs -L share: label and block size")
        out = tool(images[3][1], "df").stdout.split()
        check(out[6] == b"0" and out[1] == b"2048", "mke2fs -r 0: revision 0, 2 KiB blocks")
        triple(tmp)
        damaged(tmp, images[2][1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'FAILED: ' + str(len(failures)) if failures else 'all passed'}")
    return 1 if failures else 0


sys.exit(main())
