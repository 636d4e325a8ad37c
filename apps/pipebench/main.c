/* SPDX-License-Identifier: MIT */
/*
 * pipebench: what a stream (proto/stream.h) costs between two programs,
 * in TSC ticks, which under QEMU -icount shift=0,sleep=off are guest
 * instructions (halted time taken out: SYS_KINFO idle_tsc). It starts a
 * copy of itself ("pipebench child") with two streams, data as its stdin
 * and acks as its stdout; the child reads stdin and writes one byte back
 * for every 4 KiB. Two figures, printed as BENCH lines like ipcbench's:
 *   stream_4k_roundtrip  4 KiB down, 1 byte back (the median of many),
 *                        the same job as Linux's pipe_4k
 *   stream_bulk_per_kib  1 MiB down in 4 KiB writes, then its acks,
 *                        per KiB: throughput with the ring kept busy
 * Run: run=pipebench (a boot module) with -icount, or `pipebench` in sh.
 */
#include <string.h>

#include "proto/loader.h"
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/syscall.h"

#define CHUNK	   4096u
#define ROUNDS	   300
#define WARMUP	   20
#define BULK_BYTES (1024u * 1024u)

static uint8_t chunk[CHUNK];
static uint64_t samples[ROUNDS];

/* Executed instructions so far (TSC less the idle loop's). */
static uint64_t now(void)
{
	struct kinfo k;

	sys_kinfo(&k);
	return sys_rdtsc() - k.idle_tsc;
}

static int child(void)
{
	size_t got = 0;
	long n;

	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0)
		for (got += (size_t)n; got >= CHUNK; got -= CHUNK)
			if (write(STDOUT_FILENO, "k", 1) < 0)
				return 1;
	return n < 0 ? 1 : 0;
}

/* The child with data's read end as stdin and acks' write end as stdout. */
static long start_child(handle_t data_rd, handle_t ack_wr)
{
	handle_t loader = start_handle("parent", NULL);
	const char *argv[] = {"child"};
	const struct loader_exec_handle hs[] = {{"stdin", data_rd}, {"stdout", ack_wr}};
	uint64_t size;
	int elf_err;

	long image = loader_image(loader, "pipebench", &size);
	if (image < 0)
		return image;
	const struct loader_exec_args x = {(handle_t)image, size, "pipebench", 1, argv, 10, 2, hs,
					   TIMEOUT_NEVER};
	long p = loader_exec(loader, &x, &elf_err);
	sys_handle_close((handle_t)image);
	return p;
}

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort: a few hundred samples */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static long round_trip(struct stream *data, struct stream *ack)
{
	char k;
	long err = stream_write(data, chunk, CHUNK);

	return err < 0 ? err : stream_read(ack, &k, 1);
}

static long measure(struct stream *data, struct stream *ack)
{
	char acks[BULK_BYTES / CHUNK];
	long err = 0;

	for (int i = 0; i < WARMUP + ROUNDS && err >= 0; i++) {
		uint64_t t0 = now();
		err = round_trip(data, ack);
		if (i >= WARMUP)
			samples[i - WARMUP] = now() - t0;
	}
	if (err < 0)
		return err;
	printf("BENCH stream_4k_roundtrip %lu ticks n=%d\n", (unsigned long)median(samples, ROUNDS),
	       ROUNDS);
	uint64_t t0 = now();
	for (unsigned i = 0; i < BULK_BYTES / CHUNK && err >= 0; i++)
		err = stream_write(data, chunk, CHUNK);
	for (size_t got = 0; got < sizeof(acks) && err >= 0; got += (size_t)err)
		err = stream_read(ack, acks + got, sizeof(acks) - got);
	if (err < 0)
		return err;
	printf("BENCH stream_bulk_per_kib %lu ticks n=%u\n",
	       (unsigned long)((now() - t0) / (BULK_BYTES / 1024)), BULK_BYTES / 1024);
	return E_OK;
}

int main(int argc, char **argv)
{
	handle_t data_rd, data_wr, ack_rd, ack_wr;
	struct stream data, ack;
	int64_t code = 0;

	if (argc == 1 && strcmp(argv[0], "child") == 0)
		return child();
	long err = stream_pair(stream_server(), &data_rd, &data_wr);
	if (err == E_OK)
		err = stream_pair(stream_server(), &ack_rd, &ack_wr);
	long p = err == E_OK ? start_child(data_rd, ack_wr) : err;
	if (p < 0) {
		printf("pipebench: cannot start: %s\n", sys_error_name(p));
		return 1;
	}
	sys_handle_close(data_rd); /* the child's now */
	sys_handle_close(ack_wr);
	err = stream_open(&data, data_wr);
	if (err == E_OK)
		err = stream_open(&ack, ack_rd);
	if (err == E_OK)
		err = measure(&data, &ack);
	stream_close(&data); /* the child reads end-of-stream and ends */
	sys_process_wait((handle_t)p, TIMEOUT_NEVER, &code);
	if (err != E_OK || code != 0)
		printf("pipebench: %s, child exit %ld\n", sys_error_name(err), (long)code);
	return err == E_OK && code == 0 ? 0 : 1;
}
