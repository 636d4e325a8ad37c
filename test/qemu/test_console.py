#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The serial console's rescue shell (servers/console): booted without a
disk, the console cannot start /bin/sh, says so in one line and gives the
line to its own shell core. The test types every command of that shell
through the serial line, checking each answer: help, echo, mem, lspci, ps,
svc, run (exit code and Ctrl-C), bench, errors and usage lines, line
editing (backspace, Ctrl-U) and history (up arrow), and ends with
`shutdown`, which must stop QEMU with the success status. A second boot,
as a PC without ECAM, checks that lspci falls back to the configuration
ports. (sh on the console, with a disk: qemu-console-restart, qemu-sh,
qemu-procs.)"""

import time

from console_shell import ConsoleShell, lines_matching, expect
from harness import EXIT_SUCCESS, TestRun

SLEEP_BEFORE_CTRL_C_S = 0.5
MEM_SIZE_MIB = 256
COMMANDS = ["echo", "mem", "ps", "svc", "lspci", "disks", "blk", "ls", "cat", "df", "win", "run", "bench", "shutdown", "help"]
PCI_LINE = r"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "
SERVICE_ROW = r"^{} +(\d+) +running "


def answers(run, sh, line, pattern, what, **wait):
    return expect(run, sh, line, pattern, what, **wait)


def check_help(run, sh):
    lines = sh.command("help", r"^commands:$", last=r"^  help ")
    for name in COMMANDS:
        run.check(lines_matching(lines, rf"^  {name} +\S"), f"help lists {name}")


def check_mem(run, sh):
    found = sh.type_line("mem", r"^mem: (\d+) of (\d+) frames free \((\d+) MiB of (\d+) MiB")[0]
    sh.wait_prompt()
    free, total, free_mib, total_mib = map(int, found.groups())
    run.check(0 < free <= total, "mem: free frames within the total", found.group(0))
    run.check(MEM_SIZE_MIB * 3 // 4 <= total_mib <= MEM_SIZE_MIB,
              f"mem: total consistent with -m {MEM_SIZE_MIB}M", f"{total_mib} MiB")
    run.check(free_mib == free * 4096 >> 20 and total_mib == total * 4096 >> 20,
              "mem: MiB match the frame counts", found.group(0))


def check_lspci(run, sh):
    lines = sh.command("lspci", PCI_LINE + r"8086:29c0 Host bridge$")
    for ids, name in (("1b36:000d", r"USB controller \(xHCI\)"),
                      ("8086:2922", r"SATA controller \(AHCI\)")):
        run.check(lines_matching(lines, PCI_LINE + f"{ids} {name}$"), f"lspci lists {ids}")


def check_lspci_ports(run):
    """On a PC without ECAM (i440fx: no MCFG table) lspci reads the ports."""
    with run.machine(mem=f"{MEM_SIZE_MIB}M", extra=["-machine", "pc"]) as m:
        m.start()
        sh = ConsoleShell(m, rescue=True)
        sh.wait_ready()
        lines = sh.command("lspci", PCI_LINE + r"8086:1237 Host bridge$")
        run.check(lines_matching(lines, PCI_LINE + r"1b36:000d USB controller \(xHCI\)$"),
                  "lspci without ECAM (ports 0xCF8/0xCFC) lists the xHCI controller")


def check_services(run, sh):
    for command in ("ps", "svc list"):
        lines = sh.command(command, r"^name +pid +state", last=SERVICE_ROW.format("console"))
        for name in ("loader", "echo", "console"):
            run.check(lines_matching(lines, SERVICE_ROW.format(name)),
                      f"{command} lists {name} running")


def check_run(run, sh):
    answers(run, sh, "run utest exit 2a", r"^run: utest exited with code 42$",
            "run prints the program's exit code")
    start = len(sh.m.lines())
    sh.send("run utest sleep\r")
    time.sleep(SLEEP_BEFORE_CTRL_C_S)  # the shell reads in order: the job has begun
    sh.send("\x03")
    sh.m.wait_for(r"^run: utest killed \(Ctrl-C\)$")
    sh.wait_prompt()
    run.check(lines_matching(sh.m.lines()[start:], r"^run: utest killed \(Ctrl-C\)$"),
              "Ctrl-C kills the program run started")
    lines = sh.command("bench", r"^BENCH call_reply_xas_0w \d+ ticks",
                       last=r"^bench: ipcbench exited with code 0$", timeout=40)
    run.check(len(lines_matching(lines, r"^BENCH \S+ \d+ ticks")) >= 8,
              "bench prints ipcbench's BENCH lines")


def check_errors(run, sh):
    cases = [
        ("frobnicate", r"^unknown command 'frobnicate' \(try help\)$"),
        ("mem now", r"^usage: mem"),
        ("lspci -v", r"^usage: lspci"),
        ("run", r"^usage: run <program>"),
        ("run nosuch", r"^run: no program called 'nosuch'$"),
        ("svc", r"^usage: svc list"),
        ("svc fi echo", r"^usage: svc list"),
        ("svc stop nosuch", r"^svc: no service called 'nosuch'$"),
        ("svc fi echo melt", r"^svc: unknown fault 'melt'"),
        ("help nosuch", r"^help: no command 'nosuch'$"),
        ('echo "open', r"^syntax error: unterminated quote$"),
    ]
    for line, answer in cases:
        answers(run, sh, line, answer, f"'{line}' answers /{answer}/")


def check_editing(run, sh):
    answers(run, sh, "echo abcd\x7f\x7fXY", r"^abXY$", "backspace erases before the cursor")
    answers(run, sh, "nonsense words\x15echo clean", r"^clean$", "Ctrl-U kills the line")
    lines = sh.command("\x1b[A", r"^clean$")
    run.check(lines_matching(lines, r"^\$ echo clean$"), "up arrow recalls the last command")


def main(run):
    with run.machine(mem=f"{MEM_SIZE_MIB}M", timeout=60) as m:
        m.start()
        sh = ConsoleShell(m, rescue=True)
        sh.wait_ready()
        answers(run, sh, "echo hello", r"^hello$", "echo hello answers hello")
        check_help(run, sh)
        check_mem(run, sh)
        check_lspci(run, sh)
        check_services(run, sh)
        check_errors(run, sh)
        check_editing(run, sh)
        check_run(run, sh)
        sh.send("shutdown\r")
        m.wait_for(r"^shutdown: stopping the system$")
        status = m.wait_exit(20)
        run.check(status == EXIT_SUCCESS, f"shutdown: QEMU exit status {EXIT_SUCCESS}",
                  f"got {status}")
        bad = [line for line in m.lines() if "EXCEPTION" in line or "PANIC" in line]
        run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")
    check_lspci_ports(run)


if __name__ == "__main__":
    TestRun.main("qemu-console", main)
