# SPDX-License-Identifier: MIT
"""The table and the JSON file of `./run bench`: each of our figures beside
the Linux guest's figure for the same job measured in the same run (when
`--linux` ran it), seL4's published figure, and the ratio of ours to the
best peer. test_bench.py measures; this module only arranges.

All figures are guest instructions per operation under QEMU TCG with
-icount shift=0,sleep=off. seL4's are sel4bench results in that QEMU
setting quoted from the design brief: published, not measured here."""

import json

# Our cases: name -> what the figure measures.
CASES = {
    "null_syscall": "null syscall",
    "call_reply_xas_0w": "call + reply, other address space, 0 words",
    "call_reply_xas_timeout": "call + reply, other address space, a 5 s timeout",
    "call_reply_xas_6w": "call + reply, other address space, 6 words",
    "call_reply_sas_0w": "call + reply, same address space, 0 words",
    "call_reply_sas_6w": "call + reply, same address space, 6 words",
    "ntfn_roundtrip_xas": "signal -> wait round trip, two processes",
    "copy_4k_ipcbuf": "4 KiB through the IPC buffer (2 x 2 KiB calls)",
    "copy_4k_shm": "4 KiB through shared memory (+ one call)",
    "yield_roundtrip": "yield ping-pong, two processes (round trip)",
    "yield_oneway": "yield to another process, one way",
    "signal_oneway": "signal to a higher-priority waiting process, one way",
    "restart_latency": "restart: crash until the new instance answers",
    "irq_to_driver": "interrupt entry until the driver thread runs",
    "block_read_per_mib": "block: 16 MiB sequential read, per MiB",
    "block_write_per_mib": "block: 16 MiB sequential write, per MiB",
    "block_commands_per_mib": "block: device commands per MiB read (count)",
    "block_random_4k_read": "block: one random 4 KiB read",
    "block_restart_latency": "block: ahci crash until a read is served",
    "fat_read_per_mib": "fat: 64 MiB file read sequentially, per MiB",
    "fat_raw_read_per_mib": "fat disk: as many bytes read raw (block), per MiB",
    "fat_write_per_mib": "fat: 64 MiB file written sequentially, per MiB",
    "fat_raw_write_per_mib": "fat disk: as many bytes written raw (block), per MiB",
    "fat_read_first_mib": "fat: the file's first 1 MiB read (one-off work in it)",
    "fat_read_file_per_mib": "fat: the whole 64 MiB read, all its work, per MiB",
    "fat_raw_read_file_per_mib": "fat disk: as many bytes read raw, the same way",
    "fat_write_fsync": "fat: the fsync after writing 64 MiB",
    "fat_raw_write_flush": "fat disk: the flush after 64 MiB written raw",
    "fat_create_per_file": "fat: 1,000 files created in one directory, per file",
    "fat_list_per_entry": "fat: that directory listed, per entry",
    "fat_restart_latency": "fat: crash until the new instance answers",
    "desk_compose_full": "desktop: 1024x768 composed, five windows (goal 3,000,000)",
    "desk_cursor_move": "desktop: 16x16 cursor moved, 2 x 1 KiB to the screen (goal 60,000)",
    "desk_drag_frame": "desktop: one frame of a 400x300 window dragged 10 px",
    "desk_resize_frame": "desktop: one frame of a resize outline moved 10 px",
    "desk_text_80": "desktop: 80 characters of text by the gui library",
    "stream_4k_roundtrip": "stream: 4 KiB down, 1 byte back, two programs (pipebench)",
    "stream_bulk_per_kib": "stream: 1 MiB in 4 KiB writes, per KiB (pipebench)",
    "term_echo_latency": "terminal: key's xHCI interrupt to its echo on the screen",
    "term_cat_per_kib": "terminal: cat of a 1 MiB file shown, per KiB",
    "term_restart": "terminal: crash until the new sh's prompt is shown",
}

# apps/ipcbench/linux/bench_linux.c's cases: name -> (short label, what it measures).
LINUX_CASES = {
    "null_syscall": ("getppid", "syscall(SYS_getppid)"),
    "pipe_roundtrip": ("pipe 1 B", "1 byte there and back over two pipes, two processes"),
    "futex_roundtrip": ("futex", "FUTEX_WAKE + FUTEX_WAIT there and back, two processes"),
    "unix_roundtrip": ("unix 1 B", "1 byte there and back over a Unix stream socketpair"),
    "yield_roundtrip": ("yield", "sched_yield ping-pong on a shared word, two processes"),
    "pipe_4k": ("pipe 4 KiB", "4 KiB down a pipe, 1 byte back, two processes"),
}

# Our case -> (the Linux case doing the same job, seL4's published figure).
PEERS = {
    "null_syscall": ("null_syscall", 89),
    "call_reply_xas_0w": ("pipe_roundtrip", 395),
    "ntfn_roundtrip_xas": ("futex_roundtrip", None),
    "copy_4k_ipcbuf": ("pipe_4k", None),
    "copy_4k_shm": ("pipe_4k", None),
    "stream_4k_roundtrip": ("pipe_4k", None),
    "yield_roundtrip": ("yield_roundtrip", None),
    "yield_oneway": (None, 270),
    "signal_oneway": (None, 667),
}

# Linux cases with no figure of ours yet, with seL4's published figure.
LINUX_ONLY = {
    "unix_roundtrip": ("Unix socket round trip, 1 byte", None),
}

