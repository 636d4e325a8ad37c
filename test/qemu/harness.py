# SPDX-License-Identifier: MIT
"""QEMU system-test harness: boots the real ISO under TCG and drives it.

A test program builds one or more Machines, waits for serial lines, pokes
the guest through QMP and judges the result with a TestRun:

    from harness import EXIT_SUCCESS, TestRun

    def main(run):
        with run.machine(args="ktest=all") as m:
            m.start()
            match = m.wait_for(r"KTEST SUMMARY (\\d+) passed", timeout=30)
            run.check(m.wait_exit(30) == EXIT_SUCCESS, "exit status 33")

    TestRun.main("ktest", main)   # parses --iso, exits 0 / 1 / 77

Machine(iso, args="", mem="256M", smp=1, extra=(), icount=False, timeout=60)
    icount: False (host time), True (-icount shift=0: 1 ns of guest time per
    instruction, for benchmarks) or a shift n (2**n ns per instruction: guest
    time, not the host's load, decides a long run's timeouts and heartbeats).
    Context manager; QEMU is always killed and temp files removed on exit.
    start()                    launch QEMU; start_time is time.monotonic()
    wait_for(pattern, timeout) regex search over serial lines after the
                               previous match (since=0 searches them all);
                               returns re.Match, sets match_time (monotonic
                               arrival time of the line); raises TestFailure
                               with the log tail on timeout or QEMU exit
    lines()                    complete serial lines so far (no CR/LF)
    send_serial(text)          bytes to the guest's COM1
    qmp(cmd, **args)           QMP command, returns its "return" value;
                               QmpError on an error reply; events are kept
                               in machine.events
    hmp(command_line)          human monitor command through QMP, e.g.
                               "info block"
    send_key(key)              "a", "ret", "ctrl-c", "ctrl-alt-delete"
    type_text(text)            one send-key per character (shift handled)
    mouse_move(x, y)           absolute move in screen pixels (usb-tablet;
                               pass width/height if not 1024x768)
    mouse_click(button, x, y)  press and release, optionally moving first;
                               buttons reach the tablet only once the guest
                               has polled it (QEMU then makes it the active
                               mouse; before that the PS/2 mouse gets them,
                               see hmp("info mice"))
    screendump(path=None)      Screen(width, height, rgb) with pixel(x, y);
                               unpacks as (w, h, rgb)
    wait_exit(timeout)         QEMU's exit status (see EXIT_* below)

Kernel arguments travel on a tiny FAT image holding /kargs.cfg with the
line `set kargs="..."`, attached as an AHCI disk on port ide.1; the ISO's
grub.cfg finds it with `search --file /kargs.cfg` and appends $kargs to the
multiboot2 command line. With no arguments, no disk is attached.

Serial output is read by a background thread so that line arrival times are
accurate however busy the test is, and the guest never stalls on a full
pipe. The whole log is kept; TestRun prints it when any check fails.

This module holds Machine (serial, lifecycle, exit), the kargs disk and
TestRun; Machine's QMP, keyboard and mouse methods live in qmp_input.py and
screendump in screen.py, as mixins. Import everything from harness: it
re-exports TestFailure, QmpError, Screen, parse_ppm and char_to_key.
"""

import argparse
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from qmp_input import TABLET_MAX, QmpError, QmpInput, TestFailure, char_to_key
from screen import Screen, ScreenDump, parse_ppm

__all__ = ["QEMU", "DEBUG_EXIT_PORT", "EXIT_SUCCESS", "EXIT_FAILURE", "SKIP", "TAIL_LINES",
           "TABLET_MAX", "PR_SET_PDEATHSIG", "TestFailure", "QmpError", "SerialLog", "Screen",
           "parse_ppm", "char_to_key", "Machine", "make_kargs_image", "TestRun"]

QEMU = os.environ.get("QEMU_SYSTEM_X86_64", "qemu-system-x86_64")

