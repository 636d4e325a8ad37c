#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/ARCHITECTURE.md's syscall table must list every syscall of
libsys/abi/include/sys/syscall.h with its number, and nothing else."""
import re
import sys


def main():
    header, doc = (open(p).read() for p in sys.argv[1:3])
    want = {(int(nr), name) for name, nr in re.findall(r"X\((SYS_\w+), (\d+),", header)}
    have = {(int(nr), name) for nr, name in re.findall(r"^\| (\d+) \| `(SYS_\w+)` \|", doc, re.M)}
    for nr, name in sorted(want - have):
        print(f"FAIL: {name} ({nr}) is missing from the syscall table")
    for nr, name in sorted(have - want):
        print(f"FAIL: the table lists {name} ({nr}), which the ABI does not have")
    print(f"checked {len(want)} syscalls")
    return 0 if want == have and want else 1


if __name__ == "__main__":
    sys.exit(main())
