#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""qemu-paths: one path namespace over two FAT volumes, and programs from
the disk (libsys/vfs, servers/loader, apps/<tool>).

The default disk (disk0, FAT32 "OSDISK", fs0 at "/") and a second image
made here by mkfs.fat and mtools: a whole-disk ("superfloppy") FAT16 volume
labelled SHARE on AHCI port 3 (disk1), served by `svc start fat2` on fs2.
Typed into /bin/sh on the serial console: `mount` shows both, with the second at
/mnt/share; the file tools, none of them a boot module, start from /bin by
name and list, print, copy (both ways between the volumes), move (within a
volume and across, which copies), make and remove files and directories,
dump bytes and report free space; errors name the path and the reason and
exit 1; sh and the loader refuse a directory, an empty file, a text file and a
truncated ELF by path; after a crash of fat, and of the loader, programs still start
from /bin. After a clean shutdown the host checks both images with
`fsck.fat -n` and compares every name and byte with mdir and mtype."""

import os
import re
import shutil
import subprocess
import tempfile

from console_shell import ConsoleShell, expect, lines_matching
from harness import TestRun
from test_fat import mt  # mtools on an image, its stdout

SHARE_KIB = 16384
NOTES = "notes from the host\nsecond line: 123\n"
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "iso", "disk")
RUN_TIMEOUT_S = 60


def make_share(tmp):
    """A whole-disk FAT16 volume labelled SHARE: notes.txt, a directory, a truncated ELF."""
    img = os.path.join(tmp, "share.img")
    subprocess.run(["mkfs.fat", "-F", "16", "-n", "SHARE", "-C", img, str(SHARE_KIB)],
                   check=True, capture_output=True)
    src = os.path.join(tmp, "src")
    with open(src, "w", encoding="utf-8") as f:
        f.write(NOTES)
    mt("mcopy", img, src, "::/notes.txt")
    mt("mmd", img, "::/old")
    with open(shutil.which("true"), "rb") as f:
        elf = f.read(200)  # the host's own ELF, cut inside its program headers
    with open(src, "wb") as f:
        f.write(elf)
    mt("mcopy", img, src, "::/trunc")
    return img


def run_tool(sh, line, want=None, code=0, timeout=RUN_TIMEOUT_S, run=None, what=None):
    """LINE typed into sh, and then its exit code ($?): its output lines once
    it exited. It must exit with `code` and print a line matching `want` (if
    given): with `run`, that is the check `what`; without, a failure raises."""
    name = line.split()[0].split("/")[-1]
    lines = sh.command(f"{line}; echo {name} exited with code $?",
                       rf"^{re.escape(name)} exited with code -?\d+$", timeout=timeout)
    ok = bool(lines_matching(lines, rf"^{re.escape(name)} exited with code {code}$"))
    ok = ok and (want is None or bool(lines_matching(lines, want)))
    if run is not None:
        run.check(ok, what or f"{line}: exit {code}", "\n".join(lines[-4:]))
    elif not ok:
        raise AssertionError(f"{line}: not exit {code} and /{want}/ in {lines}")
    return lines


def check_tools(run, sh):
    lines = run_tool(sh, "mount", r'^fs2 on /mnt/share type fat16 \(label "SHARE"\)$')
    run.check(lines_matching(lines, r'^fs0 on / type fat32 \(label "OSDISK"\)$'),
              "mount: fs0 on /, fs2 on /mnt/share (label SHARE, lower case)")
    run_tool(sh, "ls /mnt", r"^share/$", run=run,
             what="ls /mnt lists the mount point")
    run_tool(sh, "ls -l /mnt/share", rf"^ +{len(NOTES)}  \d{{4}}-\d\d-\d\d \d\d:\d\d  notes\.txt$",
             run=run, what="ls -l /mnt/share: notes.txt with its size")
    run_tool(sh, "cat /mnt/share/notes.txt", r"^second line: 123$", run=run,
             what="cat prints a file of the second volume")
    hello = open(os.path.join(SAMPLES, "hello.txt"), encoding="utf-8").read()
    run_tool(sh, "hexdump /hello.txt",
             "^0000000000  " + " ".join(f"{b:02x}" for b in hello.encode()[:16]) + "  \\|",
             run=run, what="hexdump: the first row of /hello.txt")
    for line in ("cp /mnt/share/notes.txt /copied.txt", "cp /hello.txt /mnt/share",
                 "mkdir /mnt/share/new", "mv /mnt/share/hello.txt /mnt/share/new/moved.txt",
                 "mv /copied.txt /mnt/share/across.txt", "rm /mnt/share/notes.txt",
                 "touch /mnt/share/empty", "mkdir -p /mnt/share/a/b/c", "rmdir /mnt/share/a/b/c",
                 "rmdir /mnt/share/old"):
        run_tool(sh, line, run=run)
    run_tool(sh, "ls /mnt/share/new", r"^moved\.txt$", run=run,
             what="mv within a volume: ls finds the moved file")
    run_tool(sh, "cat /mnt/share/across.txt", r"^notes from the host$", run=run,
             what="mv across volumes: the copied bytes read back in the guest")
    for line, want in (("cat /nope", r"^cat: /nope: no such file or directory$"),
                       ("rmdir /mnt/share/a", r"^rmdir: /mnt/share/a: directory not empty$"),
                       ("rm /mnt/share/new", r"^rm: /mnt/share/new: is a directory$"),
                       ("ls /mnt/nothing", r"^ls: /mnt/nothing: no such file or directory$"),
                       ("mkdir /mnt/share", r"^mkdir: /mnt/share: file exists$"),
                       ("rmdir /mnt/share", r"^rmdir: /mnt/share: is a mount point$")):
        run_tool(sh, line, want, code=1, run=run,
                 what=f"{line}: '{want[1:-1]}', exit code 1")
    lines = run_tool(sh, "df", r"^/mnt/share +FAT16 +\d+ +\d+ +\d+  SHARE$")
    run.check(lines_matching(lines, r"^/ +FAT32 +\d+ +\d+ +\d+  OSDISK$"), "df: both volumes")
    run_tool(sh, "sync")


def check_loader(run, sh):
    expect(run, sh, "/bin", r"^sh: /bin: is a directory$", "sh refuses a directory")
    expect(run, sh, "/hello.txt", r"^sh: /hello\.txt: not a program \(ELF error -?\d+\)$",
           "the loader refuses a text file")
    expect(run, sh, "/mnt/share/trunc", r"^sh: /mnt/share/trunc: not a program "
           r"\(ELF error -?\d+\)$", "the loader refuses a truncated ELF")
    expect(run, sh, "/mnt/share/empty", r"^sh: /mnt/share/empty: cannot start: E_RANGE$",
           "sh refuses an empty file (vfs_read_object)")
    expect(run, sh, "nosuchtool", r"^sh: nosuchtool: command not found$",
           "sh and the loader refuse a missing name")
    run_tool(sh, "/mnt/share/../../bin/ls /mnt/share/new", r"^moved\.txt$", run=run,
             what="a program started by a path with '..' in it")
    run_tool(sh, "cp /bin/ls /mnt/share/lsx")
    run_tool(sh, "/mnt/share/lsx /mnt/share/new", r"^moved\.txt$", run=run,
             what="a program on the second volume, which came after the loader's first look")


def check_restarts(run, sh, m):
    """The loader's own client of fs0 and a new loader both find /bin again."""
    for server in ("fat", "loader"):
        start = len(m.lines())
        sh.command(f"svc fi {server} crash", r"^svc: ")
        m.wait_for(rf"svc: restarted {server} \(pid \d+", timeout=60, since=start)
        if server == "fat":
            m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", timeout=60, since=start)
        sh.wait_quiet()
        run_tool(sh, "ls /mnt/share/new", r"^moved\.txt$", run=run,
                 what=f"after {server} crashed, sh starts /bin/ls and it lists /mnt/share")


