# SPDX-License-Identifier: MIT
"""Typing at the serial console's shell (servers/console) from a system
test: /bin/sh, which the console starts at boot and after every exit, or,
on a machine without a disk (no /bin/sh), the console's rescue shell.

Each command is typed only once the prompt is back (the rescue shell drops
input while a command runs; sh would pass it to the program). The kernel and other programs write whole lines to
the same serial line, so one may land after the prompt or in the middle of
an echoed command: the shell's answers are matched as whole lines, the
prompt as a line (or the unfinished last line) that starts with it, and
lines of other programs unanchored. Typing starts once the line is quiet.

    sh = ConsoleShell(machine)           # sh; ConsoleShell(machine, rescue=True) without a disk
    sh.wait_ready()                      # the banner and the first prompt
    lines = sh.command("mem", r"^mem: ")  # type, wait for the answer and the prompt
"""

import re
import time

BANNER = r"^console: shell on COM1"
SH_PROMPT = r"^sh\$ "  # /bin/sh's prompt
PROMPT = r"^\$ "  # the rescue shell's
RESCUE = r"^console: cannot start /bin/sh: \S+; this is the rescue shell"
SH_ENDED = r"^\[sh ended with code {}; a new one starts\]$"  # .format(code)
ANSWER_TIMEOUT_S = 20
QUIET_S = 0.3
QUIET_TIMEOUT_S = 10


class ConsoleShell:
    def __init__(self, machine, rescue=False):
        self.m = machine
        self.rescue = rescue
        self.prompt = PROMPT if rescue else SH_PROMPT
        self.ready_time = None  # when the last prompt of wait_ready arrived

    def wait_ready(self, timeout=60):
        """The banner of a (new) console instance, its prompt, and then a
        quiet line: services still starting print their own lines, which
        could land in the middle of what is typed and answered."""
        self.m.wait_for(BANNER, timeout=timeout)
        if self.rescue:
            self.m.wait_for(RESCUE, timeout=timeout)
        self.m.wait_for(self.prompt, timeout=timeout)
        self.ready_time = self.m.match_time
        self.wait_quiet()

    def wait_quiet(self, quiet=QUIET_S, timeout=QUIET_TIMEOUT_S):
        """Until nothing has arrived on the serial line for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        generation = self.m.log.snapshot()[2]
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.m.log.snapshot()[2]
            if now == generation:
                return
            generation = now

    def send(self, text):
        """Raw bytes to the console; returns the time the last one left."""
        self.m.send_serial(text)
        return time.monotonic()

    def wait_prompt(self, timeout=ANSWER_TIMEOUT_S):
        self.m.wait_for(self.prompt, timeout=timeout)

    def type_line(self, line, expect, timeout=ANSWER_TIMEOUT_S):
        """Type `line` and Enter; wait for a line matching `expect` and
        return (match, seconds from the Enter leaving to the line arriving)."""
        sent = self.send(line + "\r")
        found = self.m.wait_for(expect, timeout=timeout)
        return found, self.m.match_time - sent

    def command(self, line, expect, last=None, timeout=ANSWER_TIMEOUT_S):
        """Type a command, wait for `expect` (and then `last`, if given) and
        the next prompt; returns the serial lines from the command's echo to
        the prompt."""
        start = len(self.m.lines())
        self.type_line(line, expect, timeout)
        if last:
            self.m.wait_for(last, timeout=timeout)
        self.wait_prompt(timeout)
        return self.m.lines()[start:]


def lines_matching(lines, pattern):
    regex = re.compile(pattern)
    return [line for line in lines if regex.search(line)]


def expect(run, sh, line, pattern, what, **wait):
    """Type `line`; check that its answer, up to the next prompt, has a line
    matching `pattern` (no answer at all fails the run at once, with the
    serial tail: the shell would be out of step after it anyway)."""
    lines = sh.command(line, pattern, **wait)
    run.check(bool(lines_matching(lines, pattern)), what, "\n".join(lines[-4:]))
    return lines



def sh_line(sh, m, line, expect_re, timeout=30):
    """Type a line into /bin/sh on the serial line; wait for `expect_re` and
    sh's next prompt (failing the run if either does not come); the lines
    between."""
    start = len(m.lines())
    sh.send(line + "\r")
    m.wait_for(expect_re, timeout=timeout)
    m.wait_for(SH_PROMPT, timeout=timeout)
    return m.lines()[start:]


def sh_expect(run, sh, m, line, expect_re, what, timeout=30):
    """sh_line that checks its answer: `what` passes when a line matching
    `expect_re` came before sh's next prompt; the lines between."""
    start = len(m.lines())
    sh.send(line + "\r")
    found = m.seen(expect_re, timeout=timeout)
    run.check(found is not None, what, "\n".join(m.lines()[start:][-4:]))
    m.wait_for(SH_PROMPT, timeout=timeout)
    return m.lines()[start:]
