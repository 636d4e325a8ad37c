#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Frame allocator accounting: the usable memory the kernel reports follows
QEMU's -m, less what the kernel, BIOS areas and boot modules occupy."""

from harness import TestRun

MM_LINE = r"mm: frames free=(\d+) total=(\d+) \((\d+) KiB usable\)"
READY = r"kernel: ready in (\d+) us"
RESERVED_MAX_KIB = 16 * 1024  # kernel, BIOS areas, boot modules, boot page-table pool
# Frame metadata (12 bytes per 4 KiB frame up to the highest address, which
# lies above the PCI hole for large -m) grows with memory: allow 1/128 of it.
METADATA_SHARE = 128
FREE_SLACK_FRAMES = 4096  # frames the kernel may use itself during boot
GROWTH_KIB = (240 * 1024, 256 * 1024)  # 512M boot minus 256M boot


def boot(run, mem_mib):
    """Boot with -m <mem_mib>M and check the mm line; returns usable KiB."""
    with run.machine(mem=f"{mem_mib}M") as m:
        m.start()
        free, total, usable = map(int, m.wait_for(MM_LINE, timeout=30).groups())
        # The whole boot must complete with this much memory, not just the count.
        m.wait_for(READY, timeout=30)
    run.figure(f"usable_kib_{mem_mib}m", usable)
    low = mem_mib * 1024 - RESERVED_MAX_KIB - mem_mib * 1024 // METADATA_SHARE
    high = mem_mib * 1024
    run.check(low <= usable <= high, f"{mem_mib}M: usable KiB in [{low}, {high}]",
              f"usable={usable}")
    run.check(free <= total, f"{mem_mib}M: free <= total", f"free={free} total={total}")
    run.check(free >= total - FREE_SLACK_FRAMES,
              f"{mem_mib}M: free >= total - {FREE_SLACK_FRAMES} frames",
              f"free={free} total={total}")
    return usable


def main(run):
    small, large = boot(run, 256), boot(run, 512)
    # 1 GiB puts ACPI tables just below the top of RAM; 4 GiB puts RAM above
    # the 4 GiB PCI hole, beyond what the boot page tables reach.
    boot(run, 1024)
    boot(run, 4096)
    growth = large - small
    run.figure("usable_kib_growth_256m_to_512m", growth)
    run.check(GROWTH_KIB[0] <= growth <= GROWTH_KIB[1],
              f"512M gives {GROWTH_KIB[0]}..{GROWTH_KIB[1]} KiB more than 256M",
              f"growth={growth} KiB")


if __name__ == "__main__":
    TestRun.main("qemu-memory", main)
