#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Plain boot: the kernel reaches its ready line cleanly, and the
GRUB-provided 1024x768 framebuffer is what QEMU shows. How long it took is
reported (host wall clock and the kernel's own count), not checked: speed
goals are guest instruction counts in ./run bench, and the wall clock of a
loaded 2-core host says more about the host than about the boot."""

from harness import TestRun

READY = r"kernel: ready in (\d+) us"
READY_TIMEOUT_S = 30
SCREEN_SIZE = (1024, 768)


def check_clean_log(run, m):
    bad = [line for line in m.lines() if "EXCEPTION" in line or "PANIC" in line]
    run.check(not bad, "no EXCEPTION or PANIC in the serial log", bad[0] if bad else "")


def check_screen(run, m):
    screen = m.screendump()
    size = (screen.width, screen.height)
    run.check(size == SCREEN_SIZE, "screendump is 1024x768", f"got {size[0]}x{size[1]}")
    lit = sum(1 for i in range(0, len(screen.rgb), 3) if any(screen.rgb[i : i + 3]))
    run.note(f"screendump: {lit} of {screen.width * screen.height} pixels non-black")


def main(run):
    with run.machine() as m:
        m.start()
        ready = m.wait_for(READY, timeout=READY_TIMEOUT_S)
        wall_ms = (m.match_time - m.start_time) * 1000
        run.figure("boot_to_ready_ms", round(wall_ms))
        run.figure("kernel_ready_us", int(ready.group(1)))
        check_screen(run, m)
        run.check(m.running(), "QEMU still running after ready",
                  f"exited with status {m.exit_status}")
        check_clean_log(run, m)


if __name__ == "__main__":
    TestRun.main("qemu-boot", main)