# isa-debug-exit turns a write of v to port 0xf4 into exit status (v << 1) | 1.
DEBUG_EXIT_PORT = 0xF4
EXIT_SUCCESS = (0x10 << 1) | 1  # kernel wrote 0x10
EXIT_FAILURE = (0x11 << 1) | 1  # kernel wrote 0x11

SKIP = 77  # meson's exit status for a skipped test
TAIL_LINES = 30  # serial lines shown in a TestFailure message

# --- serial log -------------------------------------------------------------


class SerialLog:
    """Lines from a byte stream, each stamped with its arrival time."""

    def __init__(self):
        self._cond = threading.Condition()
        self._lines = []  # (monotonic time, text)
        self._partial = b""
        self._generation = 0  # bumped on every change, for waiters
        self.closed = False

    def feed(self, data):
        with self._cond:
            now = time.monotonic()
            parts = (self._partial + data).split(b"\n")
            self._partial = parts.pop()
            self._lines += [(now, _decode(raw)) for raw in parts]
            self._generation += 1
            self._cond.notify_all()

    def close(self):
        with self._cond:
            if self._partial.strip(b"\r"):
                self._lines.append((time.monotonic(), _decode(self._partial)))
            self._partial = b""
            self.closed = True
            self._generation += 1
            self._cond.notify_all()

    def snapshot(self):
        """(complete lines as (time, text), unfinished last line, generation)."""
        with self._cond:
            return list(self._lines), _decode(self._partial), self._generation

    def wait(self, generation, deadline):
        """Sleep until anything arrives after `generation`, or the deadline."""
        with self._cond:
            if self._generation == generation:
                self._cond.wait(max(0.0, deadline - time.monotonic()))


def _decode(raw):
    return raw.decode("utf-8", errors="replace").strip("\r")


def _pump(stream, log):
    while True:
        data = os.read(stream.fileno(), 65536)
        if not data:
            break
        log.feed(data)
    log.close()


# --- the machine ------------------------------------------------------------


