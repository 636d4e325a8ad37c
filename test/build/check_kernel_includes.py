#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The kernel may include from libsys only the ABI headers (libsys/abi) and
the shared code (libsys/common). Every #include in kernel/ must resolve to a
file in kernel/, libsys/abi/include, libsys/common/include or
libsys/common/libc, or be a compiler header (stdint.h and the like); anything
else, a relative path into another libsys folder included, fails.

Usage: check_kernel_includes.py SOURCE_ROOT"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
COMPILER_HEADERS = {"stdint.h", "stddef.h", "stdbool.h", "stdarg.h", "stdalign.h",
                    "stdnoreturn.h", "limits.h", "cpuid.h"}
KERNEL_DIRS = ["kernel", "kernel/include", "kernel/arch/x86_64/include"]
LIBSYS_DIRS = ["libsys/abi/include", "libsys/common/include", "libsys/common/libc"]


def resolve(root, source, name):
    """Where the include lands: the path of the file, or None."""
    for base in [os.path.dirname(source)] + [os.path.join(root, d) for d in
                                             KERNEL_DIRS + LIBSYS_DIRS]:
        path = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(path):
            return path
    return None


def allowed(root, path):
    rel = os.path.relpath(path, root)
    return rel.startswith("kernel/") or any(rel.startswith(d + "/") for d in LIBSYS_DIRS)


def main():
    root = os.path.abspath(sys.argv[1])
    bad, count = [], 0
    for folder, _, names in os.walk(os.path.join(root, "kernel")):
        for name in names:
            if not name.endswith((".c", ".h")):
                continue
            source = os.path.join(folder, name)
            with open(source, encoding="utf-8") as f:
                for inc in INCLUDE.findall(f.read()):
                    count += 1
                    path = resolve(root, source, inc)
                    if path is None and inc in COMPILER_HEADERS:
                        continue
                    if path is None or not allowed(root, path):
                        bad.append(f"{os.path.relpath(source, root)}: #include {inc}")
    for line in bad:
        print(f"not allowed in the kernel: {line}")
    print(f"{count} includes checked, {len(bad)} not allowed")
    sys.exit(1 if bad or count == 0 else 0)


if __name__ == "__main__":
    main()
