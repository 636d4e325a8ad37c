#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shell program on the serial line (issue 14): the console's `sh`
starts /bin/sh from the disk on two streams (proto/stream.h) and hands the
line to it until it exits.

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
terminal (`wc -l`) ends at the first Ctrl-C with 130; a background job
shows in `jobs`; `exit` gives the console's prompt back. Then the stream
server is crashed under a running sh (`svc fi stream crash`): sh reads
end-of-stream and ends, the console's prompt returns, and a new sh works.
The files sh wrote are read on the host with mtools after the machine
stops."""

import os
import shutil
import subprocess
import tempfile

from console_shell import ConsoleShell, lines_matching
from harness import TestRun

SH_PROMPT = r"^sh\$ "
FIRST = 2048
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "iso", "disk")
SECTOR = 512


def sh_line(sh, m, line, expect, timeout=30):
    """Type a line into sh; wait for `expect` and sh's next prompt; the lines between."""
    start = len(m.lines())
    sh.send(line + "\r")
    m.wait_for(expect, timeout=timeout)
    m.wait_for(SH_PROMPT, timeout=timeout)
    return m.lines()[start:]


def pipes(run, sh, m):
    lines = sh_line(sh, m, "echo hello | wc -c", r"^6$")
    run.check(True, "echo hello | wc -c prints 6")
    lines = sh_line(sh, m, "seq 1 10000 | tail -n 3", r"^10000$")
    got = [l for l in lines if l in ("9998", "9999", "10000")]
    run.check(got == ["9998", "9999", "10000"], "seq 1 10000 | tail -n 3: the last three", got)
    want = sum(1 for i in range(1, 501) if "7" in str(i))
    sh_line(sh, m, "seq 1 500 | grep 7 | wc -l", rf"^{want}$")
    run.check(True, f"seq 1 500 | grep 7 | wc -l: {want}, a pipeline of three")
    sh_line(sh, m, "seq 1 20 | grep '^1[0-9]$' | sort -r | head -n 2", r"^19$")
    m.wait_for(r"^18$", since=len(m.lines()) - 4)
    run.check(True, "grep's ^ [] $, sort -r and head in one pipeline")


def completion(run, sh, m):
    sh_line(sh, m, "seq 1 3 | hea\t-n 1", r"^1$")
    run.check(True, "Tab completes a command from /bin (hea -> head)")
    size = os.path.getsize(os.path.join(SAMPLES, "hello.txt"))
    sh_line(sh, m, "wc -c /hello.t\t", rf"^{size}$")
    run.check(True, "Tab completes a path on fs0 (/hello.t -> /hello.txt)")


def files_and_status(run, sh, m):
    sh_line(sh, m, "echo abc > /f.txt; wc -c < /f.txt", r"^4$")
    run.check(True, "echo abc > /f.txt; wc -c < /f.txt reads 4 bytes back")
    sh_line(sh, m, "echo def >> /f.txt; wc -l /f.txt", r"^2 /f\.txt$|^2$")
    run.check(True, ">> appends a line")
    sh_line(sh, m, "seq 3 2> /err.txt | sort -rn > /sorted.txt; wc -l < /sorted.txt", r"^3$")
    sh_line(sh, m, "false || echo ok", r"^ok$")
    sh_line(sh, m, "true && echo yes", r"^yes$")
    lines = sh_line(sh, m, "false && echo no; echo status $?", r"^status 1$")
    run.check(not lines_matching(lines, r"^no$"), "&&, || and $? follow the exit codes")
    sh_line(sh, m, "echo 'a  b' \"$HOME\"x \\$HOME", r"^a  b /x \$HOME$")
    run.check(True, "quotes keep spaces, $HOME expands in \"\" and not after \\")
    sh_line(sh, m, "export GREETING='hi there'; sh -c 'echo $GREETING'", r"^hi there$")
    run.check(True, "export reaches a child sh")
    sh_line(sh, m, "nosuchprog; echo after $?", r"^after 127$")
    run.check(lines_matching(m.lines()[-6:], r"^sh: nosuchprog: command not found$"),
              "a missing program: one line, $? 127")
    sh_line(sh, m, "echo a | | b", r"^sh: syntax error near '\|'$")
    run.check(True, "a syntax error is one line")


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
        sh_line(sh, m, "echo code $?", r"^code 130$")
        run.check(True, f"misbehave {prog}: the second Ctrl-C kills it, $? 130")
    start = max(len(m.lines()) - 1, 0)
    sh.send("wc -l\r")
    m.wait_for(r"wc -l", timeout=30, since=start)
    sh.send("one\rtwo\r\x03")
    m.wait_for(SH_PROMPT, timeout=30)
    sh_line(sh, m, "echo code $?", r"^code 130$")
    run.check(True, "a program reading the terminal ends at the first Ctrl-C")


def jobs(run, sh, m):
    sh_line(sh, m, "misbehave spin &", r"^\[1\] misbehave$")
    sh_line(sh, m, "jobs", r"^\[1\] Running misbehave$")
    run.check(True, "a background job runs and shows in jobs")


def stream_server_crash(run, sh, m):
    """The stream server dies under a running sh: sh reads end-of-stream and
    ends, the console's prompt returns, and a new sh runs on the restarted
    server's streams."""
    sh.send("sh\r")
    m.wait_for(SH_PROMPT, timeout=30)
    sh.send("svc fi stream crash\r")
    m.wait_for(r"svc: restarted stream \(pid \d+, restart 1\)", timeout=30)
    m.wait_for(r"^sh: sh exited with code \d+$", timeout=30)
    m.wait_for(r"^\$ ", timeout=30)
    run.check(True, "the stream server crashed: sh ended (end-of-stream), no hang")
    sh.send("sh\r")
    m.wait_for(SH_PROMPT, timeout=30)
    sh_line(sh, m, "echo again | wc -c", r"^6$")
    sh.send("exit\r")
    m.wait_for(r"^sh: sh exited with code 0$", timeout=30)
    run.check(True, "a new sh works on the restarted stream server")


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


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        image, extra = run.default_disk(tmp)
        with run.machine(extra=extra, timeout=60) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", since=0, timeout=30)
            sh.send("sh\r")
            m.wait_for(SH_PROMPT, timeout=30)
            sh.wait_quiet()
            pipes(run, sh, m)
            completion(run, sh, m)
            files_and_status(run, sh, m)
            misbehaving(run, sh, m)
            jobs(run, sh, m)
            sh.send("exit 3\r")
            m.wait_for(r"^sh: sh exited with code 3$", timeout=30)
            m.wait_for(r"^\$ ", timeout=30)
            sh.command("mem", r"^mem: ")
            run.check(True, "exit: the console's prompt and commands are back")
            stream_server_crash(run, sh, m)
        host_files(run, image, tmp)


if __name__ == "__main__":
    TestRun.main("qemu-sh", main)
