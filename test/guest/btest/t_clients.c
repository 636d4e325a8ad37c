/* SPDX-License-Identifier: MIT */
/*
 * The clients suite: two processes on disk0 at once. The test starts a
 * second btest as a child ("client" as argv[0]), which writes the guest's
 * pattern over LBA 3584-4095 in 64 KiB requests and reads each back, while
 * this process reads the host's half in 256 KiB requests and checks it;
 * each has its own buffer and badge, so the driver has requests of both in
 * flight. Both must see only right data, and the child must exit with 0.
 * The sectors the child writes already hold that pattern (block_write_flush
 * wrote it), so the host's check of the image after QEMU exits still holds.
 */
#include <string.h>

#include "btest.h"
#include "proto/block.h"
#include "proto/loader.h"
#include "proto/ns.h"
#include "sys/start.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define BC_VA		      0x0000540000000000ull
#define BC_FIRST	      3584u
#define BC_SECTORS	      512u
#define BC_CHUNK	      128u /* the child's requests: 64 KiB */
#define BC_READ		      512u /* the parent's: 256 KiB */
#define BC_BUF		      (BC_READ * 512u)
#define BC_ROUNDS	      8
#define BC_WAIT		      (60000 * MS)
#define BT_HOST_BYTE(lba, i)  ((uint8_t)((lba)*7 + (i)*13 + ((lba) >> 8)))
#define BT_GUEST_BYTE(lba, i) ((uint8_t)(((lba)*5 + (i)) ^ 0x5A))

static uint8_t *const cbuf = (uint8_t *)BC_VA;

static long open_disk0(struct block_client *c)
{
	long ep = ns_lookup_self("disk0");
	long m = ep < 0 ? ep : sys_mobj_create(BC_BUF, 0);
	long err =
		m < 0 ? m
		      : sys_mobj_map(HANDLE_SELF, (handle_t)m, BC_VA, 0, BC_BUF, R_READ | R_WRITE);

	*c = (struct block_client){.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = BC_WAIT};
	return err;
}

/* One round of the child: every chunk of its sectors written, read back and compared. */
static long child_round(struct block_client *c)
{
	for (uint32_t lba = BC_FIRST; lba < BC_FIRST + BC_SECTORS; lba += BC_CHUNK) {
		for (uint32_t i = 0; i < BC_CHUNK * 512; i++)
			cbuf[i] = BT_GUEST_BYTE(lba + i / 512, i % 512);
		long err = block_write(c, lba, BC_CHUNK, 0);
		if (err == E_OK) {
			memset(cbuf, 0, BC_CHUNK * 512);
			err = block_read(c, lba, BC_CHUNK, 0);
		}
		for (uint32_t i = 0; err == E_OK && i < BC_CHUNK * 512; i++)
			if (cbuf[i] != BT_GUEST_BYTE(lba + i / 512, i % 512))
				err = E_PROTO;
		if (err < 0)
			return err;
	}
	return E_OK;
}

int bt_client_main(int argc, char **argv)
{
	struct block_client c;
	long err = open_disk0(&c);

	(void)argc, (void)argv;
	for (int r = 0; err == E_OK && r < BC_ROUNDS; r++)
		err = child_round(&c);
	return err == E_OK ? 0 : 1;
}

TEST(block, block_two_processes, "a second process writes its sectors while this one reads")
{
	struct block_client c;
	const char *argv[] = {"client"};
	int64_t code = -1;
	uint64_t reads = 0;

	T_OK(bt_start_ahci());
	T_OK(open_disk0(&c));
	T_RETURN_IF_FAILED();
	long p = loader_spawn(start_handle("parent", NULL), "btest", 1, argv, 10, HANDLE_INVALID,
			      NULL);
	T_ASSERT(p >= 0);
	T_RETURN_IF_FAILED();
	long err = E_TIMEOUT;
	for (uint32_t lba = 0; err == E_TIMEOUT; lba = (lba + BC_READ) % 2048, reads++) {
		T_OK(block_read(&c, lba, BC_READ, 0));
		for (uint32_t i = 0; i < BC_BUF; i++)
			if (cbuf[i] != BT_HOST_BYTE(lba + i / 512, i % 512)) {
				T_FAIL("LBA %u byte %u", lba + i / 512, i % 512);
				break;
			}
		T_RETURN_IF_FAILED();
		err = sys_process_wait((handle_t)p, 0, &code);
	}
	T_OK(err);
	T_EQ(code, 0);
	T_ASSERT(reads > 1);
	sys_handle_close((handle_t)p);
	test_note("two_processes_parent_reads", reads, "requests");
}
