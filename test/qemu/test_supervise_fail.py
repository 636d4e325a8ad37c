#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The supervisor's protocols from a client (test/guest/stest, group basic),
failures it contains (group failure), and the svc program. A server that crashes at start-up (crashy) must be given up with
exactly one clear log line after its back-off (10, 20, 40, 80 ms) while the
system keeps running; a leaking server (svc fi echo leak) must be stopped
by its memory quota and restarted while the counter server keeps answering.
Then `svc` is run with good and bad commands: each gives its message."""

import re

from guest_tests import finish
from harness import EXIT_FAILURE, TestRun

GUEST_TIME = 4  # -icount shift=4: heartbeats and back-off judged in guest time
RUN_TIMEOUT_S = 60
STEST_TESTS = 21  # registered in stest; run=stest:basic:failure runs nine

GIVE_UP = re.compile(r"^svc: giving up on crashy after 5 failures in (\d+) ms$")
BACKOFF = re.compile(r"^svc: crashy \(pid \d+\) faulted: .*; restart in (\d+) ms$")
LEAK = re.compile(r"^fi: echo leak stopped by its quota after (\d+) KiB$")

# run=svc:... commands and the line each must print.
SVC_COMMANDS = [
    ("svc:list", r"^loader\s+\d+\s+running\s+0\s+\S+\s+\d+/4096\s+stateless$"),
    ("svc:fi:echo:crash", r"^svc: fi echo crash: injected$"),
    ("svc:stop:nosuch", r"^svc: no service called 'nosuch'$"),
    ("svc:fi:echo:explode", r"^svc: unknown fault 'explode' \(crash, hang, leak, corrupt or flip\)$"),
    ("svc:frobnicate:echo", r"^svc: unknown command 'frobnicate'$"),
    ("svc:stop:counter", r"^svc: stop counter: done$"),
    ("svc:fi:counter:hang", r"^svc: counter is not running$"),
    ("svc:start:counter", r"^svc: start counter: done$"),
    ("svc:restart:echo", r"^svc: restart echo: done$"),
    ("svc:list", r"^echo\s+\d+\s+running\s+[12]\s+\S+\s+\d+/512\s+stateless$"),
]


def check_failures(run, lines):
    give_ups = [m for m in map(GIVE_UP.search, lines) if m]
    run.check(len(give_ups) == 1, "exactly one 'giving up on crashy' line", f"{len(give_ups)}")
    if give_ups:
        run.figure("supervise_giveup_ms", int(give_ups[0].group(1)))
    delays = [int(m.group(1)) for m in map(BACKOFF.search, lines) if m]
    run.check(delays == [10, 20, 40, 80], "back-off 10, 20, 40, 80 ms", f"{delays}")
    leak = [m for m in map(LEAK.search, lines) if m]
    run.check(len(leak) == 1, "the quota stopped echo's leak", f"{len(leak)} lines")
    if leak:
        run.figure("supervise_leak_kib", int(leak[0].group(1)))


def check_svc(run):
    args = "run=" + ",".join(cmd for cmd, _ in SVC_COMMANDS)
    with run.machine(args=args, icount=GUEST_TIME, timeout=RUN_TIMEOUT_S) as m:
        m.start()
        for cmd, pattern in SVC_COMMANDS:
            run.check(m.seen(pattern, timeout=RUN_TIMEOUT_S) is not None, f"{cmd}: {pattern}")
        status = m.wait_exit(30)  # some commands fail on purpose: init exits 1
        run.check(status == EXIT_FAILURE, f"QEMU exit status {EXIT_FAILURE}", f"got {status}")
        bad = [line for line in m.lines() if "EXCEPTION" in line or "PANIC" in line]
        run.check(not bad, "no kernel EXCEPTION or PANIC", bad[0] if bad else "")


def main(run):
    with run.machine(args="run=stest:basic:failure,svc:list", icount=GUEST_TIME,
                     timeout=RUN_TIMEOUT_S) as m:
        m.start()
        lines = finish(run, m, "stest", RUN_TIMEOUT_S, min_registered=STEST_TESTS)
    check_failures(run, lines)
    check_svc(run)


if __name__ == "__main__":
    TestRun.main("qemu-supervise-fail", main)
