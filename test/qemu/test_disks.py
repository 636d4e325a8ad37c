#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The default disk and the shell's block commands (issue 10).

The build's image (build/iso/disk.img, iso/mkdisk.py) is checked on the
host first: its MBR holds one FAT32 partition at LBA 2048, which
`fsck.fat -n` passes and whose /bin holds every program (mdir). A copy of
it goes on AHCI port 0, as ./run attaches build/disk.img, and the ahci
driver, started at boot, serves it. Everything is typed into /bin/sh on
the serial console: `disks` (apps/concmd) lists disk0 with
its size, sector count and QEMU's model and disk0p1 with the partition's;
`blk read` dumps the MBR (its 0x55AA signature) and the partition's boot
sector (mkfs.fat's OEM name and "FAT32"), every byte of which must equal
the image's; a range past the end, bad arguments and a name that is not a
disk answer with an error; after `svc fi ahci crash` the next read still
answers the same bytes (the block library resends after the restart).
Then the files of that partition through the FAT server, started at boot
on disk0p1: `ls -l /` lists /bin, /docs, hello.txt with its size and the
Japanese long name, `ls -l /bin` the programs, `cat /hello.txt` and `cat
/docs/README.txt` print exactly the files of iso/disk/, `df /` tells FAT32
and the label, `/bin/svc list` starts svc from the disk, and a missing
path, a directory given to cat or a text file started as a program is an
error."""

import os
import re
import shutil
import subprocess
import tempfile

from console_shell import ConsoleShell, lines_matching, expect
from harness import TestRun

SECTOR = 512
SECTORS = 131072
FIRST = 2048
DUMP = re.compile(r"^([0-9a-f]{10}) ((?: +[0-9a-f]{2}){16})  \|.{16}\|$")
PROGRAMS = ("init", "loader", "console", "ahci", "svc", "ipcbench", "btest")
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "iso", "disk")
JAPANESE = "日本語のファイル.txt"


def host_checks(run, image, tmp):
    with open(image, "rb") as f:
        mbr = f.read(SECTOR)
    entry = mbr[446:462]
    run.check(mbr[510:512] == b"\x55\xaa", "the image has an MBR")
    run.check(entry[4] == 0x0C and int.from_bytes(entry[8:12], "little") == FIRST and
              int.from_bytes(entry[12:16], "little") == SECTORS - FIRST,
              "partition 1: FAT32 (LBA), LBA 2048 to the end", entry.hex())
    part = os.path.join(tmp, "part.img")
    with open(image, "rb") as f, open(part, "wb") as out:
        f.seek(FIRST * SECTOR)
        shutil.copyfileobj(f, out)
    done = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    run.check(done.returncode == 0, "fsck.fat -n passes the partition", done.stdout + done.stderr)
    done = subprocess.run(["mdir", "-b", "-i", part, "::/bin"], capture_output=True, text=True)
    names = {os.path.basename(line.strip()) for line in done.stdout.splitlines()}
    missing = [p for p in PROGRAMS if p not in names]
    run.check(done.returncode == 0 and not missing, "/bin holds the programs", f"missing {missing}")


def dumped(lines):
    """(first byte offset, the bytes) of a blk read's hex lines."""
    rows = [DUMP.match(line) for line in lines]
    rows = [r for r in rows if r]
    data = b"".join(bytes(int(x, 16) for x in r.group(2).split()) for r in rows)
    return (int(rows[0].group(1), 16) if rows else None), data


def check_dump(run, sh, line, image, offset, count, what, shown=None):
    """The bytes at `offset` of the image; the dump numbers them from the
    device's start (`shown`, the same offset for the whole disk)."""
    lines = sh.command(line, r"^[0-9a-f]{10} .*\|$")
    start, data = dumped(lines)
    with open(image, "rb") as f:
        f.seek(offset)
        want = f.read(count * SECTOR)
    run.check(start == (offset if shown is None else shown) and data == want, what,
              f"offset {start}, {len(data)} bytes, first difference at "
              f"{next((i for i, (a, b) in enumerate(zip(data, want)) if a != b), '-')}")
    return data


def sample(rel):
    with open(os.path.join(SAMPLES, rel), encoding="utf-8") as f:
        return f.read().splitlines()


def check_files(run, sh, m):
    m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", since=0, timeout=30)
    lines = sh.command("ls -l /", r"^ +<dir>  \S+ \S+  bin/$", last=r"hello\.txt$")
    hello = os.path.getsize(os.path.join(SAMPLES, "hello.txt"))
    run.check(lines_matching(lines, r"^ +<dir>  \d{4}-\d\d-\d\d \d\d:\d\d  docs/$"),
              "ls / lists docs/")
    run.check(lines_matching(lines, rf"^ +{hello}  \S+ \S+  hello\.txt$"),
              f"ls / lists hello.txt, {hello} bytes")
    run.check(lines_matching(lines, rf"  {JAPANESE}$"), "ls / lists the Japanese long name")
    lines = sh.command("ls -l /bin", r"  btest$")
    names = {line.split()[-1] for line in lines if re.match(r"^ +\d+  ", line)}
    missing = [p for p in PROGRAMS if p not in names]
    run.check(not missing, "ls /bin lists the programs", f"missing {missing}")
    for path in ("/hello.txt", "/docs/README.txt"):
        want = sample(path[1:])
        lines = sh.command(f"cat {path}", re.escape(want[-1]) + "$")
        start = next((i for i, line in enumerate(lines) if line == want[0]), None)
        got = lines[start:start + len(want)] if start is not None else []
        run.check(got == want, f"cat {path} prints the file", f"{got[:2]}")
    expect(run, sh, "df /", r'^/ +FAT32 +(\d+) +\d+ +\d+  OSDISK$', "df /: FAT32, the label")
    lines = sh.command("/bin/svc list; echo code $?", r"^code 0$")
    run.check(lines_matching(lines, r"^console +\d+ +running "),
              "/bin/svc list: svc read from the disk lists the services")
    expect(run, sh, "/bin/nosuch", r"^sh: /bin/nosuch: command not found$",
           "sh refuses a missing file")
    expect(run, sh, "/hello.txt", r"^sh: /hello\.txt: not a program \(ELF error -?\d+\)$",
           "sh refuses a file that is no ELF")
    expect(run, sh, "ls /nosuch", r"^ls: /nosuch: no such file or directory$",
           "ls refuses a missing path")
    expect(run, sh, "cat /bin", r"^cat: /bin: is a directory$", "cat refuses a directory")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        image, extra = run.default_disk(tmp)
        host_checks(run, image, tmp)
        with run.machine(extra=extra, timeout=60) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            lines = sh.command("disks", r"^disk0 ", last=r"^  disk0p1 ")
            run.check(lines_matching(lines, rf"^disk0 +64\.0 MiB +{SECTORS} x 512 +QEMU HARDDISK"),
                      "disks lists disk0: 64 MiB, its sectors, the model")
            run.check(lines_matching(lines, rf"^  disk0p1 +63\.0 MiB +{SECTORS - FIRST} x 512 "
                                     r"+\(partition\)"), "disks lists disk0p1")
            run.check(not lines_matching(lines, r"^  disk0p2 "), "no second partition listed")
            mbr = check_dump(run, sh, "blk read disk0 0", image, 0, 1, "blk read disk0 0: the MBR")
            run.check(mbr[-2:] == b"\x55\xaa", "the MBR ends in 55 aa")
            boot = check_dump(run, sh, "blk read disk0p1 0 2", image, FIRST * SECTOR, 2,
                              "blk read disk0p1 0 2: the partition's first two sectors", shown=0)
            run.check(boot[82:90] == b"FAT32   ", "the partition's boot sector says FAT32")
            for line, answer in (
                    (f"blk read disk0 {SECTORS}", r"^blk: disk0: read 131072\+1: E_RANGE"),
                    (f"blk read disk0p1 {SECTORS - FIRST - 1} 2", r"^blk: disk0p1: read .*E_RANGE"),
                    ("blk read disk0 0 17", r"^usage: blk read"),
                    ("blk read disk0 zero", r"^usage: blk read"),
                    ("blk write disk0 0", r"^usage: blk read"),
                    ("blk read echo 0", r"^blk: echo: not a block device"),
                    ("blk read disk7 0", r"^blk: disk7: E_NOENT")):
                expect(run, sh, line, answer, f"'{line}' answers /{answer}/")
            start = len(m.lines())  # init's line may come before svc's answer
            sh.command("svc fi ahci crash", r"^svc: ")
            crashed = m.seen(r"svc: ahci \(pid \d+\) faulted: .*; injected: restart now$",
                             since=start)
            run.check(crashed is not None, "ahci crashed (injected)")
            check_dump(run, sh, "blk read disk0p1 0", image, FIRST * SECTOR, 1,
                       "after ahci crashed, blk read answers the same bytes", shown=0)
            check_files(run, sh, m)


if __name__ == "__main__":
    TestRun.main("qemu-disks", main)
