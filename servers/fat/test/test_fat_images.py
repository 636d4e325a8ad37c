#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host test of the FAT engine on images made by the host's tools.

Each volume is made by mkfs.fat (FAT12 floppy, FAT16 and FAT32 with 512- and
4096-byte sectors and several cluster sizes, one inside an MBR partition) and
filled by mtools (long, Japanese and deep names, a file over many clusters,
a directory of many files). fat_tool (the engine on an image file) must list
and read exactly what mtools put there. Then the engine writes (create,
write at offsets, append, truncate, mkdir, rename within and across
directories, unlink, rmdir, many files to grow a directory, a listing in
batches while names come and go in its directory) while a model keeps what
should be there; afterwards `fsck.fat -n` must report nothing
and mtools must see exactly the model's names and bytes. Last, hostile
images made by patching bytes (a chain that loops, a cluster past the end, a
free cluster in a chain, a size larger than the chain, a directory whose
chain loops, boot sectors with zero or absurd fields, random damage) must
give a clear error (exit 2 with an E_ name) or a clean run, never a crash,
a sanitizer report or a hang.

usage: test_fat_images.py FAT_TOOL
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time

TOOL = None
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(args, **kw):
    return subprocess.run(args, env=ENV, capture_output=True, timeout=120, **kw)


def tool(img, *args, ss=512, ok=True, forget=False):
    """Run fat_tool; a crash or sanitizer report is always a failure."""
    opts = (["--ss", str(ss)] if ss != 512 else []) + (["--forget"] if forget else [])
    p = subprocess.run([TOOL] + opts + [img] + list(args), env=ENV, capture_output=True,
                       timeout=60)
    err = p.stderr.decode(errors="replace")
    check(p.returncode in (0, 2) and "Sanitizer" not in err and "runtime error" not in err,
          f"fat_tool {args} on {os.path.basename(img)} crashed: rc {p.returncode} {err[:300]}")
    if ok:
        check(p.returncode == 0, f"fat_tool {args} on {os.path.basename(img)}: {err.strip()}")
    return p


def mt(cmd, img, *args):
    p = run([cmd, "-i", img] + list(args))
    if p.returncode != 0:
        raise RuntimeError(f"{cmd} {args}: {p.stderr.decode(errors='replace')}")
    return p.stdout


def fsck_clean(img, what):
    p = run(["fsck.fat", "-n", img])
    lines = p.stdout.decode(errors="replace").strip().splitlines()
    # A clean volume gives the version line and the summary line, nothing else.
    check(p.returncode == 0 and len(lines) == 2,
          f"fsck.fat -n on {what}: rc {p.returncode}: " + " | ".join(lines[:12]))


# ---- volumes ----

VOLUMES = [
    # name, mkfs.fat options, size in KiB, sector size
    ("fat12-floppy", ["-F", "12"], 1440, 512),
    ("fat16-2k", ["-F", "16", "-s", "4"], 32 * 1024, 512),
    ("fat16-4kSec", ["-F", "16", "-S", "4096", "-s", "1"], 64 * 1024, 4096),
    ("fat16-32k", ["-F", "16", "-s", "64"], 256 * 1024, 512),
    ("fat32-512", ["-F", "32", "-s", "1"], 64 * 1024, 512),
    ("fat32-4kSec", ["-F", "32", "-S", "4096", "-s", "1"], 300 * 1024, 4096),
    ("fat32-64kSec", ["-F", "32", "-S", "4096", "-s", "16"], 5 * 1024 * 1024, 4096),
]


def make_volume(tmp, name, opts, kib):
    img = os.path.join(tmp, name + ".img")
    p = run(["mkfs.fat"] + opts + ["-C", img, str(kib)])
    if p.returncode != 0:
        raise RuntimeError(f"mkfs.fat {opts}: {p.stderr.decode()}")
    return img


def fill(tmp, img, rng, floppy):
    """Put files with mtools; return {path: bytes} and the set of directories."""
    files, dirs = {}, {""}
    big = rng.randbytes(300_000 if floppy else 1_500_000)
    src = os.path.join(tmp, "src")
    os.makedirs(src, exist_ok=True)

    def put(path, data):
        host = os.path.join(src, "f")
        with open(host, "wb") as f:
            f.write(data)
        mt("mcopy", img, host, "::" + path)
        files[path] = data

    def mkdir(path):
        mt("mmd", img, "::" + path)
        dirs.add(path)

    put("/HELLO.TXT", b"hello, world\n")
    put("/lower.txt", b"lower case 8.3 name\n")
    put("/日本語のファイル.txt", "こんにちは\n".encode())
    put("/A rather long file name with spaces.data", rng.randbytes(5000))
    put("/big.bin", big)
    put("/empty", b"")
    mkdir("/Deep")
    path = "/Deep"
    for d in ["level one", "二", "Three.3", "four", "five"]:
        path += "/" + d
        mkdir(path)
    put(path + "/deep file.txt", b"at the bottom\n")
    mkdir("/many")
    for i in range(40):
        put(f"/many/entry {i:03d} of the many.txt", f"entry {i}\n".encode())
    return files, dirs