# seL4's published figures with no row of their own (none now: its process
# yield and its signal to a higher-priority process are one way, like ours).
SEL4_UNPAIRED = {}

SEL4_NOTE = ("seL4: published sel4bench figures (design brief), not measured here; "
             "its yield and signal figures are one way")


def derived(ours):
    """Figures computed from ours: random 4 KiB reads per second of guest time, at -icount's
    one instruction per nanosecond (the device's own time is not in it); the FAT server's
    sequential read and write as a ratio of raw block I/O of as many bytes (goal 0.8); the
    terminal's and a stream's throughput in bytes per 1,000 instructions."""
    out = {}
    per_read = ours.get("block_random_4k_read")
    if per_read:
        out["block_random_4k_reads_per_s"] = round(1e9 / per_read)
    for kind in ("read", "write"):
        fat, raw = ours.get(f"fat_{kind}_per_mib"), ours.get(f"fat_raw_{kind}_per_mib")
        if fat and raw:
            out[f"fat_{kind}_ratio_to_raw"] = round(raw / fat, 3)
    fat, raw = ours.get("fat_read_file_per_mib"), ours.get("fat_raw_read_file_per_mib")
    if fat and raw:
        out["fat_read_file_ratio_to_raw"] = round(raw / fat, 3)
    for case, name in (("term_cat_per_kib", "term_cat"), ("stream_bulk_per_kib", "stream_bulk")):
        if ours.get(case):
            out[f"{name}_bytes_per_1000_instructions"] = round(1024 * 1000 / ours[case], 1)
    return out


def _best_peer(linux, sel4):
    peers = [(v, who) for v, who in ((linux, "Linux"), (sel4, "seL4")) if v]
    return min(peers) if peers else (None, None)


def _row(case, text, ours, budget, linux_case, linux, sel4):
    best, who = _best_peer(linux.get(linux_case) if linux_case else None, sel4)
    return {"case": case, "text": text, "ours": ours, "budget": budget,
            "linux_case": linux_case, "linux": linux.get(linux_case) if linux_case else None,
            "sel4_published": sel4, "best_peer": who,
            "ratio_to_best_peer": round(ours / best, 3) if ours and best else None}


def rows(ours, budgets, linux):
    """One row per case of ours, then the Linux cases we have no figure for."""
    table = []
    for case, text in CASES.items():
        linux_case, sel4 = PEERS.get(case, (None, None))
        table.append(_row(case, text, ours.get(case), budgets.get(case), linux_case,
                          linux or {}, sel4))
    for case, (text, sel4) in LINUX_ONLY.items():
        table.append(_row(None, text, None, None, case, linux or {}, sel4))
    return table


def _cell(value):
    return "-" if value is None else str(value)


def print_table(table, linux_note, extra=None):
    print(f"{'case':<46} {'ours':>7} {'budget':>7} {'Linux':>7} {'(job)':<10} "
          f"{'seL4':>5} {'ours/best peer':>15}")
    for r in table:
        job = LINUX_CASES[r["linux_case"]][0] if r["linux_case"] else ""
        ratio = f"{r['ratio_to_best_peer']:.2f} {r['best_peer']}" if r["ratio_to_best_peer"] else ""
        print(f"{r['text']:<46} {_cell(r['ours']):>7} {_cell(r['budget']):>7} "
              f"{_cell(r['linux']):>7} {job:<10} {r['sel4_published'] or '':>5} {ratio:>15}")
    print("(guest instructions per operation under QEMU TCG -icount shift=0,sleep=off, one CPU)")
    print(f" Linux: {linux_note}")
    print(f" {SEL4_NOTE}")
    for kind in ("read", "write"):
        if extra and f"fat_{kind}_ratio_to_raw" in extra:
            print(f" fat: sequential {kind} at {extra[f'fat_{kind}_ratio_to_raw']:.2f} of raw "
                  "block I/O of as many bytes (raw instructions / the server's; goal 0.8)")
        if kind == "read" and extra and "fat_read_file_ratio_to_raw" in extra:
            print(f"      the whole file, every request's work (map building, the first "
                  f"request): {extra['fat_read_file_ratio_to_raw']:.2f}")
    for name, what in (("term_cat", "terminal: cat of 1 MiB"), ("stream_bulk", "stream: bulk")):
        if extra and f"{name}_bytes_per_1000_instructions" in extra:
            print(f" {what} at {extra[f'{name}_bytes_per_1000_instructions']} bytes per 1,000 "
                  "instructions")
    if extra and "block_random_4k_reads_per_s" in extra:
        print(f" block: {extra['block_random_4k_reads_per_s']} random 4 KiB reads per second of "
              "guest time (10^9 / instructions per read; the device's own time is not in it)")


def write_json(path, table, ours, linux, linux_note, budgets, extra=None):
    """Every figure of the run, for plots and regression checks."""
    doc = {"unit": "guest instructions per operation (QEMU TCG, -icount shift=0,sleep=off)",
           "ours": ours, "derived": extra or {}, "budgets": budgets, "linux": linux,
           "linux_note": linux_note,
           "linux_cases": {k: v[1] for k, v in LINUX_CASES.items()},
           "sel4_published": {r["case"] or r["linux_case"]: r["sel4_published"]
                              for r in table if r["sel4_published"]} | SEL4_UNPAIRED,
           "rows": table}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