def host_checks(run, tmp, disk, share):
    done = subprocess.run(["fsck.fat", "-n", share], capture_output=True, text=True)
    run.check(done.returncode == 0, "fsck.fat -n passes the second volume",
              done.stdout + done.stderr)
    names = {line.strip().rstrip("/").split("/")[-1] for line in
             mt("mdir", share, "-b", "-/", "::/").decode().splitlines()}
    want = {"across.txt", "new", "moved.txt", "empty", "a", "b", "trunc", "lsx"}
    run.check(want <= names and not {"notes.txt", "old", "c", "hello.txt"} & names,
              "mdir: the second volume's names are what the tools left", f"{sorted(names)}")
    run.check(mt("mtype", share, "::/across.txt").decode() == NOTES,
              "mtype: across.txt holds notes.txt's bytes")
    hello = open(os.path.join(SAMPLES, "hello.txt"), "rb").read()
    run.check(mt("mtype", share, "::/new/moved.txt") == hello,
              "mtype: new/moved.txt holds /hello.txt's bytes")
    part = os.path.join(tmp, "part.img")
    with open(disk, "rb") as f, open(part, "wb") as out:
        f.seek(2048 * 512)
        shutil.copyfileobj(f, out)
    done = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    run.check(done.returncode == 0, "fsck.fat -n passes the system disk", done.stdout + done.stderr)
    root = mt("mdir", part, "-b", "::/").decode()
    run.check("copied.txt" not in root and "hello.txt" in root,
              "the system disk: copied.txt moved away, hello.txt still there")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        disk, extra = run.default_disk(tmp)
        share = make_share(tmp)
        extra += ["-drive", f"file={share},format=raw,if=none,id=d3",
                  "-device", "ide-hd,drive=d3,bus=ide.3"]
        with run.machine(extra=extra, timeout=600) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", since=0, timeout=60)
            lines = run_tool(sh, "ls /", r"^bin/$")
            run.check(not lines_matching(lines, r"^mnt/$"),
                      "ls / before the second volume: bin/ and no mnt/ (the loader has looked)")
            start = len(m.lines())  # fat2's line may come before svc's answer
            sh.command("svc start fat2", r"^svc: ")
            m.wait_for(r"fat: disk1: FAT16, .* serving fs2", timeout=60, since=start)
            sh.wait_quiet()
            check_tools(run, sh)
            check_loader(run, sh)
            check_restarts(run, sh, m)
            sh.send("shutdown\r")
            m.wait_exit(60)
        host_checks(run, tmp, disk, share)


if __name__ == "__main__":
    TestRun.main("qemu-paths", main)
