#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every C file in the tree is formatted as the checked-in .clang-format says,
by one pinned version of clang-format (14, Debian 12's; ./run installs it):
another version formats some constructs differently, and the check must not
change its verdict with the machine. Lists the files that differ and how to
fix them.

Usage: check_format.py SOURCE_ROOT"""

import os
import subprocess
import sys

CLANG_FORMAT = "clang-format-14"
FOLDERS = ["kernel", "libsys", "servers", "apps", "test"]


def c_files(root):
    for folder in FOLDERS:
        for base, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    yield os.path.join(base, name)


def main():
    root = os.path.abspath(sys.argv[1])
    files = list(c_files(root))
    try:
        r = subprocess.run([CLANG_FORMAT, "--dry-run", "--Werror", "--style=file"] + files,
                           capture_output=True, text=True, cwd=root)
    except FileNotFoundError:
        print(f"{CLANG_FORMAT} is missing: apt-get install clang-format-14 (./run does it)")
        sys.exit(1)
    bad = sorted({line.split(":")[0] for line in r.stderr.splitlines() if ": error:" in line})
    for path in bad:
        print(f"not formatted: {os.path.relpath(path, root)}")
    if bad:
        print(f"fix with: {CLANG_FORMAT} -i <file> (the config is .clang-format)")
    print(f"{len(files)} files checked, {len(bad)} not formatted")
    sys.exit(1 if bad or r.returncode not in (0, 1) or not files else 0)


if __name__ == "__main__":
    main()
