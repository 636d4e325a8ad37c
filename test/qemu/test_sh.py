#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shell program on the serial line (issue 14): the console starts
/bin/sh from the disk on two streams (proto/stream.h) at boot and again
after every exit, and the serial line is its terminal.

In sh: `echo hello | wc -c` counts 6 bytes through a pipe; `seq 1 10000 |
tail -n 3` moves 48,894 bytes through a pipe and prints the last three
numbers; a pipeline of three (`seq 1 500 | grep 7 | wc -l`) agrees with
Python's count; `echo abc > /f.txt` writes a file that `wc -c < /f.txt`
reads back, and `>>` appends; `false || echo ok` and `true && echo yes`
follow $?; `$?` after `false` is 1; quoting keeps spaces and `$HOME`;
`export` reaches a child (`sh -c 'echo $GREETING'`); Tab completes a
command from /bin and a path on fs0; a missing program and
a syntax error are one line each and the prompt comes back; a program that
page-faults prints its one line and $? is 139; `misbehave spin` (a loop
that reads nothing) is killed by the second Ctrl-C (0x03 on the line) and
`misbehave deaf`, which ignores the first, too; `cat`-like reading of the
terminal (`wc -l`) ends at the first Ctrl-C with 130; background jobs
(one of a single program, one a pipeline of two) show in `jobs`, `kill %2`
ends both programs of the pipeline (`ps`), `jobs` shows it killed and job
1 still running, `kill %1` ends that one too, and `kill %7` says `kill:
%7: no such job`; `exit 3` ends sh with code 3 and the console starts a new
one, in which a console command (`mem`, apps/concmd) runs. Then the stream
server is crashed under a running sh (`svc fi stream crash`): sh reads
end-of-stream and ends, the console starts another, and it works.
The files sh wrote are read on the host with mtools after the machine
stops.

