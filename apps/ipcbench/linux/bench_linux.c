/* SPDX-License-Identifier: MIT */
/*
 * ipcbench for Linux: the same kinds of round trip as apps/ipcbench, run as
 * /init of a tiny initramfs in a Linux guest under QEMU -icount shift=0, where
 * one TSC tick is one executed guest instruction. Built by the host's gcc
 * (-static -O2) from test/qemu/linux_bench.py for `./run bench --linux`.
 *
 * Each case is timed BENCH_ITERATIONS times with RDTSC around one operation;
 * the median, less the cost of the two RDTSCs, is printed in ipcbench's own
 * line format, `BENCH <name> <median> ticks n=<count>`. Peers of a round
 * trip are two processes pinned to CPU 0. The guest then powers off.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_ITERATIONS 2000
#define BENCH_WARMUP	 100
#define BULK_BYTES	 4096
#define DEBUG_EXIT_PORT	 0xf4

typedef void (*bench_fn)(void);

static uint64_t samples[BENCH_ITERATIONS];
static uint64_t overhead;
static int to_peer, from_peer;	     /* the parent's ends of the current pair */
static _Atomic uint32_t *futex_word; /* shared by the futex and yield pairs */
static char bulk[BULK_BYTES];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t measure(bench_fn fn)
{
	for (int i = 0; i < BENCH_WARMUP; i++)
		fn();
	for (int i = 0; i < BENCH_ITERATIONS; i++) {
		uint64_t t0 = rdtsc();
		fn();
		uint64_t t1 = rdtsc();
		samples[i] = t1 - t0;
	}
	qsort(samples, BENCH_ITERATIONS, sizeof(samples[0]), cmp_u64);
	uint64_t med = samples[BENCH_ITERATIONS / 2];
	return med > overhead ? med - overhead : 0;
}

static void report(const char *name, bench_fn fn)
{
	printf("BENCH %s %llu ticks n=%d\n", name, (unsigned long long)measure(fn),
	       BENCH_ITERATIONS);
	fflush(stdout);
}

static void nothing(void)
{
}

static void null_syscall(void)
{
	syscall(SYS_getppid); /* glibc caches nothing here: always a real trap */
}

/* Moves exactly len bytes, whatever the sizes of the single reads or writes. */
static void move_all(int fd, char *buf, size_t len, int writing)
{
	while (len > 0) {
		ssize_t n = writing ? write(fd, buf, len) : read(fd, buf, len);
		if (n <= 0)
			_exit(1);
		buf += n;
		len -= (size_t)n;
	}
}

static void byte_round_trip(void)
{
	char c = 1;
	move_all(to_peer, &c, 1, 1);
	move_all(from_peer, &c, 1, 0);
}

static void bulk_round_trip(void)
{
	char ack;
	move_all(to_peer, bulk, BULK_BYTES, 1);
	move_all(from_peer, &ack, 1, 0);
}

/* The peer of byte_round_trip and bulk_round_trip: echo one byte per len. */
static void echo_peer(int in, int out, size_t len)
{
	static char buf[BULK_BYTES];
	for (;;) {
		move_all(in, buf, len, 0);
		move_all(out, buf, 1, 1);
	}
}

/* Runs peer(in, out) in a child; the parent talks through to_peer/from_peer. */
static pid_t start_peer(int down[2], int up[2], size_t len)
{
	pid_t pid = fork();
	if (pid == 0) {
		echo_peer(down[0], up[1], len);
		_exit(0);
	}
	to_peer = down[1];
	from_peer = up[0];
	return pid;
}

static void stop_peer(pid_t pid, int fds[4])
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
}

static void run_pipe_case(const char *name, bench_fn fn, size_t len)
{
	int fds[4];
	if (pipe(fds) || pipe(fds + 2))
		return;
	pid_t pid = start_peer(fds, fds + 2, len);
	report(name, fn);
	stop_peer(pid, fds);
}

static void run_socket_case(void)
{
	int fds[4];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		return;
	fds[2] = dup(fds[1]);
	fds[3] = dup(fds[0]);
	int down[2] = {fds[1], fds[0]}, up[2] = {fds[3], fds[2]};
	pid_t pid = start_peer(down, up, 1); /* child reads and writes fds[1] */
	report("unix_roundtrip", byte_round_trip);
	stop_peer(pid, fds);
}

static void futex_call(int op, uint32_t val)
{
	syscall(SYS_futex, futex_word, op, val, NULL, NULL, 0);
}

/* Sets the shared word to `to` and wakes the other side. */
static void futex_post(uint32_t to)
{
	atomic_store(futex_word, to);
	futex_call(FUTEX_WAKE, 1);
}

static void futex_await(uint32_t value)
{
	uint32_t seen;
	while ((seen = atomic_load(futex_word)) != value)
		futex_call(FUTEX_WAIT, seen);
}

static void futex_round_trip(void)
{
	futex_post(1);
	futex_await(0);
}

static void run_futex_case(void)
{
	atomic_store(futex_word, 0);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			futex_await(1);
			futex_post(0);
		}
	}
	report("futex_roundtrip", futex_round_trip);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Hands the turn to the other process and yields until it is handed back. */
static void yield_until(uint32_t turn)
{
	while (atomic_load(futex_word) != turn)
		sched_yield();
}

static void yield_round_trip(void)
{
	atomic_store(futex_word, 1);
	yield_until(0);
}

/* Ping-pong on a shared word: each side runs only when the other yields. */
static void run_yield_case(void)
{
	atomic_store(futex_word, 0);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			yield_until(1);
			atomic_store(futex_word, 0);
		}
	}
	report("yield_roundtrip", yield_round_trip);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0) /* no ACPI: isa-debug-exit */
		outb(0x10, DEBUG_EXIT_PORT);
	for (;;)
		pause();
}

int main(void)
{
	pin_to_cpu0();
	futex_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (futex_word == MAP_FAILED)
		return 1;
	overhead = 0;
	overhead = measure(nothing);
	printf("BENCH rdtsc_pair %llu ticks n=%d\n", (unsigned long long)overhead,
	       BENCH_ITERATIONS);
	report("null_syscall", null_syscall);
	run_pipe_case("pipe_roundtrip", byte_round_trip, 1);
	run_futex_case();
	run_socket_case();
	run_yield_case();
	run_pipe_case("pipe_4k", bulk_round_trip, BULK_BYTES);
	printf("BENCH done\n");
	fflush(stdout);
	if (getpid() == 1)
		power_off();
	return 0;
}