def tree(img, ss):
    """fat_tool's tree as {path: (kind, size, hash, error)}."""
    out = tool(img, "tree", "", ss=ss).stdout.decode()
    t = {}
    for line in out.splitlines():
        path, kind, size, h, err = line.rsplit(" ", 4)
        t[path] = (kind, int(size), h, err)
    return t


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def check_engine_sees(img, ss, files, dirs, what):
    t = tree(img, ss)
    want = {p for p in files} | {d for d in dirs if d}
    check(set(t) == want, f"{what}: engine lists {sorted(set(t) ^ want)[:6]} differently")
    for p, data in files.items():
        got = t.get(p)
        check(got is not None and got[3] == "E_OK" and got[1] == len(data) and
              got[2] == fnv(data), f"{what}: engine reads {p} wrong: {got}")
    # cat reads in odd-sized pieces; check the big one byte for byte.
    for p in [p for p in files if p.endswith("big.bin")]:
        c = tool(img, "cat", p, ss=ss).stdout
        check(c == files[p], f"{what}: cat {p} differs")


def mtools_sees(tmp, img, files, dirs, what):
    """mtools lists exactly the model's names and copies out exactly its bytes."""
    out = mt("mdir", img, "-/", "-b", "::/").decode()
    names = set()
    for line in out.splitlines():
        p = line[2:] if line.startswith("::") else line
        p = p.rstrip("/")
        if p and not p.endswith("/.") and not p.endswith("/.."):
            names.add(p)
    want = set(files) | {d for d in dirs if d}
    check(names == want, f"{what}: mtools lists {sorted(names ^ want)[:6]} differently")
    dest = os.path.join(tmp, "out")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    mt("mcopy", img, "-s", "-n", "::/*", dest)
    for p, data in files.items():
        host = dest + p
        got = open(host, "rb").read() if os.path.exists(host) else None
        check(got == data, f"{what}: mtools copies out {p} differently "
              f"({None if got is None else len(got)} vs {len(data)})")


def open_checks(img, ss, files):
    """fat_open (open's one walk): a name found in any case, a file made once, refusals."""
    p = tool(img, "open", "/HELLO.txt", "c", ss=ss)
    want = f"file size={len(files['/hello.txt'])}"
    check(p.stdout.decode().strip() == want, f"open /HELLO.txt c: {p.stdout!r}, want {want}")
    for path in ("/nope/../HELLO.TXT", "//./hello.txt/", "/hello.txt/x/.."):  # lexical ".."
        p = tool(img, "open", path, "c", ss=ss)
        check(p.stdout.decode().strip() == want, f"open {path} c: {p.stdout!r}, want {want}")
    p = tool(img, "open", "/新しいフォルダ/Made by open.txt", "ce", ss=ss)
    check(p.stdout.decode().strip() == "file size=0", f"open ce made: {p.stdout!r}")
    files["/新しいフォルダ/Made by open.txt"] = b""
    for args, err in [(("/hello.txt", "ce"), "E_EXISTS"), (("/", "ce"), "E_EXISTS"),
                      (("/新しいフォルダ/MADE BY OPEN.TXT", "ce"), "E_EXISTS"),
                      (("/nope/x", "c"), "E_NOENT"), (("/nope", "-"), "E_NOENT"),
                      (("/hello.txt/x", "c"), "E_NOTDIR"), (("/bad|name", "c"), "E_INVAL"),
                      (("/" + "a" * 1100, "c"), "E_INVAL"), (("/a" * 129, "c"), "E_INVAL")]:
        p = tool(img, "open", *args, ss=ss, ok=False)
        check(p.returncode == 2 and err in p.stderr.decode(),
              f"open {args} gave rc {p.returncode} {p.stderr.decode().strip()}, want {err}")
    # Read-only: what a create would make is refused wherever the path ends; a find is not.
    for path, how, rc, err in [("/made ro.txt", "c", 2, "E_RIGHTS"), ("/nope/x", "c", 2, "E_RIGHTS"),
                               ("/hello.txt", "c", 0, ""), ("/hello.txt", "ce", 2, "E_EXISTS")]:
        p = run([TOOL, "--ss", str(ss), "--ro", img, "open", path, how])
        check(p.returncode == rc and err in p.stderr.decode(),
              f"--ro open {path} {how}: rc {p.returncode} {p.stderr.decode().strip()}")


