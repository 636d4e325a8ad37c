/* SPDX-License-Identifier: MIT */
/*
 * The bench suite: figures for block I/O through the protocol and the ahci
 * driver, as NOTE lines. Under -icount (test_ahci.py runs so) the TSC
 * counts guest instructions, so *_insn_per_mib are instruction counts of
 * the whole path (client stub, IPC, driver, bounce copy, QEMU's device
 * model is outside the guest, and a guest idle waiting for the device is
 * warped to its next timer, so the figures are guest TSC, instructions
 * plus those waits); 16 MiB sequential read over disk0's first half, 16 MiB
 * of writes of the guest's own pattern to LBA 2048-2559 (what
 * block.block_write_flush left there, so the host's check still holds),
 * 4 KiB reads at random sector-aligned places per second of guest
 * time. Commands per MiB follow from the 128 KiB bounce buffer: 8.
 */
#include "btest.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define BN_VA		      0x0000530000000000ull
#define BN_BUF		      (1024u * 1024)
#define BN_HALF		      2048u /* sectors: 1 MiB */
#define BN_ROUNDS	      16
#define BN_RANDOM	      256
#define BT_GUEST_BYTE(lba, i) ((uint8_t)(((lba)*5 + (i)) ^ 0x5A))

static struct block_client bn;
static uint8_t *const bnbuf = (uint8_t *)BN_VA;

static long bn_connect(void)
{
	long err = bt_start_ahci();
	long ep = err < 0 ? err : ns_lookup_self("disk0");
	long m = ep < 0 ? ep : sys_mobj_create(BN_BUF, 0);

	err = m < 0 ? m
		    : sys_mobj_map(HANDLE_SELF, (handle_t)m, BN_VA, 0, BN_BUF, R_READ | R_WRITE);
	bn = (struct block_client){
		.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = 10000 * MS};
	return err;
}

/* 16 MiB through 256 KiB requests: reads over the first half, writes to LBA 2048-2559. */
static long sequential(bool write, uint64_t *per_mib)
{
	uint64_t t0 = sys_rdtsc();

	for (int r = 0; r < BN_ROUNDS; r++)
		for (uint32_t lba = 0; lba < BN_HALF; lba += 512) {
			long err =
				write ? block_write(&bn, BN_HALF, 512, 0) /* clear of t_restart's */
				      : block_read(&bn, lba, 512, 0);
			if (err < 0)
				return err;
		}
	*per_mib = (sys_rdtsc() - t0) / BN_ROUNDS;
	return E_OK;
}

TEST(bench, block_bench, "16 MiB sequential read and write, random 4 KiB reads")
{
	uint64_t read_mib, write_mib, seed = 0x2545F491;

	T_OK(bn_connect());
	T_RETURN_IF_FAILED();
	for (uint32_t i = 0; i < BN_BUF; i++)
		bnbuf[i] = BT_GUEST_BYTE(BN_HALF + i / 512, i % 512);
	T_OK(sequential(true, &write_mib));
	T_OK(sequential(false, &read_mib));
	T_RETURN_IF_FAILED();
	uint64_t t0 = sys_clock();
	for (int n = 0; n < BN_RANDOM; n++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		T_OK(block_read(&bn, seed % (2 * BN_HALF - 8), 8, 0));
		T_RETURN_IF_FAILED();
	}
	uint64_t ns = sys_clock() - t0;
	test_note("block_read_tsc_per_mib", read_mib, "cycles");
	test_note("block_write_tsc_per_mib", write_mib, "cycles");
	test_note("block_commands_per_mib", (1u << 20) / (128u * 1024), "commands"); /* bounce */
	test_note("block_random_4k_reads_per_s", ns ? BN_RANDOM * 1000000000ull / ns : 0, "reads");
}
