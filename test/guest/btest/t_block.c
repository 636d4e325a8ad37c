/* SPDX-License-Identifier: MIT */
/*
 * The block suite: disk0 (a 2 MiB raw image the host filled with
 * BT_HOST_BYTE) is identified as QEMU's disk, read back exactly, its second
 * half overwritten with BT_GUEST_BYTE and flushed (the host compares it
 * after QEMU exits), and every bad request and bad buffer is refused with
 * its error while the driver keeps serving.
 */
#include <string.h>

#include "btest.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define BT_SECTORS	      4096u /* the image test_ahci.py makes: 2 MiB */
#define BT_BUF		      (256u * 1024)
#define BT_BUF_VA	      0x0000500000000000ull
#define BT_START_MS	      5000
#define BT_TIMEOUT	      (60000 * MS) /* past the driver's 30 s command timeout */
#define BT_HOST_BYTE(lba, i)  ((uint8_t)((lba)*7 + (i)*13 + ((lba) >> 8)))
#define BT_GUEST_BYTE(lba, i) ((uint8_t)(((lba)*5 + (i)) ^ 0x5A))

static struct block_client client;
static uint8_t *buf = (uint8_t *)BT_BUF_VA;

long bt_start_ahci(void)
{
	long ctl = ns_lookup_self("svc");
	struct svc_entry e;

	if (ctl < 0)
		return ctl;
	long err = svc_control((handle_t)ctl, SVC_START, "ahci");
	for (unsigned ms = 0; err == E_OK && ms < BT_START_MS; ms += 10) {
		err = svc_status((handle_t)ctl, "ahci", &e);
		if (err == E_OK && e.state == SVC_RUNNING)
			return E_OK;
		sys_sleep(10 * MS);
	}
	return err == E_OK ? E_TIMEOUT : err;
}

/* disk0 and a buffer for it, once. */
static long connect(void)
{
	if (client.ep)
		return E_OK;
	long err = bt_start_ahci();
	long ep = err < 0 ? err : ns_lookup_self("disk0");
	long m = ep < 0 ? ep : sys_mobj_create(BT_BUF, 0);
	if (m < 0)
		return m;
	err = sys_mobj_map(HANDLE_SELF, (handle_t)m, BT_BUF_VA, 0, BT_BUF, R_READ | R_WRITE);
	if (err < 0)
		return err;
	client = (struct block_client){
		.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = BT_TIMEOUT};
	return E_OK;
}

TEST(block, block_geometry, "disk0 is the host's 2 MiB image on QEMU's disk")
{
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	T_OK(connect());
	T_RETURN_IF_FAILED();
	T_OK(block_geometry(&client, &g, model));
	T_EQ(g.sector_size, 512);
	T_EQ(g.sectors, BT_SECTORS);
	T_ASSERT(g.max_sectors >= 8);
	T_ASSERT(strncmp(model, "QEMU", 4) == 0);
}

/* Sectors first..first+count-1 of the buffer against pattern `guest` (0: the host's). */
static bool matches(struct test_ctx *t, uint32_t first, uint32_t count, bool guest)
{
	for (uint32_t s = 0; s < count; s++)
		for (uint32_t i = 0; i < 512; i++) {
			uint32_t lba = first + s;
			uint8_t want = guest ? BT_GUEST_BYTE(lba, i) : BT_HOST_BYTE(lba, i);
			if (buf[s * 512 + i] != want) {
				T_FAIL("LBA %u byte %u: %u, not %u", lba, i, buf[s * 512 + i],
				       want);
				return false;
			}
		}
	return true;
}

TEST(block, block_read_host_pattern, "every sector the host wrote reads back exactly")
{
	uint32_t per = BT_BUF / 512;

	T_OK(connect());
	T_RETURN_IF_FAILED();
	for (uint32_t lba = 0; lba < BT_SECTORS; lba += per) {
		T_OK(block_read(&client, lba, per, 0));
		T_RETURN_IF_FAILED();
		if (!matches(t, lba, per, false))
			return;
	}
}