Other volumes through the path library (build/share.img, ext2, at
/mnt/share): `wc -l` of a file there, `<` from it and `>` to /, `cd
/mnt/share` with a relative redirection, Tab completion of /mnt/sh and of
a name there, and errors naming the path and the reason (a redirection
onto the read-only volume, cd to a missing directory). UTF-8 typed on the
line: Tab completes /日本 to /日本語のファイル.txt (iso/mkdisk.py puts it
there), Backspace after a typed 語 removes the whole character, the
up arrow brings the Japanese line back, and Tab between 本a and 木b (whose
UTF-8 share two bytes) lists them instead of inserting half a character. touch: `touch -d` sets a time and
plain `touch` sets now (both read with mdir on the host), and on the
read-only volume it says so."""

import datetime
import os
import re
import shutil
import subprocess
import tempfile

from console_shell import ConsoleShell, SH_ENDED, SH_PROMPT, expect, lines_matching, sh_expect, sh_line
from harness import TestRun
from test_ext2 import debugfs_read

FIRST = 2048
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "iso", "disk")
SECTOR = 512
JAPANESE_NAME = "日本語のファイル.txt"  # iso/mkdisk.py
JAPANESE_BYTES = len("これは日本語のテキストです。\n".encode())
OLD_STAMP = "2021-03-04 05:06:08"


def pipes(run, sh, m):
    lines = sh_expect(run, sh, m, "echo hello | wc -c", r"^6$", "echo hello | wc -c prints 6")
    lines = sh_line(sh, m, "seq 1 10000 | tail -n 3", r"^10000$")
    got = [l for l in lines if l in ("9998", "9999", "10000")]
    run.check(got == ["9998", "9999", "10000"], "seq 1 10000 | tail -n 3: the last three", got)
    want = sum(1 for i in range(1, 501) if "7" in str(i))
    sh_expect(run, sh, m, "seq 1 500 | grep 7 | wc -l", rf"^{want}$",
              f"seq 1 500 | grep 7 | wc -l: {want}, a pipeline of three")
    lines = sh_line(sh, m, "seq 1 20 | grep '^1[0-9]$' | sort -r | head -n 2", r"^19$")
    got = [line for line in lines if re.fullmatch(r"\d+", line)]
    run.check(got[-2:] == ["19", "18"], "grep's ^ [] $, sort -r and head in one pipeline", got)


def completion(run, sh, m):
    sh_expect(run, sh, m, "seq 1 3 | hea\t-n 1", r"^1$",
              "Tab completes a command from /bin (hea -> head)")
    size = os.path.getsize(os.path.join(SAMPLES, "hello.txt"))
    sh_expect(run, sh, m, "wc -c /hello.t\t", rf"^{size}$",
              "Tab completes a path on fs0 (/hello.t -> /hello.txt)")


def files_and_status(run, sh, m):
    sh_expect(run, sh, m, "echo abc > /f.txt; wc -c < /f.txt", r"^4$",
              "echo abc > /f.txt; wc -c < /f.txt reads 4 bytes back")
    sh_expect(run, sh, m, "echo def >> /f.txt; wc -l /f.txt", r"^2 /f\.txt$|^2$",
              ">> appends a line")
    sh_line(sh, m, "seq 3 2> /err.txt | sort -rn > /sorted.txt; wc -l < /sorted.txt", r"^3$")
    sh_line(sh, m, "false || echo ok", r"^ok$")
    sh_line(sh, m, "true && echo yes", r"^yes$")
    lines = sh_line(sh, m, "false && echo no; echo status $?", r"^status 1$")
    run.check(not lines_matching(lines, r"^no$"), "&&, || and $? follow the exit codes")
    sh_expect(run, sh, m, "echo 'a  b' \"$HOME\"x \\$HOME", r"^a  b /x \$HOME$",
              "quotes keep spaces, $HOME expands in \"\" and not after \\")
    sh_expect(run, sh, m, "export GREETING='hi there'; sh -c 'echo $GREETING'", r"^hi there$",
              "export reaches a child sh")
    sh_line(sh, m, "nosuchprog; echo after $?", r"^after 127$")
    run.check(lines_matching(m.lines()[-6:], r"^sh: nosuchprog: command not found$"),
              "a missing program: one line, $? 127")
    sh_expect(run, sh, m, "echo a | | b", r"^sh: syntax error near '\|'$",
              "a syntax error is one line")


def other_volumes(run, sh, m, readme):
    """Redirections, cd and Tab completion on the ext2 volume at /mnt/share."""
    n = readme.count(b"\n")
    sh_expect(run, sh, m, "wc -l /mnt/share/README.md", rf"^{n}( /mnt/share/README\.md)?$",
              f"wc -l of a file on another volume: {n}")
    sh_expect(run, sh, m, "cat < /mnt/share/README.md > /readme.txt; wc -c < /readme.txt",
              rf"^{len(readme)}$", "< from /mnt/share and > to /: all the bytes")
    lines = sh_line(sh, m, "cd /mnt/share; pwd; wc -c < README.md", rf"^{len(readme)}$")
    run.check(lines_matching(lines, r"^/mnt/share$"),
              "cd /mnt/share, pwd, and a relative < there", "\n".join(lines[-4:]))
    lines = sh_expect(run, sh, m, "cd /; wc -c /mnt/sh\tREAD\t",
                      rf"^{len(readme)}( /mnt/share/README\.md)?$",
                      "Tab completes /mnt/sh to /mnt/share/ and READ to README.md")
    run.check(any("/mnt/share/README.md" in line for line in lines[:2]),
              "the completed line is echoed", "\n".join(lines))
    sh_line(sh, m, "echo x > /mnt/share/new.txt",
            r"^sh: /mnt/share/new\.txt: read-only filesystem$")
    sh_expect(run, sh, m, "cd /mnt/share/nope", r"^cd: /mnt/share/nope: no such file or directory$",
              "errors name the path and the reason (read-only volume, missing directory)")


def utf8_line(run, sh, m):
    """A Japanese name typed, completed, erased by character and recalled."""
    want = rf"^{JAPANESE_BYTES}( /{re.escape(JAPANESE_NAME)})?$"
    lines = sh_line(sh, m, "wc -c /日本\t", want)
    run.check(any(JAPANESE_NAME in line for line in lines[:2]),
              "Tab completes /日本 to the Japanese name (echoed in UTF-8)", "\n".join(lines))
    sh_expect(run, sh, m, f"wc -c /{JAPANESE_NAME}語\x7f", want,
              "Backspace after 語 removes the whole character (3 bytes)")
    sh_expect(run, sh, m, "\x1b[A", want, "the up arrow brings the Japanese line back")
    sh_line(sh, m, "mkdir /j; touch /j/本a /j/木b; echo made $?", r"^made 0$")
    lines = sh_line(sh, m, "wc -c /j/\t本a", r"^0( /j/本a)?$")
    run.check(lines_matching(lines, r"^本a  木b  $|^木b  本a  $"),
              "Tab on /j/ (本 and 木 share two bytes): the list, and no half character "
              "inserted", "\n".join(lines))


def touching(run, sh, m):
    sh_line(sh, m, f"touch -d '{OLD_STAMP}' /hello.txt /old.txt; echo touched $?",
            r"^touched 0$")
    sh_line(sh, m, f"touch -d '{OLD_STAMP}' /now.txt; touch /now.txt; echo touched $?",
            r"^touched 0$")
    sh_line(sh, m, "touch /mnt/share/README.md",
            r"^touch: /mnt/share/README\.md: read-only filesystem$")
    sh_expect(run, sh, m, "touch -d 2021 /x", r"^touch: 2021: not a time as YYYY-MM-DD HH:MM:SS$",
              "touch: -d, now, a read-only volume and a bad time")


def misbehaving(run, sh, m):
    lines = sh_line(sh, m, "misbehave fault; echo code $?", r"^code 139$")
    run.check(lines_matching(lines, r"^misbehave: page fault \(exception 14\); exit 139$"),
              "a page fault: one line, $? 139", "\n".join(lines[-5:]))
    for prog in ("spin", "deaf"):
        start = max(len(m.lines()) - 1, 0)  # the prompt's line, which the echo completes
        sh.send(f"misbehave {prog}\r")
        if prog == "deaf":
            m.wait_for(r"^misbehave: deaf to interrupts$", timeout=30, since=start)
        else:
            m.wait_for(rf"misbehave {prog}", timeout=30, since=start)
        sh.send("\x03")
        if prog == "deaf":
            m.wait_for(r"^misbehave: interrupt ignored$", timeout=30)
        sh.send("\x03")
        m.wait_for(SH_PROMPT, timeout=30)
        sh_expect(run, sh, m, "echo code $?", r"^code 130$",
                  f"misbehave {prog}: the second Ctrl-C kills it, $? 130")
    start = max(len(m.lines()) - 1, 0)
    sh.send("wc -l\r")
    m.wait_for(r"wc -l", timeout=30, since=start)
    sh.send("one\rtwo\r\x03")
    m.wait_for(SH_PROMPT, timeout=30)
    sh_expect(run, sh, m, "echo code $?", r"^code 130$",
              "a program reading the terminal ends at the first Ctrl-C")


SPINNING = "ps | grep 'running  misbehave' | wc -l"  # the misbehave programs alive


def jobs(run, sh, m):
    sh_line(sh, m, "misbehave spin &", r"^\[1\] misbehave$")
    sh_line(sh, m, "misbehave spin | misbehave spin &", r"^\[2\] misbehave \| \.\.\.$")
    lines = sh_line(sh, m, "jobs; echo listed", r"^listed$")
    run.check(lines_matching(lines, r"^\[1\] Running misbehave$")
              and lines_matching(lines, r"^\[2\] Running misbehave \| \.\.\.$"),
              "background jobs run and show in jobs", "\n".join(lines[-4:]))
    sh_expect(run, sh, m, SPINNING, r"^3$", "ps: three misbehave programs run")
    sh_expect(run, sh, m, "kill %2; echo kill $?", r"^kill 0$", "kill %2 succeeds")
    lines = sh_line(sh, m, "jobs; echo listed", r"^listed$")
    run.check(lines_matching(lines, r"^\[2\] Killed misbehave \| \.\.\.$")
              and lines_matching(lines, r"^\[1\] Running misbehave$")
              and not lines_matching(lines, r"^\[2\] Running"),
              "after kill %2: job 2 killed, job 1 still running", "\n".join(lines[-5:]))
    sh_expect(run, sh, m, SPINNING, r"^1$", "kill %2 ended both programs of its pipeline")
    sh_line(sh, m, "kill %1; echo kill $?", r"^kill 0$")
    lines = sh_line(sh, m, "jobs; echo listed", r"^listed$")
    run.check(lines_matching(lines, r"^\[1\] Killed misbehave$")
              and not lines_matching(lines, r"Running"),
              "after kill %1: jobs shows it killed, none running", "\n".join(lines[-4:]))
    sh_expect(run, sh, m, SPINNING, r"^0$", "no misbehave program left")
    lines = sh_line(sh, m, "kill %7; echo status $?", r"^status 1$")
    run.check(lines_matching(lines, r"^kill: %7: no such job$"),
              "kill %7: no such job, $? 1", "\n".join(lines[-3:]))
    lines = sh_line(sh, m, "kill %1 x; echo status $?", r"^status 1$")
    run.check(lines_matching(lines, r"^kill: %1: no such job$")
              and lines_matching(lines, r"^kill: 'x' is not a pid \(a number from ps\)$"),
              "a killed job is gone, and a word that is no pid is refused (the builtin's "
              "shared pid path)", "\n".join(lines[-4:]))


def stream_server_crash(run, sh, m):
    """The stream server dies under a running sh: sh reads end-of-stream and
    ends, and the console starts a new sh on the restarted server's streams."""
    sh.send("svc fi stream crash\r")
    m.wait_for(r"svc: restarted stream \(pid \d+, restart 1\)", timeout=30)
    ended = m.seen(SH_ENDED.format(r"-?\d+"), timeout=30)
    run.check(ended is not None, "the stream server crashed: sh ended (end-of-stream), no hang")
    m.wait_for(SH_PROMPT, timeout=30)
    sh.wait_quiet()
    sh_expect(run, sh, m, "echo again | wc -c", r"^6$",
              "a new sh works on the restarted stream server")
    sh.send("exit\r")
    m.wait_for(SH_ENDED.format(0), timeout=30)


