# SPDX-License-Identifier: MIT
"""QMP for the QEMU system-test harness: the client, keyboard and mouse.

QmpInput is a mixin for harness.Machine. It uses the machine's qmp_path,
running() and _why(message), and keeps its own state: _qmp_init() sets it
up, _qmp_close() drops the socket. QMP events seen while waiting for replies
collect in machine.events.

TestFailure and QmpError are defined here, in the harness's bottom layer, so
that harness.py and screen.py can both raise them; tests import them from
harness, which re-exports them.
"""

import json
import socket
import time

TABLET_MAX = 0x7FFF  # QEMU's absolute axis range is 0..0x7fff


class TestFailure(Exception):
    """A check that could not even be attempted: timeout, early exit, QMP."""


class QmpError(TestFailure):
    """QMP answered with an error object."""


# --- keyboard ---------------------------------------------------------------

_QCODE = {" ": "spc", "\n": "ret", "\t": "tab", "\b": "backspace",
          "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
          ";": "semicolon", "'": "apostrophe", "`": "grave_accent",
          "\\": "backslash", ",": "comma", ".": "dot", "/": "slash"}
_SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6",
            "&": "7", "*": "8", "(": "9", ")": "0", "_": "-", "+": "=",
            "{": "[", "}": "]", ":": ";", '"': "'", "~": "`", "|": "\\",
            "<": ",", ">": ".", "?": "/"}


def char_to_key(ch):
    """The send_key name that types `ch` on a US layout, e.g. "shift-a"."""
    if ch.isascii() and (ch.islower() or ch.isdigit()):
        return ch
    if ch.isascii() and ch.isupper():
        return "shift-" + ch.lower()
    if ch in _QCODE:
        return _QCODE[ch]
    if ch in _SHIFTED:
        return "shift-" + char_to_key(_SHIFTED[ch])
    raise ValueError(f"no key types {ch!r}")


# --- the mixin --------------------------------------------------------------


class QmpInput:
    """QMP commands and input events for a Machine (see the module doc)."""

    def _qmp_init(self):
        self.events = []  # QMP events seen so far
        self._qmp_sock = None
        self._qmp_buf = b""
        self._qmp_id = 0

    def _qmp_close(self):
        if self._qmp_sock is not None:
            self._qmp_sock.close()
            self._qmp_sock = None

    # --- QMP ---

    def qmp(self, cmd, arguments=None, **args):
        """Run a QMP command and return its "return" value.

        Keyword names get "_" turned into "-" (hold_time -> hold-time);
        pass `arguments` as a dict to send names exactly as written.
        """
        if self._qmp_sock is None:
            self._qmp_connect()
        self._qmp_id += 1
        request = {"execute": cmd, "id": self._qmp_id}
        arguments = dict(arguments or {})
        arguments.update({k.replace("_", "-"): v for k, v in args.items()})
        if arguments:
            request["arguments"] = arguments
        self._qmp_sock.sendall(json.dumps(request).encode() + b"\n")
        reply = self._qmp_reply(self._qmp_id, cmd)
        if "error" in reply:
            err = reply["error"]
            raise QmpError(f"QMP {cmd}: {err.get('class')}: {err.get('desc')}")
        return reply.get("return")

    def hmp(self, command_line):
        return self.qmp("human-monitor-command", command_line=command_line)

    def _qmp_connect(self):
        deadline = time.monotonic() + 10
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                sock.connect(self.qmp_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if not self.running() or time.monotonic() > deadline:
                    sock.close()
                    raise TestFailure(self._why("cannot connect to QMP")) from None
                time.sleep(0.05)
        self._qmp_sock = sock
        self._qmp_message("greeting")
        self._qmp_sock.sendall(b'{"execute": "qmp_capabilities", "id": 0}\n')
        self._qmp_reply(0, "qmp_capabilities")

    def _qmp_reply(self, want_id, what):
        while True:
            message = self._qmp_message(what)
            if "event" in message:
                self.events.append(message)
            elif message.get("id") == want_id:
                return message

    def _qmp_message(self, what, timeout=30):
        deadline = time.monotonic() + timeout
        while b"\n" not in self._qmp_buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(self._why(f"QMP: no answer to {what}"))
            self._qmp_sock.settimeout(left)
            try:
                data = self._qmp_sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise TestFailure(self._why(f"QMP closed during {what}"))
            self._qmp_buf += data
        line, self._qmp_buf = self._qmp_buf.split(b"\n", 1)
        return json.loads(line)

    # --- input ---

    def send_key(self, key, hold_ms=None):
        """Press a key or chord, e.g. "a", "ret", "ctrl-c", "shift-a"."""
        keys = [{"type": "qcode", "data": name} for name in key.split("-")]
        if hold_ms is None:
            self.qmp("send-key", keys=keys)
        else:
            self.qmp("send-key", keys=keys, hold_time=hold_ms)

    def type_text(self, text):
        for ch in text:
            self.send_key(char_to_key(ch))

    def mouse_move(self, x, y, width=1024, height=768):
        """Move the usb-tablet pointer to pixel (x, y) of a width x height screen."""
        ax = min(TABLET_MAX, x * TABLET_MAX // max(1, width - 1))
        ay = min(TABLET_MAX, y * TABLET_MAX // max(1, height - 1))
        self.qmp("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": ax}},
            {"type": "abs", "data": {"axis": "y", "value": ay}}])

    def mouse_button(self, button, down):
        self.qmp("input-send-event", events=[
            {"type": "btn", "data": {"button": button, "down": down}}])

    def mouse_click(self, button="left", x=None, y=None, gap=0.05):
        """Click (press, pause, release); each is its own HID report."""
        if x is not None:
            self.mouse_move(x, y)
        self.mouse_button(button, True)
        time.sleep(gap)
        self.mouse_button(button, False)
