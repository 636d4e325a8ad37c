# SPDX-License-Identifier: MIT
"""Screendumps for the QEMU system-test harness: QMP's PPM files parsed into
Screen objects. ScreenDump is a mixin for harness.Machine; it uses the
machine's qmp() and its temp dir (_tmp)."""

import os

from qmp_input import TestFailure


class Screen:
    """An RGB screendump: 3 bytes per pixel, rows top to bottom."""

    def __init__(self, width, height, rgb):
        self.width, self.height, self.rgb = width, height, rgb

    def __iter__(self):
        return iter((self.width, self.height, self.rgb))

    def pixel(self, x, y):
        """(r, g, b) at column x, row y."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise IndexError(f"pixel ({x}, {y}) outside {self.width}x{self.height}")
        i = (y * self.width + x) * 3
        return tuple(self.rgb[i : i + 3])


def parse_ppm(data):
    """Parse a binary PPM (P6, maxval 255) into a Screen."""
    fields, pos = [], 0
    while len(fields) < 4:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while pos < len(data) and not data[pos : pos + 1].isspace():
            pos += 1
        if start == pos:
            raise TestFailure("screendump: truncated PPM header")
        fields.append(data[start:pos])
    if fields[0] != b"P6" or fields[3] != b"255":
        raise TestFailure(f"screendump: not a P6/255 PPM: {fields!r}")
    width, height = int(fields[1]), int(fields[2])
    rgb = data[pos + 1 :]  # exactly one whitespace byte ends the header
    if len(rgb) != width * height * 3:
        raise TestFailure(f"screendump: {len(rgb)} bytes for {width}x{height}")
    return Screen(width, height, rgb)


class ScreenDump:
    """Machine.screendump (see the module doc)."""

    def screendump(self, path=None):
        """Grab the display as PPM; save to `path` if given; return a Screen."""
        target = path or os.path.join(self._tmp, "screen.ppm")
        self.qmp("screendump", filename=os.path.abspath(target))
        with open(target, "rb") as f:
            return parse_ppm(f.read())
