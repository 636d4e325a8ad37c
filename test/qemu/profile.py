#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An exact instruction profile of one call in the guest (./run profile).

Boots a guest test suite under -icount (by default ftest's FAT write bench, on the
bench's own FAT32 disk) with QEMU's gdbstub, stops at a function of one program when
a condition on its arguments holds (gdb's, on registers: `$rsi == 40`), and from there
until that call returns logs every instruction the guest executes, in every address
space: the kernel, the program and the servers it calls. QEMU does the logging
(`-singlestep` and `-d cpu,exec,nochain` switched on through the gdbstub's monitor
commands), so guest time is not disturbed by a debugger stepping. Each address space
(CR3) is matched to the ELF of the build whose instruction boundaries cover its RIPs,
then the instructions are counted per program and per function, in order (--seq) or
per instruction of one function (--annotate PROGRAM:FUNCTION).

    ./run profile                       the 41st 1 MiB write of the FAT bench
    ./run profile --function fs_mib --cond '$rsi == 40 && $rdx == 0'   a read
    ./run profile --function block_write --cond '$rdi == &raw' ...    (no symbols:
        give the address: --cond '$rdi == 0x52a440') the raw write beside it
    ./run profile --log FILE --seq      reuse a log, print the call sequence

The counts include what else ran meanwhile (a timer tick, a heartbeat): --seq shows it.
"""

import argparse
import bisect
import collections
import glob
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

from harness import Machine

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL_HALF = 1 << 63


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def symbol(elf, name):
    out = subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts[-1] == name:
            return int(parts[0], 16)
    sys.exit(f"profile: no symbol {name} in {elf}")


GDB_SCRIPT = """
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :{port}")
gdb.execute("break *{addr:#x} if {cond}")
gdb.execute("ignore 1 {ignore}")
gdb.execute("continue")
cr3 = int(gdb.parse_and_eval("$cr3"))
rsp = int(gdb.parse_and_eval("$rsp"))
ret = int(gdb.parse_and_eval("*(unsigned long *)$rsp"))
gdb.execute("delete")
gdb.execute("break *%#x if $rsp == %#x && $cr3 == %#x" % (ret, rsp + 8, cr3))
gdb.execute("monitor singlestep on")
gdb.execute("monitor log cpu,exec,nochain")
gdb.execute("continue")
gdb.execute("monitor log none")
gdb.execute("kill")
"""


def record(args, build, log):
    """Boot, stop at the call, log it: the log in `log`."""
    sys.path.insert(0, HERE)
    import test_bench  # the FAT bench's disk

    elf = program_elf(build, args.program)
    addr = symbol(elf, args.function)
    port = free_port()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        extra = ["-gdb", f"tcp:127.0.0.1:{port}", "-D", log]
        if not args.no_disk:
            disk = test_bench.fat_image(tmp)
            extra += ["-drive", f"file={disk},format=raw,if=none,id=d0,cache=unsafe",
                      "-device", "ide-hd,drive=d0,bus=ide.0"]
        m = Machine(os.path.join(build, "iso", "os.iso"), args=f"run={args.suite}",
                    extra=extra, icount=True, timeout=900)
        try:
            m.start()
            script = os.path.join(tmp, "trace.py")
            with open(script, "w") as f:
                f.write(GDB_SCRIPT.format(port=port, addr=addr, cond=args.cond,
                                          ignore=args.ignore))
            for _ in range(50):  # the gdbstub listens once QEMU is up
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            r = subprocess.run(["gdb", "-batch", "-nx", "-x", script], capture_output=True,
                               text=True, timeout=args.timeout)
            if "Traceback" in r.stderr or not os.path.getsize(log):
                sys.exit(f"profile: gdb failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        finally:
            m.close()


def program_elf(build, name):
    for path in glob.glob(os.path.join(build, "**", name), recursive=True):
        if os.path.isfile(path) and ".p/" not in path and is_elf(path):
            return path
    sys.exit(f"profile: no program {name} under {build}")


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def read_log(log):
    """[(cr3, rip)] in execution order."""
    steps, rip = [], None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("RIP="):
                rip = int(line[4:20], 16)
            elif line.startswith("CR0=") and rip is not None:
                steps.append((int(re.search(r"CR3=([0-9a-f]+)", line).group(1), 16), rip))
                rip = None
    return steps


class Elf:
    """One ELF's instruction addresses and function starts (objdump)."""

    def __init__(self, path, function=None):
        self.path, self.insns, self.funcs, self.lines = path, set(), [], []
        cmd = ["objdump", "-d", "--no-show-raw-insn", path]
        if function:
            cmd[2:2] = ["-l", f"--disassemble={function}"]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        for line in out.splitlines():
            self.lines.append(line)
            m = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
            if m:
                self.funcs.append((int(m.group(1), 16), m.group(2)))
            elif (m := re.match(r"^\s*([0-9a-f]+):\s", line)):
                self.insns.add(int(m.group(1), 16))
        self.funcs.sort()

    def function(self, rip):
        i = bisect.bisect_right(self.funcs, (rip, "\uffff")) - 1
        return self.funcs[i][1] if i >= 0 else "?"


def user_elfs(build):
    out = []
    for path in glob.glob(os.path.join(build, "**", "*"), recursive=True):
        if (".p/" in path or "/kernel/" in path or not os.path.isfile(path) or
                path.endswith((".o", ".a", ".so", ".img", ".iso"))):
            continue
        if is_elf(path):
            out.append(path)
    return out


def preference(elf, program):
    """Among ELFs that fit a space equally (programs sharing libsys code at the same
    addresses): the profiled program first, then the servers, then the rest."""
    name = os.path.basename(elf.path)
    return (name == program, "/servers/" in elf.path)


def name_spaces(steps, build, program):
    """{cr3: Elf}: the ELF on whose instruction boundaries the most of a space's RIPs fall."""
    rips = collections.defaultdict(set)
    for cr3, rip in steps:
        if rip < KERNEL_HALF:
            rips[cr3].add(rip)
    elfs = [Elf(p) for p in user_elfs(build)]
    spaces = {}
    for cr3, seen in rips.items():
        hits = {e.path: len(seen & e.insns) for e in elfs}
        most = max(hits.values())
        tied = [e for e in elfs if hits[e.path] == most]
        best = max(tied, key=lambda e: preference(e, program))
        spaces[cr3] = best
        also = f"; {len(tied) - 1} other ELFs fit as well" if len(tied) > 1 else ""
        if most < len(seen):
            also += "; NOT ALL: was the log made by another build?"
        print(f"# address space {cr3:#x}: {os.path.relpath(best.path, build)} "
              f"({most} of {len(seen)} addresses on its instructions{also})")
    return spaces


def report(steps, build, program, top, seq):
    kernel = Elf(os.path.join(build, "kernel", "kernel.full"))
    spaces = name_spaces(steps, build, program)
    runs, per_fn, per_space = [], collections.Counter(), collections.Counter()
    for cr3, rip in steps:
        elf = kernel if rip >= KERNEL_HALF else spaces[cr3]
        key = (os.path.basename(elf.path).replace(".full", ""), elf.function(rip))
        per_fn[key] += 1
        per_space[key[0]] += 1
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    print(f"# {len(steps)} instructions")
    for space, n in per_space.most_common():
        print(f"{n:7d}  {space}")
    print()
    for (space, fn), n in per_fn.most_common(top):
        print(f"{n:7d}  {space:12s} {fn}")
    if seq:
        print("\n# in order (consecutive instructions of one function as one line)")
        for (space, fn), n in runs:
            print(f"{n:7d}  {space:12s} {fn}")


def annotate(steps, build, what):
    program, function = what.split(":", 1)
    elf = Elf(program_elf(build, program) if program != "kernel"
              else os.path.join(build, "kernel", "kernel.full"), function)
    counts = collections.Counter(rip for _, rip in steps)
    for line in elf.lines:
        m = re.match(r"^\s*([0-9a-f]+):\s", line)
        if m:
            n = counts.get(int(m.group(1), 16), 0)
            print(f"{n:6d} {line}" if n else f"       {line}")
        elif line.startswith("/"):
            print("       " + line.rsplit("/", 1)[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    p.add_argument("--suite", default="ftest:bench.fat_bench_write",
                   help="the kernel's run= argument (default: %(default)s)")
    p.add_argument("--program", default="ftest", help="the program the call is in")
    p.add_argument("--function", default="fs_mib")
    p.add_argument("--cond", default="$rsi == 40 && $rdx == 1",
                   help="gdb condition at the function's first instruction")
    p.add_argument("--ignore", type=int, default=0, help="calls that pass it, first")
    p.add_argument("--no-disk", action="store_true", help="no FAT bench disk")
    p.add_argument("--log", help="keep the log here; reuse it if it exists")
    p.add_argument("--top", type=int, default=40, help="functions listed")
    p.add_argument("--seq", action="store_true", help="the call sequence too")
    p.add_argument("--annotate", metavar="PROGRAM:FUNCTION",
                   help="per-instruction counts of one function (PROGRAM kernel: the kernel)")
    p.add_argument("--timeout", type=int, default=900)
    args = p.parse_args()
    build = os.path.abspath(args.build)
    with tempfile.TemporaryDirectory() as tmp:
        log = args.log or os.path.join(tmp, "cpu.log")
        if not (args.log and os.path.exists(args.log)):
            record(args, build, log)
        steps = read_log(log)
        if not steps:
            sys.exit("profile: the log holds no instruction")
        if args.annotate:
            annotate(steps, build, args.annotate)
        else:
            report(steps, build, args.program, args.top, args.seq)


if __name__ == "__main__":
    main()
