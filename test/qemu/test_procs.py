#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ps, kill and date (issue 14), and the console's pipelines, on the real
system: the loader's process table (LOADER_LIST, LOADER_KILL), the rtc
server's clock (RTC_NOW) and the programs over them.

Everything is typed into /bin/sh, which the serial console runs. With fs0
stopped (`svc stop fat`), `ps` still lists the services (ps is a boot
module, which sh asks the loader for when /bin does not answer) and `kill
PID` of a service points to `svc stop`. Then, fs0 back: `date` agrees with the host's
UTC clock (QEMU's RTC starts at the host's time) within a minute; `ps |
grep sh` finds the shell as a running program; `ps` lists the services
rtc, fat and loader and ps itself; `misbehave spin &` shows in `ps`, `kill
PID` ends it (exit 0), after which ps no longer lists it and a second kill
says there is no such program; a service's pid is refused with the
service's name; a word that is no pid is refused. `ls /bin | wc -l`
matches the number of programs the host sees in /bin (mtools), and `cat
/hello.txt | grep disk > /out.txt; cat /out.txt` prints the lines Python
finds; /out.txt is read on the host afterwards. The console's commands
run as programs in pipes: `mem`, `disks | grep disk0p1 | wc -l`,
`term`'s usage with exit code 1, and `lspci | grep xHCI`, which the
console runs for the program (it holds the PCI configuration space) with
its output to the program's stdout, and `lspci -v`'s usage. With the rtc
service stopped, a new fat instance writes /nortc.txt with the epoch for
its time (read on the host) instead of waiting for rtc."""

import datetime
import os
import re
import shutil
import subprocess
import tempfile

from console_shell import ConsoleShell, SH_ENDED, SH_PROMPT, expect, lines_matching, sh_expect, sh_line
from harness import TestRun

FIRST = 2048
SECTOR = 512
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "iso", "disk")
ROW = r"^ *(\d+)  {kind} +{state} +{name}$"
DATE = r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC$"


def pid_of(lines, kind, name):
    got = [re.search(ROW.format(kind=kind, state=r"\S+", name=name), l) for l in lines]
    got = [g for g in got if g]
    return int(got[0].group(1)) if got else None


def partition(image, tmp):
    part = os.path.join(tmp, "part.img")
    with open(image, "rb") as f, open(part, "wb") as out:
        f.seek(FIRST * SECTOR)
        shutil.copyfileobj(f, out)
    return part


def without_fs0(run, sh, m):
    """ps and kill are boot modules: sh, finding no /bin, asks the loader for
    them by name, so they work while the disk's filesystem is stopped."""
    expect(run, sh, "svc stop fat", r"^svc: stop fat: done$", "svc stop fat")
    # `&& svc list`: svc's table (another boot module) only if ps exited with 0
    lines = sh.command("ps && svc list",
                       ROW.format(kind="service", state="running", name="loader"),
                       last=r"^console +\d+ +running ")
    run.check(bool(lines_matching(lines, r"^  PID  KIND +STATE +NAME$")),
              "ps without fs0: the header", "\n".join(lines[-6:]))
    run.check(not lines_matching(lines, ROW.format(kind="service", state="running", name="fat")),
              "ps without fs0: fat is not running")
    loader = pid_of(lines, "service", "loader")
    expect(run, sh, f"kill {loader}",
           rf"^kill: {loader} is the service loader: use svc stop loader$",
           "kill of the loader's pid is refused without fs0, pointing to svc stop")
    start = len(m.lines())
    sh.command("svc start fat", r"^svc: start fat: done$")
    m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", timeout=60, since=start)
    sh.wait_quiet()


def date(run, sh, m):
    lines = sh_line(sh, m, "date", DATE)
    host = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    got = [re.search(DATE, l) for l in lines]
    got = [g for g in got if g][0]
    guest = datetime.datetime(*(int(x) for x in got.groups()))
    skew = abs((host - guest).total_seconds())
    run.check(skew < 60, f"date: {got.group(0)} is the host's UTC time ({skew:.0f} s apart)")


def ps(run, sh, m):
    sh_expect(run, sh, m, "ps | grep sh", ROW.format(kind="program", state="running", name="sh"),
              "ps | grep sh: the shell is a running program")
    lines = sh_line(sh, m, "ps", ROW.format(kind="program", state="running", name="ps"))
    for name in ("loader", "fat", "rtc"):
        run.check(pid_of(lines, "service", name) is not None, f"ps lists the service {name}",
                  "\n".join(lines[-8:]))
    return pid_of(lines, "service", "fat")