def engine_writes(tmp, img, ss, files, dirs, rng, floppy):
    """Change the volume through the engine, keeping the model in step."""
    host = os.path.join(tmp, "w")
    new = rng.randbytes(200_000 if floppy else 700_000)
    with open(host, "wb") as f:
        f.write(new)
    tool(img, "put", "/Written by the engine.bin", host, ss=ss)
    files["/Written by the engine.bin"] = new
    tool(img, "put", "/big.bin", host, ss=ss)  # overwrite a file mtools made
    files["/big.bin"] = new

    tool(img, "mkdir", "/新しいフォルダ", ss=ss)
    dirs.add("/新しいフォルダ")
    tool(img, "write", "/新しいフォルダ/メモ.txt", "0", "first line\n", ss=ss)
    tool(img, "write", "/新しいフォルダ/メモ.txt", "11", "appended\n", ss=ss)
    tool(img, "write", "/新しいフォルダ/メモ.txt", "6000", "after a hole", ss=ss)
    memo = b"first line\nappended\n"
    memo = memo + bytes(6000 - len(memo)) + b"after a hole"
    files["/新しいフォルダ/メモ.txt"] = memo
    tool(img, "write", "/HELLO.TXT", "7", "there", ss=ss)  # overwrite in place
    files["/HELLO.TXT"] = b"hello, there\n"

    tool(img, "truncate", "/A rather long file name with spaces.data", "1234", ss=ss)
    k = "/A rather long file name with spaces.data"
    files[k] = files[k][:1234]
    tool(img, "truncate", "/lower.txt", "3000", ss=ss)
    files["/lower.txt"] = files["/lower.txt"] + bytes(3000 - len(files["/lower.txt"]))

    tool(img, "mv", "/日本語のファイル.txt", "/新しいフォルダ/名前を変えた.txt", ss=ss)
    files["/新しいフォルダ/名前を変えた.txt"] = files.pop("/日本語のファイル.txt")
    tool(img, "mv", "/HELLO.TXT", "/hello.txt", ss=ss)  # case only
    files["/hello.txt"] = files.pop("/HELLO.TXT")
    # A directory moved across: its subtree follows, its ".." is repointed.
    tool(img, "mv", "/Deep/level one/二", "/新しいフォルダ/moved", ss=ss)
    for coll in (files, ):
        for p in [p for p in coll if p.startswith("/Deep/level one/二/")]:
            coll["/新しいフォルダ/moved/" + p[len("/Deep/level one/二/"):]] = coll.pop(p)
    for d in [d for d in dirs if d.startswith("/Deep/level one/二")]:
        dirs.discard(d)
        dirs.add("/新しいフォルダ/moved" + d[len("/Deep/level one/二"):])
    # A file replacing another.
    tool(img, "mv", "/many/entry 001 of the many.txt", "/many/entry 002 of the many.txt", ss=ss)
    files["/many/entry 002 of the many.txt"] = files.pop("/many/entry 001 of the many.txt")

    tool(img, "rm", "/many/entry 000 of the many.txt", ss=ss)
    del files["/many/entry 000 of the many.txt"]
    tool(img, "mkdir", "/gone", ss=ss)
    tool(img, "rmdir", "/gone", ss=ss)

    # Refusals, each with its own error and nothing changed.
    for args, err in [(("rmdir", "/many"), "E_NOTEMPTY"), (("rm", "/many"), "E_ISDIR"),
                      (("rmdir", "/hello.txt"), "E_NOTDIR"), (("mkdir", "/many"), "E_EXISTS"),
                      (("cat", "/nope"), "E_NOENT"), (("mkdir", "/bad:name"), "E_INVAL"),
                      (("mv", "/新しいフォルダ", "/新しいフォルダ/moved/x"), "E_INVAL"),
                      (("ls", "/hello.txt/x"), "E_NOTDIR")]:
        p = tool(img, *args, ss=ss, ok=False)
        check(p.returncode == 2 and err in p.stderr.decode(),
              f"{args} gave rc {p.returncode} {p.stderr.decode().strip()}, want {err}")

    open_checks(img, ss, files)

    # Many files: the directory grows over several clusters (the FAT12/16
    # root is fixed, so they go into a subdirectory).
    tool(img, "mkdir", "/grow", ss=ss)
    dirs.add("/grow")
    n = 150 if floppy else 300
    tool(img, "many", "/grow", str(n), ss=ss)
    for i in range(n):
        p = f"/grow/file number {i} with a long name.txt"
        files[p] = p.encode()
    # Files made in turn in 12 directories: more than the 8 the volume keeps
    # free-slot hints, chain places and name indexes for, so each create
    # finds its directory's records replaced (least recently used first).
    nd, nf = 12, 96 if floppy else 240
    tool(img, "spread", "/spread", str(nd), str(nf), ss=ss)
    dirs.add("/spread")
    dirs.update(f"/spread/d{k}" for k in range(nd))
    for i in range(nf):
        p = f"/spread/d{i % nd}/spread file {i} with a long name.txt"
        files[p] = p.encode()
    # A listing in batches of 1-5 while names are created and removed in the
    # same directory between batches (fat_tool churn): no name twice, every
    # name that stayed listed once; the directory goes again at the end.
    tool(img, "churn", "/churn", "120" if floppy else "300", ss=ss)
    # Same-looking names: their aliases must not collide.
    for i in range(12):
        p = f"/grow/Same Prefix {i}.text"
        tool(img, "write", p, "0", str(i), ss=ss)
        files[p] = str(i).encode()