TEST(block, block_write_flush, "the second half written, flushed and read back")
{
	uint32_t per = BT_BUF / 512;

	T_OK(connect());
	T_RETURN_IF_FAILED();
	for (uint32_t lba = BT_SECTORS / 2; lba < BT_SECTORS; lba += per) {
		for (uint32_t i = 0; i < BT_BUF; i++)
			buf[i] = BT_GUEST_BYTE(lba + i / 512, i % 512);
		T_OK(block_write(&client, lba, per, 0));
		T_RETURN_IF_FAILED();
	}
	struct block_stats s0, s1;
	T_OK(block_stats(&client, &s0));
	T_OK(block_flush(&client));
	T_OK(block_stats(&client, &s1));
	T_EQ(s1.commands, s0.commands + 1); /* FLUSH CACHE EXT went to the device */
	T_EQ(s1.errors, s0.errors);
	memset(buf, 0, BT_BUF);
	T_OK(block_read(&client, BT_SECTORS - 3, 3, 512)); /* at an offset, odd length */
	memmove(buf, buf + 512, 3 * 512);
	matches(t, BT_SECTORS - 3, 3, true);
}

TEST(block, block_second_disk,
     "disk1, the kargs disk (its own port and thread), is a FAT boot sector while disk0 works")
{
	struct block_client c1 = client;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];
	long ep = ns_lookup_self("disk1");

	T_OK(connect());
	T_ASSERT(ep >= 0);
	T_RETURN_IF_FAILED();
	c1.ep = (handle_t)ep;
	c1.generation = 0;
	T_OK(block_geometry(&c1, &g, model));
	T_EQ(g.sectors, 2880); /* mformat -f 1440 */
	T_OK(block_read(&c1, 0, 1, 0));
	T_ASSERT(buf[510] == 0x55 && buf[511] == 0xAA);
	T_ASSERT(memcmp(buf + 0x36, "FAT12", 5) == 0);
	T_OK(block_read(&client, 0, 1, 512)); /* disk0 through the same buffer */
	T_EQ(buf[512 + 1], BT_HOST_BYTE(0, 1));
}

TEST(block, block_bad_requests, "bad requests are refused and the driver keeps serving")
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_PROTOCOL_BASE + 0x55, 6, 0, 0)};
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	T_OK(connect());
	T_RETURN_IF_FAILED();
	T_EQ(block_read(&client, BT_SECTORS, 1, 0), E_RANGE);
	T_EQ(block_read(&client, BT_SECTORS - 1, 2, 0), E_RANGE);
	T_EQ(block_read(&client, 0, 0, 0), E_INVAL);
	T_EQ(block_read(&client, 0, 1, 3), E_INVAL);
	T_EQ(block_write(&client, 0, 1, BT_BUF), E_RANGE);
	T_OK(ipc_call(client.ep, &m, BT_TIMEOUT));
	T_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
	T_OK(block_geometry(&client, &g, model));
}

/* BLOCK_ATTACH of handle h (a copy of it goes): the driver's answer. */
static long attach_raw(handle_t h)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_ATTACH, 0, 1, 0), .cap = h};
	long err = ipc_call(client.ep, &m, BT_TIMEOUT);

	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m.tag);
}

TEST(block, block_bad_buffers, "buffers the device must not reach are refused, the old one kept")
{
	long n = sys_ntfn_create();
	long ro = -1;

	T_OK(connect());
	T_ASSERT(n >= 0);
	T_RETURN_IF_FAILED();
	T_OK(block_read(&client, 0, 1, 0)); /* attached */
	ro = sys_handle_dup(client.buffer, R_READ);
	T_ASSERT(ro >= 0);
	T_EQ(attach_raw((handle_t)n), E_TYPE);	  /* not a memory object */
	T_EQ(attach_raw((handle_t)ro), E_RIGHTS); /* the device would write a read-only one */
	memset(buf, 0, 512);
	T_OK(block_read(&client, 5, 1, 0)); /* the buffer attached before still serves */
	T_EQ(buf[7], BT_HOST_BYTE(5, 7));
	sys_handle_close((handle_t)n);
}
