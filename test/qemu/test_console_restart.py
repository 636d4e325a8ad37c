#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The serial console comes back: sh on it crashes it (`svc fi console
crash`, with more typing under way as it dies), hangs it (`svc fi console
hang`: the heartbeat finds it) and restarts it (`svc restart console`).
Each time the supervisor starts a new instance, which starts a fresh sh
(the old one read end-of-stream and ended), and the shell works again;
`svc list` counts the restarts; the kernel never panics. Reports how long a
crash takes to give a new sh's prompt (sh read from the disk again), and
first how long `echo` in sh takes to answer (from the Enter leaving the
host to the answer line arriving; the median of several tries, under TCG:
/bin/echo is read from the disk and started each time)."""

import statistics
import tempfile

from console_shell import ConsoleShell, BANNER, expect, lines_matching
from harness import EXIT_SUCCESS, TestRun

CONSOLE_ROW = r"^console +\d+ +running +{} "
ECHO_LATENCY_LIMIT_MS = 100
ECHO_TRIES = 7
# The supervisor's lines, unanchored: they may follow a prompt on its line.
DOWN = {
    "crash": r"svc: console \(pid \d+\) faulted: .*; injected: restart now$",
    "hang": r"svc: console \(pid \d+\) missed its heartbeat; injected: restart now$",
}


def check_echo_latency(run, sh):
    times = []
    for i in range(ECHO_TRIES):
        _, seconds = sh.type_line(f"echo ping{i}", rf"^ping{i}$")
        times.append(seconds * 1000)
        sh.wait_prompt()
    median = statistics.median(times)
    run.note("echo latency ms: " + ", ".join(f"{t:.1f}" for t in times))
    run.figure("echo_latency_ms", round(median, 1))
    run.check(median < ECHO_LATENCY_LIMIT_MS,
              f"echo answers in under {ECHO_LATENCY_LIMIT_MS} ms (median)", f"{median:.1f} ms")


def works_again(run, sh, restarts, how):
    """A new instance: banner, sh's prompt, a working echo, the restart counted."""
    sh.wait_ready(timeout=20)
    banners = len(lines_matching(sh.m.lines(), BANNER))
    run.check(banners == restarts + 1, f"after {how}: a new instance printed its banner and prompt",
              f"{banners} banners for {restarts} restart(s)")
    sh.send("\x15")  # whatever was typed ahead reaches the new instance: drop it
    expect(run, sh, f"echo back {restarts}", rf"^back {restarts}$", f"after {how}: echo works")
    expect(run, sh, "svc list", CONSOLE_ROW.format(restarts),
           f"after {how}: ps counts {restarts} restart(s)")


def crash_while_typing(run, sh):
    sent = sh.send("svc fi console crash\r")
    sh.send("echo lo")  # typing on while the console dies
    sh.m.wait_for(DOWN["crash"])
    works_again(run, sh, 1, "a crash")
    run.figure("console_crash_to_prompt_ms", round((sh.ready_time - sent) * 1000))


def hang(run, sh):
    start = len(sh.m.lines())
    sh.command("svc fi console hang", r"^svc: fi console hang: injected$")
    expect(run, sh, "echo still here", r"^still here$",  # sh's threads are not the server's
           "sh answers while the console's server thread hangs")
    # From before the prompts: the supervisor's line may share one with a prompt.
    sh.m.wait_for(DOWN["hang"], timeout=10, since=start)
    works_again(run, sh, 2, "a hang")


def restart(run, sh):
    sh.send("svc restart console\r")
    sh.m.wait_for(r"svc: restarted console \(pid \d+, restart 3\)$")
    works_again(run, sh, 3, "svc restart")


def main(run):
    with tempfile.TemporaryDirectory() as tmp:
        _, extra = run.default_disk(tmp)
        with run.machine(extra=extra, timeout=60) as m:
            m.start()
            sh = ConsoleShell(m)
            sh.wait_ready()
            sh.command("echo before", r"^before$")
            check_echo_latency(run, sh)
            crash_while_typing(run, sh)
            hang(run, sh)
            restart(run, sh)
            sh.send("shutdown\r")
            status = m.wait_exit(20)
            run.check(status == EXIT_SUCCESS, f"shutdown: QEMU exit status {EXIT_SUCCESS}",
                      f"got {status}")
            bad = [line for line in m.lines() if "EXCEPTION" in line or "PANIC" in line]
            run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")


if __name__ == "__main__":
    TestRun.main("qemu-console-restart", main)