def check_dirty_bit(img, ss, what):
    """After a clean unmount FAT[1]'s clean bit is set; cleared, the engine says dirty."""
    with open(img, "rb") as f:
        bs = f.read(512)
    bps, res = struct.unpack_from("<H", bs, 11)[0], struct.unpack_from("<H", bs, 14)[0]
    typ = tool(img, "df", ss=ss).stdout.decode().split()[0]
    if typ == "FAT12":
        return
    vol = Vol(img)
    bit = 0x08000000 if typ == "FAT32" else 0x8000
    fmt = "<I" if typ == "FAT32" else "<H"
    with open(img, "r+b") as f:
        for copy in range(vol.nfats):
            f.seek((res + copy * vol.fatsz) * bps + (4 if typ == "FAT32" else 2))
            v = struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]
            check(v & bit, f"{what}: clean bit not set after unmount (FAT[1] = {v:#x})")
            f.seek(-struct.calcsize(fmt), 1)
            f.write(struct.pack(fmt, v & ~bit))
    out = tool(img, "dirty", ss=ss).stdout.decode().split()
    check(out and out[0] == "1", f"{what}: a cleared clean bit was not seen as dirty: {out}")
    out = tool(img, "dirty", ss=ss).stdout.decode().split()
    check(out and out[0] == "0", f"{what}: still dirty after a clean unmount: {out}")


def volume_round(tmp, name, opts, kib, ss, rng):
    t0 = time.time()
    img = make_volume(tmp, name, opts, kib)
    floppy = kib <= 1440
    files, dirs = fill(tmp, img, rng, floppy)
    df = tool(img, "df", ss=ss).stdout.decode()
    want = {"fat12": "FAT12", "fat16": "FAT16", "fat32": "FAT32"}[name[:5]]
    check(df.startswith(want + " "), f"{name}: detected as {df.strip()}, want {want}")
    check_engine_sees(img, ss, files, dirs, name + " (mtools made)")
    engine_writes(tmp, img, ss, files, dirs, rng, floppy)
    fsck_clean(img, name + " after the engine's writes")
    mtools_sees(tmp, img, files, dirs, name + " after the engine's writes")
    check_engine_sees(img, ss, files, dirs, name + " (engine wrote)")
    check_dirty_bit(img, ss, name)
    fsck_clean(img, name + " at the end")
    print(f"ok {name}: {df.strip()} ({time.time() - t0:.1f} s)", flush=True)