def kill(run, sh, m, fat):
    sh_line(sh, m, "misbehave spin &", r"^\[1\] misbehave$")
    lines = sh_line(sh, m, "ps | grep misbehave",
                    ROW.format(kind="program", state="running", name="misbehave"))
    pid = pid_of(lines, "program", "misbehave")
    sh_expect(run, sh, m, f"kill {pid}; echo killed $?", r"^killed 0$",
              f"kill {pid} ends the looping program")
    sh_expect(run, sh, m, "ps | grep misbehave | wc -l", r"^0$", "ps no longer lists it")
    sh_line(sh, m, f"kill {pid}; echo again $?", r"^again 1$")
    run.check(lines_matching(m.lines()[-6:], rf"^kill: no program with pid {pid}$"),
              "a second kill: no such program")
    sh_expect(run, sh, m, f"kill {fat}", rf"^kill: {fat} is the service fat: use svc stop fat$",
              "kill of a service's pid is refused, pointing to svc stop")
    sh_expect(run, sh, m, "kill abc", r"^kill: 'abc' is not a pid",
              "kill of a word that is no pid is refused")


def pipelines(run, sh, m, part):
    got = subprocess.run(["mdir", "-b", "-i", part, "::/bin"], capture_output=True, text=True)
    count = len([l for l in got.stdout.splitlines() if l.strip()])
    sh_expect(run, sh, m, "ls /bin | wc -l", rf"^{count}$",
              f"ls /bin | wc -l: {count}, as the host counts /bin")
    with open(os.path.join(SAMPLES, "hello.txt")) as f:
        want = [l.rstrip("\n") for l in f if "disk" in l]
    lines = sh_line(sh, m, "cat /hello.txt | grep disk > /out.txt; cat /out.txt",
                    re.escape(want[-1]))
    run.check(all(w in lines for w in want), "cat | grep > /out.txt; cat /out.txt", lines[-5:])


def without_rtc(run, sh, m):
    """fat stamps files with the rtc service's time: with rtc stopped, a new
    fat instance (which has no reading to reuse) still writes a file, with
    the epoch for its time, instead of waiting for rtc; then both run again."""
    sh_expect(run, sh, m, "svc stop rtc", r"^svc: stop rtc: done$", "svc stop rtc")
    start = len(m.lines())
    sh_line(sh, m, "svc stop fat; svc start fat", r"^svc: start fat: done$")
    m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", timeout=60, since=start)
    sh_expect(run, sh, m, "echo no rtc > /nortc.txt; cat /nortc.txt", r"^no rtc$",
              "without rtc, fat writes a file (no wait for the time of day)")
    sh_expect(run, sh, m, "sync; svc start rtc", r"^svc: start rtc: done$", "svc start rtc")


def console_commands(run, sh, m):
    """The console's commands as programs (apps/concmd), in pipes."""
    sh_expect(run, sh, m, "mem", r"^mem: \d+ of \d+ frames free", "mem runs as a program under sh")
    lines = sh_expect(run, sh, m, "disks | grep disk0p1 | wc -l", r"^1$",
                      "disks | grep disk0p1 | wc -l: the console's disks in a pipe")
    sh_line(sh, m, "term nosuch; echo term $?", r"^term 1$")
    run.check(lines_matching(m.lines()[-6:], r"^usage: term "), "term's usage, exit 1")
    pci = r"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "
    sh_expect(run, sh, m, "lspci | grep xHCI", pci + r"1b36:000d USB controller \(xHCI\)$",
              "lspci in sh: the console runs it (console protocol), its lines go down a pipe")
    sh_expect(run, sh, m, "lspci | grep -c 'Host bridge'", r"^1$",
              "lspci | grep -c 'Host bridge': one host bridge")
    sh_line(sh, m, "lspci -v; echo lspci $?", r"^lspci \d+$")
    run.check(lines_matching(m.lines()[-6:], r"^usage: lspci") and
              not lines_matching(m.lines()[-6:], r"^lspci 0$"), "lspci -v: its usage, exit not 0")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        image, extra = run.default_disk(tmp)
        part = partition(image, tmp)
        with run.machine(extra=extra, timeout=90) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            m.wait_for(r"fat: disk0p1: FAT32, .* serving fs0", since=0, timeout=30)
            sh.wait_quiet()
            without_fs0(run, sh, m)
            date(run, sh, m)
            fat = ps(run, sh, m)
            kill(run, sh, m, fat)
            pipelines(run, sh, m, part)
            console_commands(run, sh, m)
            without_rtc(run, sh, m)
            sh.send("exit\r")
            m.wait_for(SH_ENDED.format(0), timeout=30)
            m.wait_for(SH_PROMPT, timeout=30)
        got = subprocess.run(["mtype", "-i", partition(image, tmp), "::/out.txt"],
                             capture_output=True, text=True)
        with open(os.path.join(SAMPLES, "hello.txt")) as f:
            want = "".join(l for l in f if "disk" in l)
        run.check(got.stdout == want, "on the host, /out.txt holds the lines with 'disk'",
                  got.stdout)
        got = subprocess.run(["mdir", "-i", partition(image, tmp), "::/nortc.txt"],
                             capture_output=True, text=True)
        run.check("2026-01-01" in got.stdout, "on the host, /nortc.txt has the epoch for its time",
                  got.stdout.strip().splitlines()[-3:] if got.stdout.strip() else got.stderr)


if __name__ == "__main__":
    TestRun.main("qemu-procs", main)
