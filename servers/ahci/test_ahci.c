/* SPDX-License-Identifier: MIT */
/*
 * Host test of the AHCI driver's core (hba.c, identify.c, queue.c, disk.c)
 * against a fake HBA (test_ahci_hba.h). A client's buffer is a set of
 * "physical" pages in scrambled order (or in order), so data landing in
 * the right place shows the PRDs were built from its extents. The ops are driven through the block
 * protocol's stubs (fake_ipc) with the completion thread's work (ahci_service) run inline until the
 * request is answered, and directly for requests in flight at once. Checks IDENTIFY parsing,
 * zero-copy reads and writes cut into commands by size and PRD count, several NCQ commands in
 * flight answered out of order, one at a time without NCQ, FLUSH as a barrier, a device error and a
 * lost interrupt failing every request in flight and resetting the port, a client's limit, a buffer
 * kept while a request is in flight after its client went, and a partition's window.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "disk.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "test_ahci_hba.h"

static void test_identify(void)
{
	uint16_t id[256];
	struct ahci_disk d = {0};

	good_identify(id);
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK(strcmp(d.model, "QEMU HARDDISK") == 0);
	CHECK(strcmp(d.serial, "QM00001") == 0);
	CHECK_EQ(d.geo.sectors, SECTORS);
	CHECK_EQ(d.geo.sector_size, 512);
	id[106] = 0x4000 | (1u << 12);
	id[117] = 2048; /* words: 4096 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sector_size, 4096);
	id[117] = 500; /* 1000-byte sectors: refused */
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO);
	good_identify(id);
	id[100] = 0;
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO); /* no capacity */
	id[83] = 0;
	id[60] = 100; /* LBA28 only */
	id[27] = 0x0107;
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sectors, 100);
	CHECK(d.model[0] == '?' && d.model[1] == '?'); /* control characters are not passed on */
	for (unsigned i = 0; i < 256; i++)
		id[i] = 0xFFFF; /* all ones: validity bits wrong, so LBA28 and 512 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sectors, 0xFFFFFFFFull);
	id[106] = 0x5000; /* now valid: sectors of 2^33 - 2 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO);
}

static struct ahci_hba hba;
static struct ahci_disk_server ds;

/* The system's side: buffers of scrambled pages, replies by token. */
static struct {
	bool scrambled;
	uint64_t released, released_mobj;
	uint64_t next_token;
	long status[64];
	uint64_t count[64];
	bool answered[64];
} sysf;

static long sys_buffer(void *ctx, handle_t mobj, struct ahci_buffer *b)
{
	struct ahci_extent *x = calloc(CLIENT_PAGES, sizeof(*x));
	unsigned n = 0;

	(void)ctx, (void)mobj;
	for (unsigned i = 0; i < CLIENT_PAGES; i++) {
		uint64_t p = (uint64_t)(uintptr_t)(backing + (uint64_t)perm[i] * AHCI_PAGE);
		if (n && x[n - 1].phys + x[n - 1].bytes == p)
			x[n - 1].bytes += AHCI_PAGE;
		else
			x[n++] = (struct ahci_extent){(uint64_t)i * AHCI_PAGE, p, AHCI_PAGE};
	}
	*b = (struct ahci_buffer){x, n, CLIENT_BUF};
	return E_OK;
}

static void sys_release(void *ctx, handle_t mobj, struct ahci_buffer *b)
{
	(void)ctx;
	free(b->ext);
	*b = (struct ahci_buffer){0};
	sysf.released++;
	sysf.released_mobj = mobj;
}

static long sys_watch(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	return E_OK;
}

static long sys_defer(void *ctx, uint64_t *token)
{
	(void)ctx;
	*token = ++sysf.next_token % 64 ? sysf.next_token % 64 : ++sysf.next_token % 64;
	sysf.answered[*token] = false;
	return E_OK;
}

static void sys_answer(void *ctx, uint64_t token, long status, uint64_t count)
{
	(void)ctx;
	CHECK(!sysf.answered[token]);
	sysf.answered[token] = true;
	sysf.status[token] = status;
	sysf.count[token] = count;
}

static const struct ahci_sys sysops = {sys_buffer, sys_release, sys_watch,
				       sys_defer,  sys_answer,	NULL};

/* The completion thread's work once: service, then done() of what finished. */
static void complete_once(void)
{
	struct ahci_io *done = ahci_service(&hba);

	hw.irq = false;
	while (done) {
		struct ahci_io *next = done->next;
		done->done(done);
		done = next;
	}
}