def partition_round(tmp, rng):
    """An MBR disk whose first partition (at LBA 2048) holds the FAT32 volume."""
    img = os.path.join(tmp, "disk.img")
    part = make_volume(tmp, "part", ["-F", "32", "-s", "1"], 40 * 1024)
    with open(part, "rb") as f:
        vol = f.read()
    mbr = bytearray(512)
    struct.pack_into("<BBBBBBBBII", mbr, 446, 0, 0, 0, 0, 0x0C, 0, 0, 0, 2048, len(vol) // 512)
    mbr[510:512] = b"\x55\xAA"
    with open(img, "wb") as f:
        f.write(mbr + bytes(2047 * 512) + vol + bytes(4096 * 512))
    before = open(img, "rb").read()
    tool(img, "write", "/in the partition.txt", "0", "partitioned", ss=512)
    t = tree(img, 512)
    check(t.get("/in the partition.txt", ("", 0))[1] == 11, f"partition: tree {t}")
    after = open(img, "rb").read()
    check(after[:2048 * 512] == before[:2048 * 512] and
          after[2048 * 512 + len(vol):] == before[2048 * 512 + len(vol):],
          "partition: bytes outside the volume changed")
    with open(part, "wb") as f:
        f.write(after[2048 * 512:2048 * 512 + len(vol)])
    fsck_clean(part, "partition")
    check(mt("mtype", part, "::/in the partition.txt") == b"partitioned", "partition: mtype")
    print("ok partition", flush=True)


def bulk_bytes(off, n, seed):
    """fat_tool bulk's pattern: byte i of the file is (i * 131 + seed + (i >> 12)) & 0xFF."""
    return bytes(((i * 131 + seed + (i >> 12)) & 0xFF) for i in range(off, off + n))


def direct_round(tmp):
    """Whole clusters go around the cache in multi-sector requests, and the cache stays right."""
    img = make_volume(tmp, "direct", ["-F", "16", "-s", "8"], 40 * 1024)
    size = 3 << 20
    out = tool(img, "bulk", "/big.bin", "0", str(size), "5").stdout.decode()
    counts = dict(kv.split("=") for kv in out.split())
    # 3 MiB in requests of at most 128 sectors (fat_tool's limit) is 48; through the
    # cache's 64-sector runs it would be 96 or more.
    check(int(counts["writes"]) <= 48 and int(counts["reads"]) <= 4,
          f"direct: a 3 MiB write took {out.strip()} requests, want at most 48 writes")
    want = bytearray(bulk_bytes(0, size, 5))
    tool(img, "bulk", "/big.bin", "1000", "200000", "6")  # unaligned: pieces around whole ones
    want[1000:201000] = bulk_bytes(1000, 200000, 6)
    tool(img, "coherent", "/big.bin")
    want[0:1 << 20] = bulk_bytes(0, 1 << 20, 1)
    want[300000:300017] = b"small after large"
    fsck_clean(img, "direct: after large writes")
    check(mt("mtype", img, "::/big.bin") == bytes(want), "direct: mtools reads the bytes written")
    # A kill right after a large write: its data is on the disk, its FAT links and entry
    # (still in the cache) are not, so the volume is consistent and big.bin is whole.
    tool(img, "bulk", "/crash.bin", "0", str(2 << 20), "7", forget=True)
    tool(img, "bulk", "/big.bin", "0", str(1 << 20), "8", forget=True)
    fsck_clean(img, "direct: after a kill during large writes")
    names = mt("mdir", img, "-b", "::/").decode().split()
    check(not any("crash.bin" in n for n in names), f"direct: crash.bin appeared: {names}")
    got = mt("mtype", img, "::/big.bin")
    check(len(got) == size and got[1 << 20:] == bytes(want[1 << 20:]),
          "direct: big.bin keeps its size and its bytes past the killed write")
    print("ok direct transfers", flush=True)


def repair_round(tmp, fat):
    """What a kill leaves (lost chains, a stale FSInfo, the dirty bit) is repaired at mount."""
    kib = {16: 8 * 1024, 32: 40 * 1024}[fat]
    img = make_volume(tmp, f"repair{fat}", ["-F", str(fat), "-s", "1"], kib)
    mt("mcopy", img, os.path.join(tmp, "src", "f"), "::/KEPT.BIN")
    before = mt("mtype", img, "::/KEPT.BIN")
    v = Vol(img)
    # A lost chain of three and a lost single cluster, as a grown file whose
    # entry never reached the disk would leave them.
    lost = [v.clusters - 10, v.clusters - 9, v.clusters - 8]
    eoc = {16: 0xFFFF, 32: 0x0FFFFFFF}[fat]
    v.set_fat(lost[0], lost[1])
    v.set_fat(lost[1], lost[2])
    v.set_fat(lost[2], eoc)
    v.set_fat(v.clusters - 3, eoc)
    p = run(["fsck.fat", "-n", img])
    check(p.returncode != 0, f"repair FAT{fat}: fsck did not see the lost clusters")
    check_dirty = tool(img, "dirty").stdout.decode().split()
    check(check_dirty == ["0", "0"], f"repair FAT{fat}: a clean volume repaired: {check_dirty}")
    bps, res = v.bps, v.res
    bit = 0x08000000 if fat == 32 else 0x8000
    fmt = "<I" if fat == 32 else "<H"
    with open(img, "r+b") as f:
        for copy in range(v.nfats):
            f.seek((res + copy * v.fatsz) * bps + (4 if fat == 32 else 2))
            x = struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]
            f.seek(-struct.calcsize(fmt), 1)
            f.write(struct.pack(fmt, x & ~bit))
    if fat == 32:  # FSInfo's free count made wrong: it must not be believed
        v.patch(v.bps * 1 + 488, "<I", 12345)
    got = tool(img, "dirty").stdout.decode().split()
    check(got == ["1", "4"], f"repair FAT{fat}: dirty/repaired {got}, want 1 4")
    fsck_clean(img, f"repair FAT{fat}")
    check(mt("mtype", img, "::/KEPT.BIN") == before, f"repair FAT{fat}: the kept file changed")
    print(f"ok repair FAT{fat}", flush=True)


def fat_copies(img):
    """The bytes of each FAT copy, and whether the first says the volume is clean."""
    v = Vol(img)
    with open(img, "rb") as f:
        copies = []
        for copy in range(v.nfats):
            f.seek((v.res + copy * v.fatsz) * v.bps)
            copies.append(f.read(v.fatsz * v.bps))
    bit, at = (0x08000000, 4) if v.type == 32 else (0x8000, 2)
    fmt = "<I" if v.type == 32 else "<H"
    clean = struct.unpack_from(fmt, copies[0], at)[0] & bit != 0
    return copies, clean


