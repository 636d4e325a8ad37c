/* SPDX-License-Identifier: MIT */
/*
 * The bench suite: figures for block I/O through the protocol and the ahci
 * driver, printed as `BENCH <name> <value> ticks n=<k>` lines for ./run
 * bench (test/qemu/test_bench.py boots it on a BN_DISK_MIB image whose every
 * sector starts with its own LBA). Under -icount shift=0,sleep=off the TSC
 * counts guest instructions, but it also jumps over the time the guest
 * idles waiting for QEMU's device model, which runs outside the guest and
 * takes host time; so every figure counts the instructions the guest
 * executed: TSC minus the idle loop's halted TSC (SYS_KINFO idle_tsc).
 * Those are the same run after run; the device's own time is not in them.
 *
 *   block_read_per_mib, block_write_per_mib: 16 MiB sequential in 1 MiB
 *     requests (reads from LBA 0, writes of the guest's own stamps from
 *     16 MiB on, read back and checked), instructions per MiB: the cheapest
 *     request's, since whatever else the guest runs by guest time (the
 *     supervisor's heartbeats, the servers' ticks) lands in requests at
 *     random, the more of them the longer the host keeps the device busy
 *     (on a loaded host the median write went from 5,332 to 9,258), as the
 *     FAT bench does (test/guest/ftest/t_bench.c);
 *   block_commands_per_mib: commands the driver issued for those 16 MiB of
 *     reads (BLOCK_STATS), per MiB;
 *   block_random_4k_read: instructions of one 4 KiB read at a random
 *     sector-aligned place in the first 16 MiB (the median of BN_RANDOM;
 *     NOTE: reads per second of guest time at one instruction per
 *     nanosecond, the -icount rate);
 *   block_restart_latency: instructions from `svc fi ahci crash` until a
 *     read is served again by the new instance (median of BN_RESTARTS).
 */
#include <string.h>

#include "btest.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define BN_VA	    0x0000530000000000ull
#define BN_BUF	    (1024u * 1024)
#define BN_REQ	    (BN_BUF / 512) /* sectors per sequential request: 1 MiB */
#define BN_MIB	    16
#define BN_SPAN	    (BN_MIB * 2048u) /* sectors in 16 MiB */
#define BN_DISK_MIB 40		     /* what test_bench.py attaches */
#define BN_RANDOM   256
#define BN_RESTARTS 5

static struct block_client bn;
static uint8_t *const bnbuf = (uint8_t *)BN_VA;

/* Guest instructions so far: the TSC without the idle loop's halts. */
static uint64_t busy(void)
{
	struct kinfo k;

	sys_kinfo(&k);
	return sys_rdtsc() - k.idle_tsc;
}

static void bench_line(const char *name, uint64_t value, unsigned n)
{
	printf("BENCH %s %lu ticks n=%u\n", name, (unsigned long)value, n);
}

static long bn_connect(void)
{
	if (bn.ep)
		return E_OK;
	long err = bt_start_ahci();
	long ep = err < 0 ? err : ns_lookup_self("disk0");
	long m = ep < 0 ? ep : sys_mobj_create(BN_BUF, 0);

	err = m < 0 ? m
		    : sys_mobj_map(HANDLE_SELF, (handle_t)m, BN_VA, 0, BN_BUF, R_READ | R_WRITE);
	bn = (struct block_client){
		.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = 60000 * MS, .attempts = 8};
	return err;
}

/* Every sector of the buffer starts with its LBA (the host's image) or the stamp written. */
static bool sectors_hold(uint64_t lba, uint32_t count, uint64_t stamp)
{
	for (uint32_t s = 0; s < count; s++) {
		uint64_t want = stamp ? stamp ^ (lba + s) : lba + s, got;
		memcpy(&got, bnbuf + s * 512, 8);
		if (got != want)
			return false;
	}
	return true;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];
			v[j] = v[j - 1], v[j - 1] = x;
		}
	return v[n / 2];
}

static uint64_t cheapest(const uint64_t *v, unsigned n)
{
	uint64_t least = v[0];

	for (unsigned i = 1; i < n; i++)
		least = v[i] < least ? v[i] : least;
	return least;
}