class Machine(QmpInput, ScreenDump):
    """One QEMU instance booting the ISO, with serial and QMP attached.

    The QMP client, keyboard and mouse come from QmpInput (qmp_input.py),
    screendump from ScreenDump (screen.py)."""

    def __init__(self, iso, args="", mem="256M", smp=1, extra=(), icount=False, timeout=60):
        self.iso, self.args, self.mem, self.smp = iso, args, mem, smp
        self.extra, self.icount, self.timeout = list(extra), icount, timeout
        self.name = f"mem={mem} args={args!r}"
        self.log = SerialLog()
        self._qmp_init()
        self.start_time = self.match_time = None
        self.exit_status = None
        self.stderr_text = ""
        self._cursor = 0
        self._proc = self._reader = None
        self._tmp = _make_tmpdir()
        self.qmp_path = os.path.join(self._tmp, "qmp.sock")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def command_line(self):
        """The QEMU argv, mirroring the launcher's."""
        argv = [QEMU, "-machine", "q35", "-cpu", "max", "-m", str(self.mem),
                "-smp", str(self.smp), "-accel", "tcg", "-display", "none",
                "-no-reboot", "-chardev", "stdio,id=ser0,signal=off",
                "-serial", "chardev:ser0",
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
                "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04",
                "-device", "qemu-xhci,id=xhci",
                "-device", "usb-kbd,bus=xhci.0",
                "-device", "usb-tablet,bus=xhci.0",
                "-cdrom", self.iso, "-boot", "d"]
        if self.icount is not False:
            # True: one nanosecond of guest time per instruction (benchmarks);
            # an int n: 2**n ns, for long runs judged by guest time.
            shift = 0 if self.icount is True else int(self.icount)
            argv += ["-icount", f"shift={shift},sleep=off"]
        if self.args:
            argv += ["-drive", f"file={self._kargs_image()},format=raw,if=none,id=kargs",
                     "-device", "ide-hd,drive=kargs,bus=ide.1"]
        return argv + self.extra

    def _kargs_image(self):
        image = os.path.join(self._tmp, "kargs.img")
        if not os.path.exists(image):
            make_kargs_image(image, self.args, self._tmp)
        return image

    def start(self):
        if not os.path.exists(self.iso):
            raise TestFailure(f"ISO not found: {self.iso}")
        argv = self.command_line()
        stderr = open(os.path.join(self._tmp, "stderr"), "wb")
        self.start_time = time.monotonic()
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=stderr, preexec_fn=_die_with_parent)
        stderr.close()
        self._reader = threading.Thread(target=_pump, args=(self._proc.stdout, self.log),
                                        daemon=True)
        self._reader.start()
        return self

    def close(self):
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._reap(10)
            self._proc.stdin.close()
            self._proc.stdout.close()
            self._proc = None
        self._qmp_close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _reap(self, timeout):
        status = self._proc.wait(timeout)
        if self.exit_status is None:
            self.exit_status = status
        self._reader.join(5)
        self._read_stderr()
        return status

    def _read_stderr(self):
        try:
            with open(os.path.join(self._tmp, "stderr"), "rb") as f:
                self.stderr_text = _decode(f.read()).strip()
        except (OSError, TypeError):
            pass

    def running(self):
        return self._proc is not None and self._proc.poll() is None

    # --- serial ---

    def lines(self):
        return [text for _, text in self.log.snapshot()[0]]

    def wait_for(self, pattern, timeout=None, since=None):
        """Wait for a serial line matching `pattern` (re.search).

        Searches the lines after the previous match (or from line `since`)
        and the unfinished last line, so prompts without a newline match.
        """
        regex = re.compile(pattern)
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        first = self._cursor if since is None else since
        while True:
            exited = self.log.closed  # read before searching: no line is missed
            found, count, generation = self._search(regex, first)
            if found:
                return found
            first = max(first, count)
            if exited:
                try:
                    self._reap(10)
                except subprocess.TimeoutExpired:
                    pass  # stdout closed but QEMU lingers; report anyway
                raise TestFailure(self._why(f"QEMU exited (status {self.exit_status}) "
                                            f"while waiting for /{pattern}/"))
            if time.monotonic() >= deadline:
                raise TestFailure(self._why(f"timed out after {timeout}s waiting for "
                                            f"/{pattern}/"))
            self.log.wait(generation, deadline)

    def seen(self, pattern, timeout=None, since=None):
        """wait_for that answers instead of failing the run: the match, or
        None when the time ran out (QEMU exiting still fails the run). For a
        check: run.check(m.seen(pattern) is not None, what)."""
        try:
            return self.wait_for(pattern, timeout, since)
        except TestFailure:
            if self.log.closed:
                raise
            return None

    def _search(self, regex, first):
        """The first match at or after line `first`, the line count and
        the log generation searched."""
        lines, partial, generation = self.log.snapshot()
        for index in range(first, len(lines)):
            found = regex.search(lines[index][1])
            if found:
                self._cursor, self.match_time = index + 1, lines[index][0]
                return found, len(lines), generation
        found = regex.search(partial) if partial else None
        if found:
            self._cursor, self.match_time = len(lines) + 1, time.monotonic()
        return found, len(lines), generation

    def send_serial(self, text):
        data = text.encode() if isinstance(text, str) else text
        self._proc.stdin.write(data)
        self._proc.stdin.flush()

    def tail(self, count=TAIL_LINES):
        lines, partial, _ = self.log.snapshot()
        text = [t for _, t in lines[-count:]] + ([partial] if partial else [])
        return "\n".join("  | " + t for t in text) or "  | (no serial output)"

    def _why(self, message):
        out = [f"{message} [{self.name}]", "serial tail:", self.tail()]
        if self.stderr_text:
            out += ["qemu stderr:", self.stderr_text]
        return "\n".join(out)

    # --- exit ---

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit on its own and return its status."""
        timeout = self.timeout if timeout is None else timeout
        try:
            return self._reap(timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure(self._why(f"QEMU still running after {timeout}s")) from None


def make_kargs_image(image, args, workdir):
    """A 1.44 MB FAT image whose /kargs.cfg sets GRUB's $kargs to `args`."""
    if "\n" in args or "\r" in args:
        raise ValueError("kernel arguments must be one line")
    quoted = re.sub(r'(["$\\])', r"\\\1", args)
    cfg = os.path.join(workdir, "kargs.cfg")
    with open(cfg, "w") as f:
        f.write(f'set kargs="{quoted}"\n')
    for argv in (["mformat", "-i", image, "-C", "-f", "1440", "::"],
                 ["mcopy", "-i", image, cfg, "::/kargs.cfg"]):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise TestFailure(f"{' '.join(argv)} failed: {done.stderr.strip()}")


