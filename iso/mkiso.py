#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the boot ISO: stage grub.cfg and the kernel, then run grub-mkrescue.

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
        shutil.copy(cfg, os.path.join(boot, "grub", "grub.cfg"))
        shutil.copy(kernel, os.path.join(boot, "kernel.elf"))
        for m in modules:
            shutil.copy(m, os.path.join(boot, os.path.basename(m)))
        r = subprocess.run(["grub-mkrescue", "-o", out, stage],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout + r.stderr)
            sys.exit(r.returncode)


if __name__ == "__main__":
    main()