/* 16 MiB of 1 MiB reads from `first`, checked; the cheapest request's instructions in *per_mib. */
static long read_span(uint64_t first, uint64_t stamp, uint64_t *per_mib)
{
	uint64_t spent[BN_MIB];

	for (uint32_t lba = 0; lba < BN_SPAN; lba += BN_REQ) {
		uint64_t t0 = busy();
		long err = block_read(&bn, first + lba, BN_REQ, 0);
		spent[lba / BN_REQ] = busy() - t0;
		if (err < 0)
			return err;
		if (!sectors_hold(first + lba, BN_REQ, stamp))
			return E_PROTO;
	}
	*per_mib = cheapest(spent, BN_MIB);
	return E_OK;
}

static long write_span(uint64_t first, uint64_t stamp, uint64_t *per_mib)
{
	uint64_t spent[BN_MIB];

	for (uint32_t lba = 0; lba < BN_SPAN; lba += BN_REQ) {
		for (uint32_t s = 0; s < BN_REQ; s++) {
			uint64_t v = stamp ^ (first + lba + s);
			memcpy(bnbuf + s * 512, &v, 8);
		}
		uint64_t t0 = busy();
		long err = block_write(&bn, first + lba, BN_REQ, 0);
		spent[lba / BN_REQ] = busy() - t0;
		if (err < 0)
			return err;
	}
	*per_mib = cheapest(spent, BN_MIB);
	return E_OK;
}

TEST(bench, block_bench_sequential, "16 MiB sequential reads and writes, commands per MiB")
{
	struct block_stats s0, s1;
	uint64_t read_mib, write_mib, check_mib, stamp = 0x5EED000000000000ull | sys_rdtsc();
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	T_OK(bn_connect());
	T_RETURN_IF_FAILED();
	T_OK(block_geometry(&bn, &g, model));
	T_EQ(g.sectors, BN_DISK_MIB * 2048u);
	T_ASSERT(g.max_sectors >= BN_REQ);
	T_RETURN_IF_FAILED();
	T_OK(block_stats(&bn, &s0));
	T_OK(read_span(0, 0, &read_mib));
	T_OK(block_stats(&bn, &s1));
	T_OK(write_span(BN_SPAN, stamp, &write_mib));
	T_OK(block_flush(&bn));
	T_OK(read_span(BN_SPAN, stamp, &check_mib)); /* what was written reads back */
	T_RETURN_IF_FAILED();
	T_EQ(s1.errors, s0.errors);
	bench_line("block_read_per_mib", read_mib, BN_MIB);
	bench_line("block_write_per_mib", write_mib, BN_MIB);
	bench_line("block_commands_per_mib", (s1.commands - s0.commands) / BN_MIB, BN_MIB);
}

TEST(bench, block_bench_random, "random 4 KiB reads in the first 16 MiB")
{
	static uint64_t samples[BN_RANDOM];
	uint64_t seed = 0x2545F491;

	T_OK(bn_connect());
	T_RETURN_IF_FAILED();
	for (int n = 0; n < BN_RANDOM; n++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		uint64_t lba = seed % (BN_SPAN - 8), t0 = busy();
		long err = block_read(&bn, lba, 8, 0);
		samples[n] = busy() - t0;
		T_OK(err);
		T_RETURN_IF_FAILED();
		T_ASSERT(sectors_hold(lba, 8, 0));
	}
	uint64_t per_read = median(samples, BN_RANDOM);
	bench_line("block_random_4k_read", per_read, BN_RANDOM);
	test_note("block_random_4k_reads_per_s", per_read ? 1000000000ull / per_read : 0, "reads");
}

TEST(bench, block_bench_restart, "restart: crash of ahci until a read is served again")
{
	uint64_t samples[BN_RESTARTS];
	long ctl = ns_lookup_self("svc");

	T_OK(bn_connect());
	T_ASSERT(ctl >= 0);
	T_RETURN_IF_FAILED();
	T_OK(block_read(&bn, 0, 8, 0));
	for (int i = 0; i < BN_RESTARTS; i++) {
		uint64_t t0 = busy();
		T_OK(svc_fault((handle_t)ctl, "ahci", SVC_FAULT_CRASH, SVC_CRASH_NULL_WRITE, 0));
		T_OK(block_read(&bn, 8, 8, 0)); /* waits for the new instance, attaches again */
		samples[i] = busy() - t0;
		T_RETURN_IF_FAILED();
		T_ASSERT(sectors_hold(8, 8, 0));
	}
	bench_line("block_restart_latency", median(samples, BN_RESTARTS), BN_RESTARTS);
}