def host_files(run, image, tmp):
    part = os.path.join(tmp, "part.img")
    with open(image, "rb") as f, open(part, "wb") as out:
        f.seek(FIRST * SECTOR)
        shutil.copyfileobj(f, out)
    got = subprocess.run(["mtype", "-i", part, "::/f.txt"], capture_output=True)
    run.check(got.stdout == b"abc\ndef\n", "on the host, /f.txt holds abc and def", got.stdout)
    got = subprocess.run(["mtype", "-i", part, "::/sorted.txt"], capture_output=True)
    run.check(got.stdout == b"3\n2\n1\n", "on the host, /sorted.txt is seq 3 sorted -rn",
              got.stdout)
    listing = subprocess.run(["mdir", "-i", part, "::/"], capture_output=True,
                             text=True).stdout
    old = "2021-03-04   5:06"
    for name in ("hello", "old"):
        line = next((l for l in listing.splitlines() if l.startswith(name + " ")), "")
        run.check(old in line, f"on the host, touch -d gave /{name}.txt {OLD_STAMP}", line)
    line = next((l for l in listing.splitlines() if l.startswith("now ")), "")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    days = {str(today + datetime.timedelta(days=d)) for d in (-1, 0, 1)}
    run.check(any(d in line for d in days) and "2021" not in line,
              "on the host, plain touch gave /now.txt today's date (the RTC's)", line)