def mirror_round(tmp, fat):
    """Only the first FAT is written in the cache; every other copy gets its sectors at
    write-back. A kill at every write request of a run of synced operations: a first copy
    that says "clean" has equal copies beside it, and the next mount leaves them equal."""
    opts = {16: ["-F", "16", "-s", "4"], 32: ["-F", "32", "-s", "1"]}[fat]
    base = make_volume(tmp, f"mirror{fat}", opts, {16: 16 * 1024, 32: 40 * 1024}[fat])
    # A file ahead, so the run's clusters lie past the first FAT sector (the clean bit's).
    ahead = os.path.join(tmp, "ahead.bin")
    with open(ahead, "wb") as f:
        f.write(bytes(range(256)) * 4096)
    mt("mcopy", base, ahead, "::/AHEAD.BIN")
    img = base + ".run"
    for n in range(400):
        shutil.copyfile(base, img)
        p = run([TOOL, "--crash-after", str(n), img, "camp", "0", "6"])
        check("Sanitizer" not in p.stderr.decode(errors="replace"),
              f"mirror FAT{fat}: kill after {n} writes: sanitizer report")
        copies, clean = fat_copies(img)
        check(not clean or all(c == copies[0] for c in copies),
              f"mirror FAT{fat}: kill after {n} writes: the first FAT says clean, copies differ")
        tool(img, "dirty")
        copies, clean = fat_copies(img)
        check(clean and all(c == copies[0] for c in copies),
              f"mirror FAT{fat}: kill after {n} writes: after the next mount, copies differ")
        fsck_clean(img, f"mirror FAT{fat}: kill after {n} writes, mounted again")
        if p.returncode == 0:
            break  # every write of the run got through: all kill points seen
    check(p.returncode == 0, f"mirror FAT{fat}: the run never finished within 400 writes")
    check(n > 20, f"mirror FAT{fat}: only {n} writes: the run did not sync")
    print(f"ok mirror FAT{fat}: kills after each of {n} writes", flush=True)


# ---- hostile images ----

