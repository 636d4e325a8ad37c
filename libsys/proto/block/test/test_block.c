/* SPDX-License-Identifier: MIT */
/*
 * Host test of the block protocol: the client stubs (block_read, ...) call
 * through the fake transport (fake_ipc.h) into server_dispatch, the decode
 * of server.c and a fake disk's ops (an array of sectors, one buffer per
 * badge). Checks the data path both ways, the bounds every request is held
 * to (an LBA past the end, zero length, a buffer too small or missing, an
 * unaligned offset, a garbage method), and the recovery: E_RESTARTED is
 * resent, and a driver that forgot the buffer gets it attached again.
 */
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "proto/block.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define SECTOR	512u
#define SECTORS 64u
#define BUF	(8u * SECTOR)

static struct fake_disk {
	uint8_t data[SECTORS * SECTOR];
	uint8_t buffer[BUF]; /* the client's memory object, as the driver would map it */
	uint64_t owner;	     /* badge that attached it; 0: none */
	uint64_t ios, flushes, attaches;
} disk;

static long fake_geometry(void *ctx, struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	(void)ctx;
	*g = (struct block_geometry){SECTOR, SECTORS, 4};
	strcpy(model, "FAKE DISK");
	return E_OK;
}

static long fake_attach(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	(void)ctx, (void)mobj;
	disk.owner = badge;
	disk.attaches++;
	*size = BUF;
	return E_OK;
}

static uint64_t fake_buffer_size(void *ctx, uint64_t badge)
{
	(void)ctx;
	return badge == disk.owner ? BUF : 0;
}

static long fake_io(void *ctx, uint64_t badge, enum block_dir dir,
		    const struct block_io_request *rq)
{
	uint8_t *sectors = disk.data + rq->lba * SECTOR, *buf = disk.buffer + rq->offset;

	(void)ctx, (void)badge;
	disk.ios++;
	if (dir == BLOCK_DIR_READ)
		memcpy(buf, sectors, rq->count * SECTOR);
	else
		memcpy(sectors, buf, rq->count * SECTOR);
	return E_OK;
}

static long fake_flush(void *ctx)
{
	(void)ctx;
	disk.flushes++;
	return E_OK;
}

static long fake_stats(void *ctx, struct block_stats *st)
{
	(void)ctx;
	*st = (struct block_stats){disk.ios, 7, 3};
	return E_OK;
}

static const struct block_ops fake_ops = {fake_geometry, fake_attach, fake_buffer_size,
					  fake_io,	 fake_flush,  fake_stats};
static struct block_server bs = {&fake_ops, NULL};

static struct block_client fresh_client(struct server *s)
{
	fake_ipc_reset();
	memset(&disk, 0, sizeof(disk));
	for (unsigned i = 0; i < sizeof(disk.data); i++)
		disk.data[i] = (uint8_t)(i * 7 + i / SECTOR);
	*s = block_server(0, &bs);
	return (struct block_client){.ep = fake_ipc_endpoint(s, 9),
				     .buffer = fake_ipc_handle(),
				     .timeout = TIMEOUT_NEVER};
}

static void test_geometry(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	CHECK_EQ(block_geometry(&c, &g, model), E_OK);
	CHECK_EQ(g.sector_size, SECTOR);
	CHECK_EQ(g.sectors, SECTORS);
	CHECK_EQ(g.max_sectors, 4);
	CHECK(strcmp(model, "FAKE DISK") == 0);
}

static void test_read_write(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);

	CHECK_EQ(block_read(&c, 10, 3, SECTOR), E_OK);
	CHECK_EQ(c.generation, 1);
	CHECK_EQ(c.buffer_size, BUF);
	CHECK(memcmp(disk.buffer + SECTOR, disk.data + 10 * SECTOR, 3 * SECTOR) == 0);
	memset(disk.buffer, 0xA5, SECTOR);
	CHECK_EQ(block_write(&c, SECTORS - 1, 1, 0), E_OK);
	CHECK_EQ(disk.data[SECTORS * SECTOR - 1], 0xA5);
	CHECK_EQ(block_flush(&c), E_OK);
	CHECK_EQ(disk.flushes, 1);
	CHECK_EQ(fake_ipc_stats.last_badge, 9);
	struct block_stats st;
	CHECK_EQ(block_stats(&c, &st), E_OK);
	CHECK(st.commands == 2 && st.errors == 7 && st.resets == 3);
}

/* What a driver sends to a saved reply when the device is done. */
static void test_answer(void)
{
	struct ipc_msg ok = block_io_answer(E_OK, 12), bad = block_io_answer(E_IO, 12);

	CHECK_EQ(IPC_TAG_LABEL(ok.tag), 0);
	CHECK_EQ(IPC_TAG_WORDS(ok.tag), 1);
	CHECK_EQ(ok.w[0], 12);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(bad.tag), E_IO);
	CHECK_EQ(IPC_TAG_WORDS(bad.tag), 0);
	struct ipc_msg flushed = block_io_answer(E_OK, 0);
	CHECK_EQ(IPC_TAG_LABEL(flushed.tag), 0);
	CHECK_EQ(IPC_TAG_WORDS(flushed.tag), 0);
}