def _make_tmpdir():
    # A UNIX socket path must fit in 108 bytes, so fall back to /tmp.
    path = tempfile.mkdtemp(prefix="qemu-test-")
    if len(path) > 80:
        os.rmdir(path)
        path = tempfile.mkdtemp(prefix="qemu-test-", dir="/tmp")
    return path


def _load_libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _load_libc()
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: get SIGKILL if the test process dies, so QEMU never
    outlives a test that meson killed on timeout (Linux only)."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


# --- test runs --------------------------------------------------------------


class TestRun:
    """Checks and figures of one test program, printed one per line."""

    def __init__(self, name, iso):
        self.name, self.iso = name, iso
        self.checks = self.failures = 0
        self.machines = []

    def machine(self, **kwargs):
        """A Machine on this run's ISO; its log is printed if the run fails."""
        m = Machine(self.iso, **kwargs)
        self.machines.append(m)
        return m

    def default_disk(self, tmp):
        """A copy of the build's default disk (iso/mkdisk.py) in tmp, and the QEMU
        arguments attaching it as disk0 (AHCI port 0): (path, extra args)."""
        image = os.path.join(tmp, "disk.img")
        shutil.copyfile(os.path.join(os.path.dirname(self.iso), "disk.img"), image)
        return image, ["-drive", f"file={image},format=raw,if=none,id=d0",
                       "-device", "ide-hd,drive=d0,bus=ide.0"]

    def check(self, ok, what, detail=""):
        self.checks += 1
        if not ok:
            self.failures += 1
        suffix = f" ({detail})" if detail and not ok else ""
        print(f"{'ok' if ok else 'FAIL'}: {what}{suffix}", flush=True)
        return ok

    def figure(self, name, value):
        print(f"FIGURE {name} {value}", flush=True)

    def note(self, text):
        print(f"# {text}", flush=True)

    def fail(self, message):
        self.check(False, message)

    def dump_logs(self):
        for m in self.machines:
            lines = m.lines()
            print(f"--- full serial log [{m.name}], {len(lines)} lines ---")
            for line in lines:
                print("  | " + line)
            if m.stderr_text:
                print("--- qemu stderr ---\n" + m.stderr_text)
        sys.stdout.flush()

    def finish(self):
        if self.checks == 0:
            self.fail("no checks ran")
        if self.failures:
            self.dump_logs()
            print(f"FAIL {self.name}: {self.failures} of {self.checks} checks failed")
            return 1
        print(f"PASS {self.name}: {self.checks} checks")
        return 0

    @staticmethod
    def main(name, body):
        """Parse --iso, run body(run), exit 0 pass / 1 fail / 77 skip."""
        parser = argparse.ArgumentParser(description=f"QEMU system test: {name}")
        parser.add_argument("--iso", required=True, help="path to the bootable ISO")
        options = parser.parse_args()
        if shutil.which(QEMU) is None:
            print(f"SKIP {name}: {QEMU} not installed")
            sys.exit(SKIP)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the cleanups
        run = TestRun(name, options.iso)
        try:
            body(run)
        except TestFailure as e:
            run.fail(str(e))
        except Exception as e:  # a bug in the test itself: still show the logs
            traceback.print_exc()
            run.fail(f"test raised {type(e).__name__}: {e}")
        finally:
            for m in run.machines:
                m.close()
        sys.exit(run.finish())