class Vol:
    """Just enough of a FAT volume's layout to patch it."""

    def __init__(self, img):
        self.img = img
        b = open(img, "rb").read(512)
        self.bps, self.spc, self.res, self.nfats, self.rootent = struct.unpack_from("<HBHBH", b, 11)
        tot = struct.unpack_from("<H", b, 19)[0] or struct.unpack_from("<I", b, 32)[0]
        self.fatsz = struct.unpack_from("<H", b, 22)[0] or struct.unpack_from("<I", b, 36)[0]
        rootsec = (self.rootent * 32 + self.bps - 1) // self.bps
        self.root = self.res + self.nfats * self.fatsz
        self.data = self.root + rootsec
        self.clusters = (tot - self.data) // self.spc
        self.type = 12 if self.clusters < 4085 else 16 if self.clusters < 65525 else 32
        self.root_cluster = struct.unpack_from("<I", b, 44)[0] if self.type == 32 else 0

    def cluster_off(self, cl):
        return (self.data + (cl - 2) * self.spc) * self.bps

    def set_fat(self, cl, val):
        with open(self.img, "r+b") as f:
            for c in range(self.nfats):
                base = (self.res + c * self.fatsz) * self.bps
                if self.type == 32:
                    f.seek(base + cl * 4)
                    f.write(struct.pack("<I", val))
                elif self.type == 16:
                    f.seek(base + cl * 2)
                    f.write(struct.pack("<H", val))
                else:
                    f.seek(base + cl * 3 // 2)
                    old = struct.unpack("<H", f.read(2))[0]
                    new = (old & 0x000F) | (val << 4) if cl & 1 else (old & 0xF000) | val
                    f.seek(base + cl * 3 // 2)
                    f.write(struct.pack("<H", new))

    def get_fat(self, cl):
        with open(self.img, "rb") as f:
            base = self.res * self.bps
            if self.type == 32:
                f.seek(base + cl * 4)
                return struct.unpack("<I", f.read(4))[0] & 0x0FFFFFFF
            f.seek(base + (cl * 2 if self.type == 16 else cl * 3 // 2))
            v = struct.unpack("<H", f.read(2))[0]
            return v if self.type == 16 else (v >> 4 if cl & 1 else v & 0xFFF)

    def root_entry(self, short):
        """Byte offset of a short entry in the root directory."""
        data = open(self.img, "rb").read()
        start = self.root * self.bps if self.type != 32 else self.cluster_off(self.root_cluster)
        i = data.find(short, start, start + 64 * 1024)
        assert i >= 0 and (i - start) % 32 == 0, short
        return i

    def entry_first(self, off):
        data = open(self.img, "rb").read(off + 32)
        return struct.unpack_from("<H", data, off + 26)[0] | \
            struct.unpack_from("<H", data, off + 20)[0] << 16

    def patch(self, off, fmt, val):
        with open(self.img, "r+b") as f:
            f.seek(off)
            f.write(struct.pack(fmt, val))


def hostile_base(tmp, fat, name):
    kib = {12: 1440, 16: 8 * 1024, 32: 40 * 1024}[fat]
    img = make_volume(tmp, name, ["-F", str(fat), "-s", "1"], kib)
    src = os.path.join(tmp, "chain")
    with open(src, "wb") as f:
        f.write(bytes(range(256)) * 20)  # 5120 bytes: 10 clusters of 512
    mt("mcopy", img, src, "::/CHAIN.BIN")
    mt("mmd", img, "::/LOOP")
    for i in range(30):  # 32 slots: two full clusters of directory
        mt("mcopy", img, src, f"::/LOOP/F{i}.BIN")
    return img


def handles_round(tmp):
    """Reads through extent maps and hints stay right when the table changes under them."""
    for fat, opts, kib in ((12, ["-F", "12"], 8 * 1024), (16, ["-F", "16", "-s", "4"], 16 * 1024),
                           (32, ["-F", "32", "-s", "1"], 40 * 1024)):
        img = make_volume(tmp, f"handles{fat}", opts, kib)
        # Two handles: one reads the file whole, the other cuts it and writes it again with
        # new clusters; the first reads the new bytes, then a short read past a second cut.
        tool(img, "stale", "/stale.bin")
        # Chains of one-cluster runs (more than an extent map holds), read in pieces.
        tool(img, "interleave", "/a.bin", "/b.bin", "100")
        cb = int(tool(img, "df").stdout.decode().split("cluster=")[1].split()[0])
        fsck_clean(img, f"handles FAT{fat}")
        check(mt("mtype", img, "::/a.bin") == bulk_bytes(0, 100 * cb, 11) and
              mt("mtype", img, "::/b.bin") == bulk_bytes(0, 100 * cb, 12),
              f"handles FAT{fat}: mtools reads the interleaved files right")
        got = mt("mtype", img, "::/stale.bin")
        check(got == bulk_bytes(0, cb // 2, 2), f"handles FAT{fat}: stale.bin is its last cut")
        out = tool(img, "seqread", "/a.bin", "1048576").stdout.decode()
        check(f"bytes={100 * cb} " in out, f"handles FAT{fat}: seqread read {out.strip()}")
    print("ok handles", flush=True)


def expect_corrupt(img, what, *args):
    p = tool(img, *args, ok=False)
    err = p.stderr.decode()
    check(p.returncode == 2 and "E_CORRUPT" in err,
          f"hostile {what}: {args} gave rc {p.returncode} '{err.strip()}', want E_CORRUPT")


def hostile_chains(tmp, fat):
    base = hostile_base(tmp, fat, f"hostile{fat}")
    cases = []

    def case(name, fn, *args):
        img = os.path.join(tmp, f"h{fat}-{name}.img")
        shutil.copy(base, img)
        v = Vol(img)
        e = v.root_entry(b"CHAIN   BIN")
        fn(v, v.entry_first(e), e)
        cases.append((name, img, args))

    def chain(v, first):
        cl, out = first, []
        while cl < 0xFF8 if v.type == 12 else cl < 0xFFF8 if v.type == 16 else cl < 0x0FFFFFF8:
            out.append(cl)
            cl = v.get_fat(cl)
        return out

    case("cycle", lambda v, f, e: v.set_fat(chain(v, f)[-1], f), "cat", "/CHAIN.BIN")
    case("short-cycle", lambda v, f, e: v.set_fat(chain(v, f)[3], chain(v, f)[1]),
         "cat", "/CHAIN.BIN")
    case("past-end", lambda v, f, e: v.set_fat(chain(v, f)[2], v.clusters + 50),
         "cat", "/CHAIN.BIN")
    case("free-link", lambda v, f, e: v.set_fat(chain(v, f)[4], 0), "cat", "/CHAIN.BIN")
    case("first-1", lambda v, f, e: v.patch(e + 26, "<H", 1), "cat", "/CHAIN.BIN")
    case("size-over", lambda v, f, e: v.patch(e + 28, "<I", 5120 + 4096), "cat", "/CHAIN.BIN")
    case("size-under", lambda v, f, e: v.patch(e + 28, "<I", 1000), "cat", "/CHAIN.BIN")

    def dir_loop(v, f, e):
        d = v.root_entry(b"LOOP       ")
        first = v.entry_first(d)
        v.set_fat(chain(v, first)[-1], first)
    case("dir-cycle", dir_loop, "ls", "/LOOP")

    def dir_self(v, f, e):
        d = v.root_entry(b"LOOP       ")
        first = v.entry_first(d)
        # The LOOP directory's "F0.BIN" becomes a directory whose cluster is LOOP's own.
        off = v.cluster_off(first)
        data = open(v.img, "rb").read()
        i = data.find(b"F0      BIN", off, off + 4096)
        v.patch(i + 11, "<B", 0x10)
        v.patch(i + 26, "<H", first & 0xFFFF)
        v.patch(i + 20, "<H", first >> 16)
    cases_self = len(cases)
    case("dir-self", dir_self, "tree", "")

    for i, (name, img, args) in enumerate(cases):
        if i == cases_self:
            # Bounded by depth: a clean run, and no write anywhere.
            before = open(img, "rb").read()
            tool(img, *args)
            p = tool(img, "mv", "/LOOP", "/LOOP/F0.BIN/x", ok=False)
            check(p.returncode == 2, f"dir-self: moving a dir below itself gave {p.returncode}")
            continue
        before = open(img, "rb").read()
        if name == "free-link":
            # Clusters 0-4 are whole (cluster 4's link is the damage): reads of them in one
            # mount succeed while the chain is mapped ahead into the damage, the next fails.
            reads = [str(x) for k in range(5) for x in (512 * k, 512)]
            out = tool(img, "readat", "/CHAIN.BIN", *reads).stdout.decode().split()
            check(out == ["bytes=512"] * 5, f"FAT{fat} free-link: reads before the damage: {out}")
            expect_corrupt(img, f"FAT{fat} {name} past the damage", "readat", "/CHAIN.BIN",
                           *reads, "2560", "512")
        expect_corrupt(img, f"FAT{fat} {name}", *args)
        if name in ("cycle", "short-cycle", "past-end", "free-link"):
            # Changing the damaged file fails cleanly too, and writes nothing outside the volume.
            p = tool(img, "write", "/CHAIN.BIN", "20000", "x", ok=False)
            check(p.returncode in (0, 2), f"{name}: write rc {p.returncode}")
            p = tool(img, "rm", "/CHAIN.BIN", ok=False)
            check(p.returncode in (0, 2), f"{name}: rm rc {p.returncode}")
        check(len(open(img, "rb").read()) == len(before), f"{name}: the image grew")
    print(f"ok hostile chains FAT{fat}", flush=True)


def hostile_bpb(tmp):
    base = make_volume(tmp, "bpb", ["-F", "32", "-s", "1"], 40 * 1024)
    base16 = make_volume(tmp, "bpb16", ["-F", "16", "-s", "1"], 8 * 1024)
    cases = [
        (base, "bytes/sector 0", 11, "<H", 0), (base, "bytes/sector 1000", 11, "<H", 1000),
        (base, "sectors/cluster 0", 13, "<B", 0), (base, "sectors/cluster 3", 13, "<B", 3),
        (base, "reserved 0", 14, "<H", 0), (base, "FATs 0", 16, "<B", 0),
        (base, "total 0", 32, "<I", 0), (base, "total huge", 32, "<I", 0xFFFFFFF0),
        (base, "FAT size 0", 36, "<I", 0), (base, "FAT size huge", 36, "<I", 0x7FFFFFFF),
        (base, "FAT size small", 36, "<I", 2), (base, "root cluster 0", 44, "<I", 0),
        (base, "root cluster past end", 44, "<I", 0x0FFFFFF0),
        (base, "signature", 510, "<H", 0), (base, "jump", 0, "<B", 0),
        (base16, "root entries 0", 17, "<H", 0), (base16, "FAT16 FAT size 0", 22, "<H", 0),
        (base16, "FAT16 total huge", 19, "<H", 0xFFFF),
    ]
    for src, name, off, fmt, val in cases:
        img = os.path.join(tmp, "bpb-case.img")
        shutil.copy(src, img)
        Vol.patch(type("V", (), {"img": img})(), off, fmt, val)
        expect_corrupt(img, "BPB " + name, "df")
    print("ok hostile boot sectors", flush=True)


def hostile_random(tmp, rng):
    """Random bytes in the metadata of a populated FAT12 and FAT16 volume."""
    for fat, kib in ((12, 1440), (16, 8 * 1024)):
        base = make_volume(tmp, f"rand{fat}", ["-F", str(fat), "-s", "1"], kib)
        files, dirs = fill(tmp, base, rng, True)
        v = Vol(base)
        meta = v.data * v.bps + 8 * v.spc * v.bps  # boot sector to the first directories
        for i in range(15):
            img = os.path.join(tmp, "rand.img")
            shutil.copy(base, img)
            with open(img, "r+b") as f:
                for _ in range(rng.randint(1, 40)):
                    f.seek(rng.randrange(0, meta))
                    f.write(bytes([rng.randrange(256)]))
            size = os.path.getsize(img)
            tool(img, "tree", "", ok=False)
            tool(img, "many", "/many", "30", ok=False)
            tool(img, "rm", "/big.bin", ok=False)
            tool(img, "mv", "/Deep", "/many/x", ok=False)
            check(os.path.getsize(img) == size, f"random damage {i}: the image grew")
    print("ok hostile random", flush=True)


def main():
    global TOOL
    TOOL = os.path.abspath(sys.argv[1])
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        for name, opts, kib, ss in VOLUMES:
            volume_round(tmp, name, opts, kib, ss, rng)
        partition_round(tmp, rng)
        direct_round(tmp)
        handles_round(tmp)
        repair_round(tmp, 16)
        repair_round(tmp, 32)
        mirror_round(tmp, 16)
        mirror_round(tmp, 32)
        hostile_chains(tmp, 12)
        hostile_chains(tmp, 16)
        hostile_chains(tmp, 32)
        hostile_bpb(tmp)
        hostile_random(tmp, rng)
    print(f"fat images: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures or checks == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