static void test_bounds(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);

	CHECK_EQ(block_read(&c, SECTORS, 1, 0), E_RANGE);      /* past the end */
	CHECK_EQ(block_read(&c, SECTORS - 1, 2, 0), E_RANGE);  /* runs past the end */
	CHECK_EQ(block_read(&c, ~0ull, 2, 0), E_RANGE);	       /* wraps */
	CHECK_EQ(block_read(&c, 0, 0, 0), E_INVAL);	       /* nothing */
	CHECK_EQ(block_read(&c, 0, 5, 0), E_INVAL);	       /* more than max_sectors */
	CHECK_EQ(block_read(&c, 0, 1, 100), E_INVAL);	       /* unaligned */
	CHECK_EQ(block_read(&c, 0, 2, BUF - SECTOR), E_RANGE); /* past the buffer */
	CHECK_EQ(block_write(&c, 0, 1, BUF), E_RANGE);
	CHECK_EQ(block_write(&c, 0, 1, ~0ull - SECTOR + 1), E_RANGE);
	CHECK_EQ(disk.ios, 0);
}

static void test_no_buffer(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_READ, 3, 0, 0), .w = {0, 1, 0}};
	struct ipc_msg a = {.tag = IPC_TAG(BLOCK_ATTACH, 0, 0, 0)};

	CHECK_EQ(ipc_call(c.ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOENT);
	CHECK_EQ(ipc_call(c.ep, &a, TIMEOUT_NEVER), E_OK); /* attach without a capability */
	CHECK_EQ((int16_t)IPC_TAG_LABEL(a.tag), E_INVAL);
	CHECK_EQ(disk.ios, 0);
}

static void test_garbage(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_PROTOCOL_BASE + 0x77, 6, 0, 0)};
	struct ipc_msg short_io = {.tag = IPC_TAG(BLOCK_WRITE, 1, 0, 0)};

	CHECK_EQ(ipc_call(c.ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
	CHECK_EQ(ipc_call(c.ep, &short_io, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(short_io.tag), E_PROTO);
}

static void test_restart(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);

	CHECK_EQ(block_read(&c, 0, 1, 0), E_OK);
	fake_ipc_fail_next(E_RESTARTED, 2, 1); /* died after doing it: done again */
	CHECK_EQ(block_read(&c, 1, 1, 0), E_OK);
	CHECK(memcmp(disk.buffer, disk.data + SECTOR, SECTOR) == 0);
	disk.owner = 0; /* a new instance knows no buffer: attached again */
	uint64_t before = disk.attaches;
	uint32_t gen = c.generation;
	CHECK_EQ(block_read(&c, 2, 1, 0), E_OK);
	CHECK_EQ(disk.attaches, before + 1);
	CHECK_EQ(c.generation, gen + 1); /* once, and counted */
	CHECK(memcmp(disk.buffer, disk.data + 2 * SECTOR, SECTOR) == 0);
	fake_ipc_fail_next(E_RESTARTED, BLOCK_ATTEMPTS * 2, 0);
	CHECK_EQ(block_read(&c, 2, 1, 0), E_RESTARTED); /* gives up in the end */
	fake_ipc_fail_next(E_TIMEOUT, 1, 0);
	CHECK_EQ(block_flush(&c), E_TIMEOUT); /* not a restart: no retry */
}

/* block_io_once: one send, its answer as it is (no attach, no resend). */
static void test_io_once(void)
{
	struct server s;
	struct block_client c = fresh_client(&s);

	CHECK_EQ(block_io_once(&c, false, 3, 1, 0), E_NOENT); /* no buffer: not attached for us */
	CHECK_EQ(disk.attaches, 0);
	CHECK_EQ(block_attach(&c), E_OK);
	memset(disk.buffer, 0x5A, SECTOR);
	CHECK_EQ(block_io_once(&c, true, 5, 1, 0), E_OK);
	CHECK(memcmp(disk.data + 5 * SECTOR, disk.buffer, SECTOR) == 0);
	memset(disk.buffer, 0, 2 * SECTOR);
	CHECK_EQ(block_io_once(&c, false, 4, 2, 0), E_OK);
	CHECK(memcmp(disk.buffer, disk.data + 4 * SECTOR, 2 * SECTOR) == 0);
	CHECK_EQ(block_io_once(&c, false, SECTORS, 1, 0), E_RANGE);
	uint64_t ios = disk.ios;
	fake_ipc_fail_next(E_RESTARTED, 1, 1); /* died after doing it: the caller resends */
	CHECK_EQ(block_io_once(&c, false, 1, 1, 0), E_RESTARTED);
	CHECK_EQ(disk.ios, ios + 1);
	disk.owner = 0; /* a new instance: E_NOENT, and block_read attaches again */
	CHECK_EQ(block_io_once(&c, false, 1, 1, 0), E_NOENT);
	CHECK_EQ(block_read(&c, 1, 1, 0), E_OK);
	CHECK_EQ(disk.attaches, 2);
}

int main(void)
{
	test_geometry();
	test_read_write();
	test_answer();
	test_bounds();
	test_no_buffer();
	test_garbage();
	test_restart();
	test_io_once();
	return check_summary("block");
}