/* The completion thread until token is answered: interrupts, else its deadline timer. */
static long wait_answer(uint64_t token)
{
	for (int i = 0; i < 16 && !sysf.answered[token]; i++) {
		if (!hw.irq && armed_for > hw.clock)
			hw.clock = armed_for; /* nothing came: the timer fires */
		complete_once();
	}
	CHECK(sysf.answered[token]);
	return sysf.answered[token] ? sysf.status[token] : E_TIMEOUT;
}

/* The ops as the stubs see them: a pending request waited for inline. */
static long sync_io(void *ctx, uint64_t badge, enum block_dir dir,
		    const struct block_io_request *rq)
{
	long err = ahci_block_ops.io(ctx, badge, dir, rq);

	return err == BLOCK_PENDING ? wait_answer(sysf.next_token % 64) : err;
}

static long sync_flush(void *ctx)
{
	long err = ahci_block_ops.flush(ctx);

	return err == BLOCK_PENDING ? wait_answer(sysf.next_token % 64) : err;
}

static struct block_ops sync_ops;
static struct block_server bs = {&sync_ops, &ds};

/* Free the buffers the clients still hold (the driver ends with the test). */
static void drop_clients(void)
{
	for (unsigned i = 0; i < AHCI_CLIENTS; i++)
		free(ds.clients[i].buf.ext);
	memset(ds.clients, 0, sizeof(ds.clients));
}

static void bring_up(uint32_t cap, bool scrambled)
{
	drop_clients();
	memset(&hw, 0, sizeof(hw));
	memset(&sysf, 0, sizeof(sysf));
	armed_for = arms = 0;
	sync_ops = ahci_block_ops;
	sync_ops.io = sync_io;
	sync_ops.flush = sync_flush;
	for (unsigned i = 0; i < CLIENT_PAGES; i++) /* scrambled: no two pages adjacent */
		perm[i] = scrambled ? (i * 7) % CLIENT_PAGES + (i * 7 / CLIENT_PAGES) : i;
	memset(backing, 0, (CLIENT_PAGES + 8) * AHCI_PAGE);
	good_identify(hw.identify);
	for (unsigned i = 0; i < sizeof(hw.disk); i++)
		hw.disk[i] = (uint8_t)(i * 3 + i / 512);
	hw.regs[HBA_CAP / 4] = cap;
	hw.regs[HBA_PI / 4] = 0x5; /* ports 0 and 2 */
	hw.regs[(PORT_REG(0) + PX_SSTS) / 4] = SSTS_DET_UP;
	hw.regs[(PORT_REG(0) + PX_SIG) / 4] = SIG_SATA;
	hba = (struct ahci_hba){.env = &env, .timer_at = AHCI_NO_DEADLINE};
	CHECK_EQ(ahci_hba_reset(&hba), E_OK);
	unsigned ports[AHCI_MAX_PORTS];
	CHECK_EQ(ahci_find_ports(&hba, ports), 1); /* port 2 has no link */
	struct ahci_disk *d = &hba.disks[0];
	*d = (struct ahci_disk){.port = 0};
	d->dma = (struct ahci_dma){.page = page,
				   .page_phys = (uint64_t)(uintptr_t)page,
				   .tables = tables,
				   .scratch = scratch,
				   .scratch_phys = (uint64_t)(uintptr_t)scratch};
	for (unsigned s = 0; s < AHCI_SLOTS; s++)
		d->dma.table_phys[s] = (uint64_t)(uintptr_t)(tables + s * AHCI_TABLE_BYTES);
	CHECK_EQ(ahci_port_start(&hba, d), E_OK);
	CHECK_EQ(ahci_identify(&hba, d), E_OK);
	hba.disk_count = 1;
	ahci_disk_server_init(&ds, &hba, d, &sysops, 0, 0);
}

#define CAP_NCQ32 (CAP_S64A | CAP_SNCQ | (31u << 8))

static struct block_client connect(struct server *s)
{
	fake_ipc_reset();
	*s = block_server(0, &bs);
	return (struct block_client){.ep = fake_ipc_endpoint(s, 3),
				     .buffer = fake_ipc_handle(),
				     .timeout = TIMEOUT_NEVER};
}

static bool client_holds(uint64_t off, uint64_t lba, uint64_t sectors)
{
	for (uint64_t i = 0; i < sectors * 512; i++)
		if (*cbyte(off + i) != hw.disk[lba * 512 + i])
			return false;
	return true;
}

