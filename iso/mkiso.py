#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the boot ISO: stage grub.cfg, the kernel and the boot modules, then
run grub-mkrescue. The module2 lines of grub.cfg are generated here.

The kernel takes at most MB2_MAX_MODULES modules (kernel/boot/mb2.h) and
gives init each one as a start handle named after it (START_NAME_MAX - 1
characters at most, libsys/abi/include/sys/start.h): more modules, or a
longer name, fail the build here rather than go missing at boot.

Usage: mkiso.py OUT.iso MB2_H START_H GRUB_CFG KERNEL_ELF [MODULE...]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def header_define(path, name):
    with open(path) as f:
        m = re.search(rf"^#define {name}\s+(\d+)", f.read(), re.M)
    if not m:
        sys.exit(f"mkiso: no {name} in {path}")
    return int(m.group(1))


def check_modules(modules, max_modules, name_max):
    if len(modules) > max_modules:
        sys.exit(f"mkiso: {len(modules)} boot modules, but the kernel takes at most "
                 f"{max_modules} (MB2_MAX_MODULES)")
    for m in modules:
        name = os.path.basename(m)
        if len(name) >= name_max:
            sys.exit(f"mkiso: boot module name '{name}' is over {name_max - 1} characters "
                     f"(START_NAME_MAX)")


def main():
    out, mb2_h, start_h, cfg, kernel, *modules = sys.argv[1:]
    check_modules(modules, header_define(mb2_h, "MB2_MAX_MODULES"),
                  header_define(start_h, "START_NAME_MAX"))
    with tempfile.TemporaryDirectory() as stage:
        boot = os.path.join(stage, "boot")
        os.makedirs(os.path.join(boot, "grub"))
        shutil.copy(kernel, os.path.join(boot, "kernel.elf"))
        lines = []
        for m in modules:
            name = os.path.basename(m)
            shutil.copy(m, os.path.join(boot, name))
            lines.append(f"    module2 /boot/{name} {name}")
        with open(cfg) as f:
            text = f.read().replace("@MODULES@", "\n".join(lines))
        with open(os.path.join(boot, "grub", "grub.cfg"), "w") as f:
            f.write(text)
        r = subprocess.run(["grub-mkrescue", "-o", out, stage],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout + r.stderr)
            sys.exit(r.returncode)


if __name__ == "__main__":
    main()
