#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A check of ./run profile's analysis (test/qemu/profile.py) on a made-up log.

The log is written in QEMU's `-d cpu` format from real instruction addresses of
the build's ELFs: kernel.full's syscall_entry, ftest's fs_mib and fat's fat_write,
with ftest and fat in two address spaces (both link at 0x400000, so only the
matching of each space's addresses to an ELF's instructions can tell them apart).
The report must name each space after its program and count every instruction
under the right program and function.

    check_profile.py PROFILE_PY BUILD_DIR KERNEL_FULL FTEST FAT
"""

import os
import re
import subprocess
import sys
import tempfile


def instructions(elf, function, n):
    """The first n instruction addresses of function in elf."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", f"--disassemble={function}", elf],
                         capture_output=True, text=True, check=True).stdout
    addrs = [int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s", out, re.M)]
    if len(addrs) < n:
        sys.exit(f"FAIL: {function} in {elf} has {len(addrs)} instructions, need {n}")
    return addrs[:n]


def dump(rip, cr3):
    """One instruction's entry as `-d cpu,exec` writes it (the lines the profile reads)."""
    return (f"Trace 0: 0x7f0000000000 [0000000000000000/{rip:016x}/00c0c290/ff020201] \n"
            f"RAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000\n"
            f"RIP={rip:016x} RFL=00000046 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=0\n"
            f"CR0=80010013 CR2=0000000000000000 CR3={cr3:016x} CR4=003006a0\n")


def main():
    profile, build, kernel, ftest, fat = sys.argv[1:6]
    spaces = {"ftest": 0x1000000, "fat": 0x2000000}
    plan = [(ftest, "fs_mib", spaces["ftest"], 5), (kernel, "syscall_entry", spaces["ftest"], 4),
            (fat, "fat_write", spaces["fat"], 9), (kernel, "syscall_entry", spaces["fat"], 3)]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "cpu.log")
        with open(log, "w") as f:
            for elf, fn, cr3, n in plan:
                f.writelines(dump(rip, cr3) for rip in instructions(elf, fn, n))
        r = subprocess.run([sys.executable, profile, "--build", build, "--log", log, "--seq"],
                           capture_output=True, text=True)
    out = r.stdout
    want = [
        (r.returncode == 0, f"the report runs (rc {r.returncode}: {r.stderr[-300:]})"),
        (re.search(r"space 0x1000000: \S*ftest ", out), "space 0x1000000 is ftest"),
        (re.search(r"space 0x2000000: \S*fat ", out), "space 0x2000000 is fat"),
        (re.search(r"^# 21 instructions$", out, re.M), "21 instructions in all"),
        (re.search(r"^\s+9\s+fat\s+fat_write$", out, re.M), "fat_write: 9"),
        (re.search(r"^\s+7\s+kernel\s+syscall_entry$", out, re.M), "syscall_entry: 7"),
        (re.search(r"^\s+5\s+ftest\s+fs_mib$", out, re.M), "fs_mib: 5"),
        (re.search(r"^\s+4\s+kernel\s+syscall_entry\n\s+9\s+fat\s+fat_write$", out, re.M),
         "the sequence keeps the order"),
    ]
    for ok, what in want:
        print(f"{'ok' if ok else 'FAIL'}: {what}")
        failures += not ok
    if failures:
        print(out)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
