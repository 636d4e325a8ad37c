/* SPDX-License-Identifier: MIT */
/*
 * ahci: the ring-3 driver of q35's AHCI controller (ICH9, 8086:2922),
 * granted by its manifest: the function's config page, ABAR (BAR5) as
 * device memory, one MSI vector and DMA. It resets the HBA, starts every
 * port with a SATA disk, identifies it and serves the block protocol
 * (proto/block.h) for the n-th disk on endpoint disk<n> and for its MBR
 * partitions on disk<n>p<entry> (mbr.c), each on a thread of its own that
 * decodes a request, takes the caller's reply, queues the commands
 * (queue.c) and goes on to the next request. One more thread, the
 * completion thread, sleeps on the MSI's notification (and the earliest
 * command deadline) and answers the requests the device finished. This
 * file is the system glue (handles, mappings, the clients' pages, MSI,
 * threads); the driver proper is hba.c, identify.c, queue.c and disk.c.
 * Recovery: stateless. A new instance resets the HBA; clients attach their
 * buffers again and resend (the block client library does both).
 */
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "gpt.h"
#include "mbr.h"
#include "pci/pci.h"
#include "sys/device.h"
#include "sys/fmt.h"
#include "sys/lock.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"

#define ABAR_VA	      0x00005d0000000000ull
#define CONFIG_VA     0x00005e0000000000ull
#define DMA_VA	      0x00005f0000000000ull /* per disk: its AHCI_DMA_PAGES (ahci.h) */
#define DMA_STRIDE    0x0000000000100000ull
#define IRQ_BIT	      1
#define TIMER_BIT     2
#define DISK_PRIORITY 14
#define PHYS_BATCH    64 /* physical addresses asked for per SYS_MOBJ_PHYS_LIST */
#define BELOW_4G      (1ull << 32)

static struct {
	handle_t config, abar, irq, ntfn, dma;
	uint32_t abar_size;
	struct pci_device dev;
	struct sys_lock lock, heap_lock;
	struct ahci_hba hba;
	/* What is served: disks, then partitions, each on its endpoint and thread. */
	struct ahci_disk_server ds[AHCI_SERVED];
	struct block_server bs[AHCI_SERVED];
	struct ahci_sys sys[AHCI_SERVED];
	handle_t ep[AHCI_SERVED];
	unsigned served;
} ax;

/* Configuration space of our one function, through the mapped page. */
static const struct pci_access config_access = {pci_page_read32, pci_page_write32,
						(void *)CONFIG_VA};

static uint32_t reg_read(void *ctx, uint32_t off)
{
	(void)ctx;
	return off + 4 <= ax.abar_size ? *(volatile uint32_t *)(ABAR_VA + off) : ~0u;
}

static void reg_write(void *ctx, uint32_t off, uint32_t v)
{
	(void)ctx;
	if (off + 4 <= ax.abar_size)
		*(volatile uint32_t *)(ABAR_VA + off) = v;
}

static long wait_irq(void *ctx, uint64_t deadline)
{
	uint64_t now = sys_clock();
	long bits = sys_ntfn_wait(ax.ntfn, deadline > now ? deadline - now : 0);

	(void)ctx;
	return bits < 0 ? bits : E_OK;
}

static void ack_irq(void *ctx)
{
	(void)ctx;
	sys_irq_ack(ax.irq);
}

static uint64_t now(void *ctx)
{
	(void)ctx;
	return sys_clock();
}

static void sleep_ns(void *ctx, uint64_t ns)
{
	(void)ctx;
	sys_sleep(ns);
}

static void lock(void *ctx)
{
	(void)ctx;
	sys_lock(&ax.lock);
}

static void unlock(void *ctx)
{
	(void)ctx;
	sys_unlock(&ax.lock);
}

static void arm(void *ctx, uint64_t deadline)
{
	(void)ctx;
	sys_ntfn_timer(ax.ntfn, deadline, TIMER_BIT);
}

static const struct ahci_env env = {reg_read, reg_write, wait_irq, ack_irq, now,
				    sleep_ns, lock,	 unlock,   arm,	    NULL};

/* A client's buffer: a memory object of a sector to BLOCK_BUFFER_MAX bytes we may DMA into. */
static long buffer_check(handle_t mobj, uint64_t *size)
{
	struct handle_info info;
	long err = sys_handle_info(mobj, &info);

	if (err < 0)
		return err;
	if (info.type != KOBJ_MOBJ)
		return E_TYPE;
	if (info.size == 0 || info.size > BLOCK_BUFFER_MAX || info.size % AHCI_PAGE)
		return E_RANGE;
	if ((info.rights & (R_READ | R_WRITE)) != (R_READ | R_WRITE))
		return E_RIGHTS;
	*size = info.size;
	return E_OK;
}

