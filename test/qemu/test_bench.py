#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""IPC and block benchmarks under -icount shift=0,sleep=off, where the guest's
TSC counts executed guest instructions: boots with run=ipcbench,stest:bench
(the second measures how long a crashed server takes to answer again), then
once more with a BLOCK_MIB MiB disk on AHCI port 0 and run=btest:bench
(test/guest/btest/t_bench.c: sequential and random block I/O, commands per
MiB, the driver's restart), reads the BENCH lines and checks each figure
against its budget; with BENCH_TABLE (./run bench) or BENCH_FAT set, a
third boot, with a FAT32 disk in /dev/shm, runs run=ftest:bench
(test/guest/ftest/t_bench.c: the FAT server's sequential read and write of
a 64 MiB file beside raw block I/O of as many bytes, 1,000 files created
and listed, the server's restart; several minutes of host time, so the
suite's qemu-bench leaves it out), and a fourth, the GUI terminal's figures
(test_termbench.py, which the suite runs as qemu-termbench); stest's, dtest's and btest's
own checks must pass too (guest_tests.py). Each figure may exceed its budget in bench_budget.json by
at most the file's tolerance (10 %), or its own under "tolerances", where null means reported
but not checked (the FAT bench's single samples: the first MiB, the fsync, the raw flush, which
background work lands in at random).

`./run bench` runs this same script with BENCH_TABLE=1 (print the table of
bench_report.py) and BENCH_JSON=build/bench.json; `./run bench --linux` also
sets BENCH_LINUX=build/linux, and linux_bench.py then measures a Linux guest
in the same run. The suite's qemu-bench never touches Linux."""

import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import bench_report
import linux_bench
import test_termbench
from bench_report import CASES
from guest_tests import finish, judge
from harness import EXIT_SUCCESS, TestRun
from test_fat import partition_clean

BENCH = r"BENCH (\S+) (\d+) ticks n=(\d+)"
HERE = os.path.dirname(os.path.abspath(__file__))
BUDGET_FILE = os.path.join(HERE, "bench_budget.json")
BLOCK_MIB = 40  # t_bench.c's BN_DISK_MIB


def load_budgets():
    """({case: budget}, {case: tolerance}) from bench_budget.json: the common tolerance, or a
    case's own from "tolerances" (None: reported, not checked)."""
    with open(BUDGET_FILE) as f:
        doc = json.load(f)
    own = doc.get("tolerances", {})
    return doc["budgets"], {name: own.get(name, doc["tolerance"]) for name in doc["budgets"]}


def parse(lines):
    figures = {}
    for line in lines:
        match = re.search(BENCH, line)
        if match:
            figures[match.group(1)] = int(match.group(2))
    return figures


def collect(run):
    # ipcbench, stest's restart benchmark (test/guest/stest/bench.c), dtest's IRQ latency,
    # dsktest's compositor figures (test/guest/dsktest/t_bench.c).
    # pipebench: a stream between two programs (apps/pipebench).
    with run.machine(args="run=ipcbench,stest:bench,!dtest,dsktest:bench,pipebench",
                     icount=True, timeout=300) as m:
        m.start()
        m.wait_for(r"BENCH done", timeout=240)
        m.wait_for(r"BENCH restart_latency", timeout=120)
        m.wait_for(r"BENCH irq_to_driver", timeout=240)
        m.wait_for(r"BENCH desk_text_80", timeout=120)
        m.wait_for(r"BENCH stream_bulk_per_kib", timeout=120)
        fb = m.wait_for(r"DESKBENCH cursor_fb_bytes (\d+)", timeout=10, since=0)
        run.figure("desk_cursor_fb_bytes", int(fb.group(1)))
        status = m.wait_exit(60)
        run.check(status == EXIT_SUCCESS, f"QEMU exit status {EXIT_SUCCESS}", f"got {status}")
        judge(run, m.lines(), "stest")
        judge(run, m.lines(), "dtest", whole=True)
        judge(run, m.lines(), "dsktest")
        return parse(m.lines())


def block_image(path):
    """BLOCK_MIB MiB whose every 512-byte sector starts with its LBA (little endian)."""
    filler = bytes(range(8, 256)) + bytes(range(256))
    with open(path, "wb") as f:
        for lba in range(BLOCK_MIB * 2048):
            f.write(struct.pack("<Q", lba) + filler)


def collect_block(run):
    # btest's bench suite against a disk made here (the ahci driver, started by btest).
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "bench.img")
        block_image(disk)
        # cache=unsafe: the guest's flush costs no host fsync, whose host time would pass
        # as guest time under -icount sleep=off (the figures count guest instructions only).
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0,cache=unsafe",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        with run.machine(args="run=btest:bench", extra=extra, icount=True, timeout=300) as m:
            m.start()
            return parse(finish(run, m, "btest", 280))


FAT_SUITE = os.environ.get("BENCH_FAT_SUITE", "bench")
FAT_PART_LBA = 2048
FAT_PART_MIB = 300  # FAT32 with 4 KiB clusters needs 65,525 of them: 256 MiB at least
FAT_FILE_MIB = 64   # ftest's FB_FILE_MIB
MTOOLS_ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")


def fat_image(tmp):
    """An MBR disk: a FAT32 partition (4 KiB clusters) at FAT_PART_LBA holding
    /bench/read.bin, read2.bin and read3.bin (FAT_FILE_MIB MiB each, each 512-byte
    sector starting with its file offset: three copies, so the bench reads the
    file three times with none of it mapped or cached before), then
    FAT_FILE_MIB MiB of raw scratch space at the end."""
    part = os.path.join(tmp, "part.img")
    subprocess.run(["mkfs.fat", "-F", "32", "-s", "8", "-C", part, str(FAT_PART_MIB * 1024)],
                   check=True, capture_output=True)
    src = os.path.join(tmp, "read.bin")
    filler = bytes(range(8, 256)) + bytes(range(256))
    with open(src, "wb") as f:
        f.write(b"".join(struct.pack("<Q", off) + filler
                         for off in range(0, FAT_FILE_MIB << 20, 512)))
    copies = [["mcopy", "-i", part, src, f"::/bench/{name}"]
              for name in ("read.bin", "read2.bin", "read3.bin")]
    for cmd in [["mmd", "-i", part, "::/bench"]] + copies:
        subprocess.run(cmd, check=True, capture_output=True, env=MTOOLS_ENV)
    os.unlink(src)
    mbr = bytearray(512)
    struct.pack_into("<BBBBBBBBII", mbr, 446, 0, 0, 0, 0, 0x0C, 0, 0, 0, FAT_PART_LBA,
                     FAT_PART_MIB * 2048)
    mbr[510:512] = b"\x55\xAA"
    disk = os.path.join(tmp, "fat.img")
    with open(disk, "wb") as f, open(part, "rb") as p:
        f.write(bytes(mbr))
        f.seek(FAT_PART_LBA * 512)
        while chunk := p.read(8 << 20):
            f.write(chunk)
        f.truncate((FAT_PART_LBA + (FAT_PART_MIB + FAT_FILE_MIB) * 2048) * 512)
    os.unlink(part)
    return disk


def collect_fat(run):
    # ftest's bench suite (test/guest/ftest/t_bench.c): the FAT server's figures. The image
    # lives in /dev/shm (tmpfs) with cache=unsafe, so QEMU's disk I/O is quick and costs no
    # host fsync: under sleep=off the guest clock jumps over the host's I/O time, and ahci's
    # 30 s command timeout must not fire. Device waits are not in the figures (busy()).
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        disk = fat_image(tmp)
        extra = ["-drive", f"file={disk},format=raw,if=none,id=d0,cache=unsafe",
                 "-device", "ide-hd,drive=d0,bus=ide.0"]
        with run.machine(args=f"run=ftest:{FAT_SUITE}", extra=extra, icount=True,
                         timeout=900) as m:
            m.start()
            figures = parse(finish(run, m, "ftest", 880))
        partition_clean(run, disk, disk + ".part", FAT_PART_LBA, FAT_PART_MIB * 1024,
                        "fat bench: fsck.fat -n finds nothing")
        return figures


def check_budgets(run, figures, budgets, tolerance, skip=()):
    """Each figure measured (but those in skip), and at most its tolerance above its budget."""
    for name in CASES:
        if name in skip:
            continue
        value, budget = figures.get(name), budgets.get(name)
        run.check(value is not None, f"{name} measured")
        run.check(budget is not None, f"{name} has a budget in {os.path.basename(BUDGET_FILE)}")
        if value is None or budget is None:
            continue
        run.figure(name, value)
        if tolerance[name] is None:  # a single sample: reported only
            continue
        limit = int(budget * (1 + tolerance[name]))
        run.check(value <= limit, f"{name}: {value} <= {limit} instructions "
                  f"(budget {budget} + {tolerance[name]:.0%})")


def measure_linux():
    """The Linux guest's figures if BENCH_LINUX names a cache directory."""
    cache = os.environ.get("BENCH_LINUX")
    if not cache:
        return None, "not measured (./run bench --linux measures it in the same run)"
    figures, why = linux_bench.measure(cache, BENCH)
    if figures is None:
        print(f"bench: no Linux figures: {why}", file=sys.stderr)
        return None, f"not measured: {why}"
    return figures, f"Linux {why} guest, measured in this run under the same QEMU flags"


def report(figures, budgets):
    """The table on stdout and, if BENCH_JSON names a file, every figure there."""
    linux, note = measure_linux()
    ours = {name: figures[name] for name in CASES if name in figures}
    table = bench_report.rows(ours, budgets, linux)
    derived = bench_report.derived(ours)
    bench_report.print_table(table, note, derived)
    if os.environ.get("BENCH_JSON"):
        bench_report.write_json(os.environ["BENCH_JSON"], table, ours, linux, note, budgets,
                                derived)
        print(f" all figures: {os.environ['BENCH_JSON']}")


def main(run):
    budgets, tolerance = load_budgets()
    figures, skip = {}, set()
    if os.environ.get("BENCH_FAT") == "only":  # the FAT boot alone
        skip = {name for name in CASES if not name.startswith("fat_")}
    else:
        figures.update(collect(run))
        figures.update(collect_block(run))
    if os.environ.get("BENCH_TABLE") or os.environ.get("BENCH_FAT"):
        figures.update(collect_fat(run))
        if FAT_SUITE != "bench":  # a selection (README): only its figures are checked
            skip |= {name for name in CASES if name.startswith("fat_") and name not in figures}
    else:  # the suite: the FAT boot takes minutes (1,000 creates), ./run bench runs it
        skip = {name for name in CASES if name.startswith("fat_")}
    if os.environ.get("BENCH_TABLE"):
        figures.update(test_termbench.collect_term(run))
    else:  # the suite runs them as qemu-termbench, in parallel with this
        skip |= {name for name in CASES if name.startswith("term_")}
    check_budgets(run, figures, budgets, tolerance, skip)
    if os.environ.get("BENCH_TABLE"):
        report(figures, budgets)


if __name__ == "__main__":
    TestRun.main("qemu-bench", main)
