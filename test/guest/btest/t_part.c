/* SPDX-License-Identifier: MIT */
/*
 * The part suite: disk0 carries an MBR that mtools' mpartition wrote on
 * the host (test/qemu/test_ahci_part.py): partition 1 at LBA 64, 2048
 * sectors, and partition 2 at LBA 4096, 1024 sectors, both filled with the
 * host's pattern by disk LBA. Each is its own block device, disk0p1 and
 * disk0p2, holding exactly its sectors: read back at the right place,
 * nothing past its end, and a write to its last sector lands there on the
 * disk (the host checks after QEMU exits).
 */
#include <string.h>

#include "btest.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define BT_PART_VA	      0x0000520000000000ull
#define BT_PART_BUF	      (64u * 1024)
#define BT_HOST_BYTE(lba, i)  ((uint8_t)((lba)*7 + (i)*13 + ((lba) >> 8)))
#define BT_GUEST_BYTE(lba, i) ((uint8_t)(((lba)*5 + (i)) ^ 0x5A))

static uint8_t *const pbuf = (uint8_t *)BT_PART_VA;
static handle_t pmobj;

static long part_client(const char *name, struct block_client *c)
{
	long err = bt_start_ahci();
	long ep = err < 0 ? err : ns_lookup_self(name);

	if (ep < 0)
		return ep;
	if (!pmobj) {
		long m = sys_mobj_create(BT_PART_BUF, 0);
		err = m < 0 ? m
			    : sys_mobj_map(HANDLE_SELF, (handle_t)m, BT_PART_VA, 0, BT_PART_BUF,
					   R_READ | R_WRITE);
		if (err < 0)
			return err;
		pmobj = (handle_t)m;
	}
	*c = (struct block_client){.ep = (handle_t)ep, .buffer = pmobj, .timeout = 60000 * MS};
	return E_OK;
}

/* The whole partition read back: the host's pattern at its place on the disk. */
static void check_partition(struct test_ctx *t, const char *name, uint64_t first, uint64_t sectors)
{
	struct block_client c;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];
	uint32_t per = BT_PART_BUF / 512;

	T_OK(part_client(name, &c));
	T_RETURN_IF_FAILED();
	T_OK(block_geometry(&c, &g, model));
	T_EQ(g.sectors, sectors);
	for (uint64_t lba = 0; lba < sectors; lba += per) {
		T_OK(block_read(&c, lba, per, 0));
		T_RETURN_IF_FAILED();
		for (uint32_t i = 0; i < BT_PART_BUF; i++)
			if (pbuf[i] != BT_HOST_BYTE(first + lba + i / 512, i % 512)) {
				T_FAIL("%s LBA %llu byte %u", name,
				       (unsigned long long)(lba + i / 512), i % 512);
				return;
			}
	}
	T_EQ(block_read(&c, sectors, 1, 0), E_RANGE);
	T_EQ(block_read(&c, sectors - 1, 2, 0), E_RANGE);
}

TEST(part, part_read, "disk0p1 and disk0p2 hold exactly their sectors of disk0")
{
	check_partition(t, "disk0p1", 64, 2048);
	check_partition(t, "disk0p2", 4096, 1024);
}

TEST(part, part_write_last, "a write to disk0p1's last sector lands at disk LBA 2111")
{
	struct block_client c;

	T_OK(part_client("disk0p1", &c));
	T_RETURN_IF_FAILED();
	for (uint32_t i = 0; i < 512; i++)
		pbuf[i] = BT_GUEST_BYTE(2111u, i);
	T_OK(block_write(&c, 2047, 1, 0));
	T_EQ(block_write(&c, 2048, 1, 0), E_RANGE);
	T_OK(block_flush(&c));
}