/* Page `phys` at buffer offset `at` joins the last extent if it continues it. */
static long extent_add(struct ahci_buffer *b, unsigned *room, uint64_t at, uint64_t phys)
{
	struct ahci_extent *x = b->count ? &b->ext[b->count - 1] : NULL;

	if (!(ax.hba.cap & CAP_S64A) && phys + AHCI_PAGE > BELOW_4G)
		return E_RANGE; /* the HBA cannot reach it: MOBJ_BELOW_4G (proto/block.h) */
	if (x && x->phys + x->bytes == phys && x->bytes + AHCI_PAGE <= AHCI_PRD_BYTES) {
		x->bytes += AHCI_PAGE;
		return E_OK;
	}
	if (b->count == *room) {
		unsigned more = *room ? 2 * *room : 16;
		sys_lock(&ax.heap_lock);
		void *p = realloc(b->ext, more * sizeof(*b->ext));
		sys_unlock(&ax.heap_lock);
		if (!p)
			return E_NOMEM;
		b->ext = p, *room = more;
	}
	b->ext[b->count++] = (struct ahci_extent){at, phys, AHCI_PAGE};
	return E_OK;
}

/* The buffer's pages as extents of contiguous physical memory, asked for once. */
static long buffer_pages(void *ctx, handle_t mobj, struct ahci_buffer *b)
{
	uint64_t size = 0, phys[PHYS_BATCH];
	unsigned room = 0;
	long err = buffer_check(mobj, &size);

	(void)ctx;
	*b = (struct ahci_buffer){.size = size};
	for (uint64_t page = 0; err == E_OK && page < size / AHCI_PAGE; page += PHYS_BATCH) {
		uint64_t n =
			size / AHCI_PAGE - page < PHYS_BATCH ? size / AHCI_PAGE - page : PHYS_BATCH;
		long got = sys_mobj_phys_list(ax.dma, mobj, page, phys, n);
		err = got < 0 ? got : (uint64_t)got == n ? E_OK : E_IO;
		for (uint64_t i = 0; err == E_OK && i < n; i++)
			err = extent_add(b, &room, (page + i) * AHCI_PAGE, phys[i]);
	}
	return err;
}

static void buffer_release(void *ctx, handle_t mobj, struct ahci_buffer *b)
{
	(void)ctx;
	sys_lock(&ax.heap_lock);
	free(b->ext);
	sys_unlock(&ax.heap_lock);
	*b = (struct ahci_buffer){0};
	if (mobj)
		sys_handle_close(mobj);
}

static long reply_defer(void *ctx, uint64_t *token)
{
	long r = sys_reply_save();

	(void)ctx;
	if (r < 0)
		return r;
	*token = (uint64_t)r;
	return E_OK;
}

static void reply_answer(void *ctx, uint64_t token, long status, uint64_t count)
{
	struct ipc_msg m = block_io_answer(status, count);

	(void)ctx;
	ipc_reply((handle_t)token, &m); /* E_CLOSED: the caller gave up (its timeout) */
	sys_handle_close((handle_t)token);
}

static long buffer_watch(void *ctx, uint64_t badge)
{
	struct ahci_disk_server *ds = ctx;

	return sys_ep_watch(ax.ep[ds - ax.ds], badge, 0);
}

/* Map the config page and ABAR; MSI to our notification; memory decoding. */
static long map_device(void)
{
	const struct start_pci_function *fn = &start_info()->pci_fn;
	struct irq_info info;
	long n = sys_ntfn_create();
	long err =
		n < 0 ? n
		      : sys_mobj_map(HANDLE_SELF, ax.config, CONFIG_VA, 0, 4096, R_READ | R_WRITE);

	if (err == E_OK)
		err = sys_mobj_map(HANDLE_SELF, ax.abar, ABAR_VA, 0, ax.abar_size,
				   R_READ | R_WRITE);
	if (err == E_OK)
		err = pci_read_function(&config_access, (struct pci_addr){fn->bus, fn->dev, fn->fn},
					0, &ax.dev);
	if (err == E_OK)
		err = sys_irq_info(ax.irq, &info);
	if (err < 0)
		return err;
	ax.ntfn = (handle_t)n;
	pci_command_update(&config_access, ax.dev.addr, PCI_CMD_MEMORY, 0); /* mastering: start() */
	err = pci_msi_enable_block(&config_access, &ax.dev, info.msi_address, info.msi_data, 1);
	return err == E_OK ? sys_irq_bind(ax.irq, ax.ntfn, IRQ_BIT) : err;
}