static void test_zero_copy(bool scrambled)
{
	struct server s;
	struct block_client c;

	bring_up(CAP_NCQ32, scrambled);
	CHECK(hba.disks[0].ncq);
	CHECK_EQ(hba.disks[0].depth, 32);
	c = connect(&s);
	uint64_t before = hw.commands;
	CHECK_EQ(block_read(&c, 100, 4096, 4096), E_OK); /* 2 MiB at offset 4 KiB */
	/* in order: 1 MiB per command; scrambled: a PRD per page, 56 per command */
	CHECK_EQ(hw.commands - before, scrambled ? 10 : 2);
	CHECK(client_holds(4096, 100, 4096));
	CHECK_EQ(hw.ncq_commands, hw.commands - 1); /* all but IDENTIFY */
	for (unsigned i = 0; i < 3 * 512; i++)
		*cbyte(512 + i) = (uint8_t)(0x3C ^ i);
	CHECK_EQ(block_write(&c, SECTORS - 3, 3, 512), E_OK);
	CHECK_EQ(hw.disk[(SECTORS - 3) * 512 + 5], 0x3C ^ 5);
	CHECK(client_holds(512, SECTORS - 3, 3));
	CHECK_EQ(block_flush(&c), E_OK);
	CHECK_EQ(hw.flushes, 1);
	CHECK_EQ(block_read(&c, SECTORS - 1, 2, 0), E_RANGE);
	CHECK_EQ(hba.disks[0].errors, 0);
	struct block_stats st;
	CHECK_EQ(block_stats(&c, &st), E_OK);
	CHECK_EQ(st.commands, hw.commands);
	drop_clients();
	ahci_disk_server_init(&ds, &hba, &hba.disks[0], &sysops, 1000, 20); /* a partition */
	c = connect(&s);
	CHECK_EQ(block_read(&c, 0, 20, 0), E_OK);
	CHECK(client_holds(0, 1000, 20));
	CHECK_EQ(block_read(&c, 20, 1, 0), E_RANGE); /* held to the partition */
	CHECK_EQ(block_write(&c, 19, 2, 0), E_RANGE);
}

/* Attach a buffer for badge directly (what BLOCK_ATTACH does). */
static void attach(uint64_t badge, handle_t mobj)
{
	uint64_t size = 0;

	CHECK_EQ(ahci_block_ops.attach(&ds, badge, mobj, &size), E_OK);
	CHECK_EQ(size, CLIENT_BUF);
}

static uint64_t submit(uint64_t badge, enum block_dir dir, uint64_t lba, uint64_t count,
		       uint64_t offset)
{
	struct block_io_request rq = {lba, count, offset};

	CHECK_EQ(ahci_block_ops.io(&ds, badge, dir, &rq), BLOCK_PENDING);
	return sysf.next_token % 64;
}

static void test_ncq_in_flight(void)
{
	bring_up(CAP_NCQ32, true);
	attach(1, 101);
	attach(2, 102);
	hw.hold = true;
	uint64_t a = submit(1, BLOCK_DIR_READ, 0, 8, 0);
	uint64_t b = submit(2, BLOCK_DIR_READ, 64, 8, 8192);
	uint64_t w = submit(1, BLOCK_DIR_READ, 4000, 512, 65536); /* 64 pages: two commands */
	CHECK_EQ(popcount(hw.held), 4);
	CHECK_EQ(popcount(port_regs(0)[PX_SACT / 4]), 4);
	release(3); /* the last command of w first: not answered until both are done */
	complete_once();
	CHECK(!sysf.answered[w]);
	release(1); /* b before a */
	complete_once();
	CHECK(sysf.answered[b] && !sysf.answered[a]);
	CHECK_EQ(sysf.status[b], E_OK);
	CHECK_EQ(sysf.count[b], 8);
	release(0);
	release(2);
	complete_once();
	CHECK(sysf.answered[a] && sysf.answered[w]);
	CHECK(client_holds(0, 0, 8) && client_holds(65536, 4000, 512));
	/* a flush is a barrier: it waits for the port to be idle, and what follows for it */
	uint64_t r1 = submit(1, BLOCK_DIR_READ, 10, 1, 0);
	CHECK_EQ(ahci_block_ops.flush(&ds), BLOCK_PENDING);
	uint64_t f = sysf.next_token % 64;
	uint64_t r2 = submit(2, BLOCK_DIR_READ, 20, 1, 0);
	CHECK_EQ(hw.held, 1u); /* only r1 */
	release(0);
	complete_once();
	CHECK(sysf.answered[r1] && !sysf.answered[f]);
	CHECK_EQ(popcount(hw.held), 1); /* now the flush, alone */
	CHECK_EQ(hw.flushes, 0);
	release((unsigned)__builtin_ctz(hw.held));
	complete_once();
	CHECK(sysf.answered[f] && hw.flushes == 1);
	CHECK_EQ(popcount(hw.held), 1); /* r2 after it */
	release((unsigned)__builtin_ctz(hw.held));
	complete_once();
	CHECK(sysf.answered[r2] && sysf.status[r2] == E_OK);
	CHECK_EQ(hw.most_in_flight, 4);
}

