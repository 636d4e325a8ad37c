#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the boot ISO: stage grub.cfg, the kernel and the boot modules, then
run grub-mkrescue. The module2 lines of grub.cfg are generated here.

Usage: mkiso.py OUT.iso GRUB_CFG KERNEL_ELF [MODULE...]
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    out, cfg, kernel, *modules = sys.argv[1:]
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