def main(run):
    share = os.path.join(os.path.dirname(os.path.abspath(run.iso)), "..", "share.img")
    with tempfile.TemporaryDirectory() as tmp:
        image, extra = run.default_disk(tmp)
        img = os.path.join(tmp, "share.img")
        shutil.copy(share, img)
        readme = debugfs_read(img, "/README.md", tmp)
        extra += ["-drive", f"file={img},format=raw,if=none,id=share",
                  "-device", "ide-hd,drive=share,bus=ide.5"]
        with run.machine(extra=extra, timeout=60) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", since=0, timeout=30)
            m.wait_for(r"ext2: disk\d: mounted", since=0, timeout=30)
            sh.wait_quiet()
            pipes(run, sh, m)
            completion(run, sh, m)
            files_and_status(run, sh, m)
            other_volumes(run, sh, m, readme)
            utf8_line(run, sh, m)
            touching(run, sh, m)
            misbehaving(run, sh, m)
            jobs(run, sh, m)
            sh.send("exit 3\r")
            run.check(m.seen(SH_ENDED.format(3), timeout=30) is not None,
                      "exit 3: the console says sh ended with code 3")
            m.wait_for(SH_PROMPT, timeout=30)
            sh.wait_quiet()
            expect(run, sh, "mem", r"^mem: ", "after exit: a new sh, and the console's mem in it")
            stream_server_crash(run, sh, m)
        host_files(run, image, tmp)


if __name__ == "__main__":
    TestRun.main("qemu-sh", main)