static void test_without_ncq(void)
{
	bring_up(CAP_S64A | (31u << 8), true);
	CHECK(!hba.disks[0].ncq);
	CHECK_EQ(hba.disks[0].depth, 1);
	attach(1, 101);
	hw.hold = true;
	uint64_t a = submit(1, BLOCK_DIR_READ, 0, 8, 0);
	uint64_t b = submit(1, BLOCK_DIR_WRITE, 8, 8, 4096);
	CHECK_EQ(hw.held, 1u); /* one at a time */
	release(0);
	complete_once();
	CHECK(sysf.answered[a] && !sysf.answered[b]);
	CHECK_EQ(hw.held, 1u); /* b now */
	release(0);
	complete_once();
	CHECK(sysf.answered[b] && sysf.status[b] == E_OK);
	uint64_t big = submit(1, BLOCK_DIR_READ, 200, 4096, 0); /* 2 MiB: ten commands in turn */
	for (int k = 0; k < 10; k++) {
		CHECK_EQ(hw.held, 1u);
		CHECK(!sysf.answered[big]);
		release(0);
		complete_once();
	}
	CHECK(sysf.answered[big] && sysf.status[big] == E_OK);
	CHECK_EQ(sysf.count[big], 4096);
	CHECK(client_holds(0, 200, 4096));
	CHECK_EQ(hw.ncq_commands, 0);
	CHECK_EQ(hw.most_in_flight, 1);
}

static void test_device_errors(void)
{
	struct server s;
	struct block_client c;

	bring_up(CAP_NCQ32, false);
	attach(1, 101);
	hw.hold = true;
	uint64_t a = submit(1, BLOCK_DIR_READ, 0, 8, 0);
	uint64_t b = submit(1, BLOCK_DIR_READ, 8, 8, 4096);
	hw.fail_next = true;
	release(1); /* a task-file error: both in flight fail, the port is reset */
	complete_once();
	CHECK(sysf.answered[a] && sysf.answered[b]);
	CHECK(sysf.status[a] == E_IO && sysf.status[b] == E_IO);
	CHECK_EQ(hba.disks[0].resets, 1);
	CHECK_EQ(hba.disks[0].busy, 0);
	hw.hold = false;
	c = connect(&s);
	CHECK_EQ(block_read(&c, 0, 1, 0), E_OK); /* the port works again */
	CHECK(arms >= 1 && armed_for > 0);	 /* a deadline timer was armed */
	hw.lose_next = true;
	CHECK_EQ(block_write(&c, 0, 1, 0), E_TIMEOUT); /* its timer fired: reset, failed */
	CHECK_EQ(hba.disks[0].resets, 2);
	CHECK_EQ(hba.disks[0].errors, 2);
	CHECK_EQ(block_read(&c, 0, 1, 0), E_OK);
}

static void test_clients(void)
{
	uint64_t size;
	struct block_io_request rq = {0, 1, 0};

	bring_up(CAP_NCQ32, true);
	attach(1, 101);
	hw.hold = true;
	uint64_t t[BLOCK_CLIENT_INFLIGHT];
	for (unsigned i = 0; i < BLOCK_CLIENT_INFLIGHT; i++)
		t[i] = submit(1, BLOCK_DIR_READ, i, 1, i * 512);
	CHECK_EQ(ahci_block_ops.io(&ds, 1, BLOCK_DIR_READ, &rq), E_BUSY); /* its limit */
	CHECK_EQ(ahci_block_ops.attach(&ds, 1, 103, &size), E_BUSY);	  /* buffer in use */
	CHECK_EQ(sysf.released_mobj, 103); /* the refused one closed */
	sysf.released = 0;
	ahci_client_gone(&ds, 1); /* gone with requests in flight: the buffer stays */
	CHECK_EQ(sysf.released, 0);
	CHECK_EQ(ahci_block_ops.io(&ds, 1, BLOCK_DIR_READ, &rq), E_NOENT);
	for (unsigned s = 0; s < AHCI_SLOTS; s++)
		if (hw.held & (1u << s))
			release(s);
	complete_once();
	for (unsigned i = 0; i < BLOCK_CLIENT_INFLIGHT; i++)
		CHECK(sysf.answered[t[i]] && sysf.status[t[i]] == E_OK);
	CHECK_EQ(sysf.released, 1); /* after the last one */
	CHECK_EQ(sysf.released_mobj, 101);
	attach(1, 104); /* the slot is free again */
}

int main(void)
{
	backing = aligned_alloc(AHCI_PAGE, (CLIENT_PAGES + 8) * AHCI_PAGE);
	test_identify();
	test_zero_copy(false);
	test_zero_copy(true);
	test_ncq_in_flight();
	test_without_ncq();
	test_device_errors();
	test_clients();
	drop_clients();
	free(backing);
	return check_summary("ahci");
}