/* Disk i's DMA memory (ahci.h): one object, below 4 GiB unless the HBA addresses 64 bits. */
static long alloc_dma(unsigned i, struct ahci_dma *dma)
{
	unsigned below = (ax.hba.cap & CAP_S64A) ? 0 : MOBJ_BELOW_4G;
	uint64_t va = DMA_VA + i * DMA_STRIDE, pages[AHCI_DMA_PAGES];
	long m = sys_mobj_create(AHCI_DMA_PAGES * AHCI_PAGE, below);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, AHCI_DMA_PAGES * AHCI_PAGE,
					R_READ | R_WRITE);

	if (err == E_OK)
		err = sys_mobj_phys_list(ax.dma, (handle_t)m, 0, pages, AHCI_DMA_PAGES);
	if (err < 0)
		return err;
	dma->page = (uint8_t *)va;
	dma->page_phys = pages[0];
	dma->scratch = (uint8_t *)(va + AHCI_PAGE);
	dma->scratch_phys = pages[1];
	dma->tables = (uint8_t *)(va + 2 * AHCI_PAGE);
	for (unsigned s = 0; s < AHCI_SLOTS; s++) {
		uint64_t at = s * AHCI_TABLE_BYTES;
		dma->table_phys[s] = pages[2 + at / AHCI_PAGE] + at % AHCI_PAGE;
	}
	return E_OK;
}

/* Start and identify the disk behind port p as disk number ax.hba.disk_count. */
static void add_disk(unsigned p)
{
	unsigned i = ax.hba.disk_count;
	struct ahci_disk *d = &ax.hba.disks[i];
	static struct ahci_dma dma[AHCI_MAX_DISKS];
	static bool dma_ready[AHCI_MAX_DISKS];
	long err = E_OK;

	if (!dma_ready[i]) /* kept for the next port when this one is no disk */
		err = alloc_dma(i, &dma[i]);
	dma_ready[i] = err == E_OK;
	*d = (struct ahci_disk){.port = p, .dma = dma[i]};
	if (err == E_OK)
		err = ahci_port_start(&ax.hba, d);
	if (err == E_OK)
		err = ahci_identify(&ax.hba, d);
	if (err < 0) {
		if (dma_ready[i])
			ahci_port_stop(&ax.hba, d);
		if (err != E_NOENT)
			printf("ahci: port %u: %s\n", p, sys_error_name(err));
		return;
	}
	printf("ahci: disk%u: port %u, \"%s\", %llu sectors of %llu bytes%s, %s %u deep\n", i, p,
	       d->model, (unsigned long long)d->geo.sectors, (unsigned long long)d->geo.sector_size,
	       d->lba48 ? ", LBA48" : "", d->ncq ? "NCQ" : "no NCQ, queue", d->depth);
	ax.hba.disk_count++;
}

static void client_gone(void *ctx, uint64_t badge)
{
	const struct block_server *bs = ctx;

	ahci_client_gone(bs->ctx, badge);
}

static void serve(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	struct server s = block_server(ax.ep[i], &ax.bs[i]);

	s.on_client_gone = client_gone;
	server_run(&s);
}

/* Serve sectors base..base+sectors-1 of disk (0: all of it) on endpoint `name`. */
static void add_served(const char *name, struct ahci_disk *disk, uint64_t base, uint64_t sectors)
{
	unsigned i = ax.served;
	handle_t ep = start_handle(name, NULL);

	if (i == AHCI_SERVED || !ep) {
		printf("ahci: %s: not served (no endpoint for it in the manifest)\n", name);
		return;
	}
	ax.ep[i] = ep;
	ax.sys[i] = (struct ahci_sys){buffer_pages, buffer_release, buffer_watch,
				      reply_defer,  reply_answer,   &ax.ds[i]};
	ahci_disk_server_init(&ax.ds[i], &ax.hba, disk, &ax.sys[i], base, sectors);
	ax.bs[i] = (struct block_server){&ahci_block_ops, &ax.ds[i]};
	ax.served++;
}

/* One sector of a disk through its scratch page, before it is served (the GPT parser's reads). */
static long read_sector(void *ctx, uint64_t lba, uint8_t *buf)
{
	struct ahci_disk *d = ctx;
	uint32_t size = (uint32_t)d->geo.sector_size;
	long err = ahci_command(&ax.hba, d, ATA_READ_DMA_EXT, lba, 1, size, false);

	if (err == E_OK && buf != d->dma.scratch)
		memcpy(buf, d->dma.scratch, size);
	return err;
}

/* Disk n's GPT (behind a protective MBR in the scratch page) into t. */
static long read_gpt(unsigned n, struct mbr_table *t)
{
	struct ahci_disk *d = &ax.hba.disks[n];
	struct gpt_disk g = {read_sector, d, d->dma.scratch, d->geo.sectors,
			     (uint32_t)d->geo.sector_size};
	struct gpt_result r;
	long err = gpt_parse(&g, &r);

	if (err < 0) {
		printf("ahci: disk%u: protective MBR but no valid GPT (%s)\n", n,
		       sys_error_name(err));
		return err;
	}
	if (r.backup_used)
		printf("ahci: disk%u: GPT header or entries corrupt: using the backup\n", n);
	if (r.unserved)
		printf("ahci: disk%u: %u GPT partitions past the fourth not served\n", n,
		       r.unserved);
	*t = r.table;
	return E_OK;
}

/* Disk n's MBR or GPT partitions, served as disk<n>p<entry>. */
static void add_partitions(unsigned n)
{
	struct ahci_disk *d = &ax.hba.disks[n];
	struct mbr_table t;
	char name[16];

	if (read_sector(d, 0, d->dma.scratch) < 0)
		return;
	bool mbr =
		d->geo.sector_size == 512 && mbr_parse(d->dma.scratch, d->geo.sectors, &t) == E_OK;
	if (!mbr && (!gpt_protective(d->dma.scratch) || read_gpt(n, &t) < 0))
		return;
	if (t.refused)
		printf("ahci: disk%u: %u partition entries refused (outside the disk or "
		       "overlapping)\n",
		       n, t.refused);
	for (unsigned k = 0; k < t.count; k++) {
		snprintf(name, sizeof(name), "disk%up%u", n, t.part[k].index);
		printf("ahci: %s: type %02x, sectors %llu-%llu\n", name, t.part[k].type,
		       (unsigned long long)t.part[k].first,
		       (unsigned long long)(t.part[k].first + t.part[k].sectors - 1));
		add_served(name, d, t.part[k].first, t.part[k].sectors);
	}
}

static long start(void)
{
	unsigned ports[AHCI_MAX_PORTS];
	char name[16];
	long err = map_device();

	ax.hba.env = &env;
	if (err == E_OK)
		err = ahci_hba_reset(&ax.hba);
	if (err < 0)
		return err;
	/* Bus mastering only now: a command an earlier instance left in flight would have
	 * completed into that instance's freed memory. */
	pci_command_update(&config_access, ax.dev.addr, PCI_CMD_BUS_MASTER, 0);
	unsigned n = ahci_find_ports(&ax.hba, ports);
	for (unsigned k = 0; k < n; k++) {
		if (ax.hba.disk_count == AHCI_MAX_DISKS) {
			printf("ahci: port %u and on: not served (at most %u disks)\n", ports[k],
			       AHCI_MAX_DISKS);
			break;
		}
		add_disk(ports[k]);
	}
	for (unsigned i = 0; i < ax.hba.disk_count; i++) {
		snprintf(name, sizeof(name), BLOCK_NAME_PREFIX "%u", i);
		add_served(name, &ax.hba.disks[i], 0, 0);
	}
	for (unsigned i = 0; i < ax.hba.disk_count; i++)
		add_partitions(i);
	printf("ahci: %u disks, %u block devices\n", ax.hba.disk_count, ax.served);
	return E_OK;
}

/* Answer what the device finished: after each MSI, or when a deadline's timer fires. */
static void complete(void *arg)
{
	(void)arg;
	for (;;) {
		sys_ntfn_wait(ax.ntfn, TIMEOUT_NEVER);
		sys_lock(&ax.lock);
		struct ahci_io *done = ahci_service(&ax.hba);
		sys_unlock(&ax.lock);
		while (done) {
			struct ahci_io *next = done->next;
			done->done(done);
			done = next;
		}
	}
}

int main(void)
{
	long err = E_NOENT;

	ax.config = start_handle("pci.config", NULL);
	ax.abar = start_handle("pci.bar5", &ax.abar_size);
	ax.irq = start_handle("irq.msi0", NULL);
	ax.dma = start_handle("dma", NULL);
	if (ax.config && ax.abar && ax.irq && ax.dma)
		err = start();
	if (err < 0) {
		printf("ahci: %s\n", sys_error_name(err));
		return 1;
	}
	ax.hba.timer_at = AHCI_NO_DEADLINE;
	if (ax.served > 0 && thread_spawn(complete, NULL, DISK_PRIORITY, NULL) < 0) {
		printf("ahci: no completion thread\n");
		return 1;
	}
	for (unsigned i = 1; i < ax.served; i++)
		if (thread_spawn(serve, (void *)(uintptr_t)i, DISK_PRIORITY, NULL) < 0)
			printf("ahci: block device %u: no thread\n", i);
	if (ax.served > 0)
		serve((void *)0);
	struct server none = {.endpoint = start_handle("disk0", NULL)}; /* the supervisor only */
	return (int)server_run(&none);
}
