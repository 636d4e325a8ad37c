/* SPDX-License-Identifier: MIT */
/*
 * fat: the FAT filesystem server. It mounts the volume on the block device
 * its manifest lets it call (disk0p1: the first partition of the first
 * disk) and serves the fs protocol (proto/fs.h) on fs0. Until the disk's
 * driver answers (ahci may start later) it retries with back-off, and
 * while there is no FAT volume it tries again every 2 s; between tries it
 * answers the supervisor's heartbeat and every client with E_NOVOLUME
 * (server_idle), so a fat2 with no disk is not taken for hung. Dirty
 * data is written back at the next tick of a 1 s timer (so within about a
 * second), and at every fsync or sync. Files' times come from the rtc
 * service (it calls rtc; it holds no I/O ports).
 *
 * Recovery: stateless; everything is on the disk. A new instance mounts
 * again (repairing what an unclean stop left: repair.c) and knows no
 * clients; their library attaches and reopens by path (proto/fs.h).
 */
#include <string.h>

#include "fatfs.h"
#include "proto/block.h"
#include "rtc.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define DISK_NAME    disk_name
#define SERVE_NAME   serve_name
#define BLOCK_VA     0x00005f0000000000ull
#define BLOCK_BYTES  (256u << 10)	   /* the buffer the disk driver reads into */
#define CLIENT_VA    0x0000600000000000ull /* slot n's buffer: FS_BUFFER_MAX each */
#define TICK_NS	     (1000 * MS)
#define DISK_TIMEOUT (10000 * MS)
#define DISK_TRIES   3
#define CLOCK_REUSE  (1000 * MS) /* without the tick's event: an rtc answer serves this long */
#define RTC_WAIT     (50 * MS)	 /* a stopped or hung rtc: the epoch, not a hang */

static struct block_client disk;
/* fs0 on disk0p1 unless the manifest names another pair (servers/fat2: fs2 on disk1). */
static const char *disk_name = "disk0p1", *serve_name = "fs0";
static uint32_t sector_size;
static handle_t client_mobj[FS_CLIENTS_MAX];
static uint64_t client_size[FS_CLIENTS_MAX];
static handle_t ep, tick;

/* ---- the block device under the engine ---- */

/*
 * Which buffer the disk driver has attached: ours (BUFFER_OWN), client slot
 * n's, or none known (BUFFER_NONE: a client buffer was replaced or unmapped).
 * Large transfers name the client's buffer itself, so the device moves a
 * file's bytes straight between the disk and the client's pages; what goes
 * through the cache uses ours. Attaching costs a call and the driver's look-up
 * of the pages, so the attachment stays until the other kind of transfer.
 */
#define BUFFER_OWN  (-1)
#define BUFFER_NONE (-2)
static handle_t own_buffer;
static int attached = BUFFER_OWN;
static uint32_t max_sectors; /* the most one block request may name */

static bool refused[FS_CLIENTS_MAX]; /* slot n's buffer failed: until it attaches another */

static long use_buffer(int slot)
{
	if (attached == slot)
		return E_OK;
	if (slot != BUFFER_OWN && refused[slot])
		return E_RANGE;
	disk.buffer = slot == BUFFER_OWN ? own_buffer : client_mobj[slot];
	long r = block_attach(&disk);
	attached = r == E_OK ? slot : BUFFER_NONE;
	return r;
}

/* The client slot whose mapped buffer holds [p, p + bytes) at a sector-aligned offset, or -1. */
static int client_slot_of(const uint8_t *p, size_t bytes)
{
	uint64_t a = (uint64_t)(uintptr_t)p;

	if (a < CLIENT_VA || a >= CLIENT_VA + FS_CLIENTS_MAX * FS_BUFFER_MAX)
		return -1;
	unsigned slot = (unsigned)((a - CLIENT_VA) / FS_BUFFER_MAX);
	uint64_t off = a - CLIENT_VA - slot * FS_BUFFER_MAX;
	if (!client_mobj[slot] || off % sector_size || off + bytes > client_size[slot])
		return -1;
	return (int)slot;
}

/*
 * Whole sectors at fixed places: one the driver gave up on (it reset the
 * port) is resent. The first try is sent as it is (block_io_once, inline
 * in each caller); the block client's stubs take the others (disk_retry),
 * and a new driver instance (the buffer to attach again) too, without
 * counting it as a try.
 */
static long disk_retry(long r, uint64_t lba, uint32_t n, uint64_t offset, bool write)
{
	int tries = 1;

	if (r == E_RESTARTED || r == E_NOENT)
		r = E_TIMEOUT, tries = 0;
	for (; tries < DISK_TRIES && (r == E_TIMEOUT || r == E_IO); tries++)
		r = write ? block_write(&disk, lba, n, offset) : block_read(&disk, lba, n, offset);
	return r;
}

static inline long disk_io(uint64_t lba, uint32_t n, uint64_t offset, bool write)
{
	long r = block_io_once(&disk, write, lba, n, offset);

	return r == E_OK ? E_OK : disk_retry(r, lba, n, offset, write);
}

/* Sectors between the disk and buffer `slot` (attached first) from byte `off` of it, in
 * requests of at most max_sectors. */
static long dev_io_buffer(int slot, uint64_t off, uint64_t lba, uint32_t count, bool write)
{
	long r = use_buffer(slot);

	for (uint32_t done = 0; r == E_OK && done < count;) {
		uint32_t n = count - done < max_sectors ? count - done : max_sectors;
		r = disk_io(lba + done, n, off + (uint64_t)done * sector_size, write);
		done += n;
	}
	return r;
}

/* Straight between the disk and client slot's buffer. */
static long dev_io_client(int slot, uint64_t lba, uint32_t count, const uint8_t *p, bool write)
{
	uint64_t off = (uint64_t)(uintptr_t)p - CLIENT_VA - (uint64_t)slot * FS_BUFFER_MAX;

	return dev_io_buffer(slot, off, lba, count, write);
}

/* Whether [p, p + bytes) lies in our own buffer at a sector-aligned offset (the cache's I/O). */
static bool in_own_buffer(const uint8_t *p, size_t bytes)
{
	uint64_t off = (uint64_t)(uintptr_t)p - BLOCK_VA;

	return (uintptr_t)p >= BLOCK_VA && off < BLOCK_BYTES && bytes <= BLOCK_BYTES - off &&
	       off % sector_size == 0;
}

/* Straight between the disk and our own buffer, where the bytes already are: no copy. */
static long dev_io_own(uint64_t lba, uint32_t count, const uint8_t *p, bool write)
{
	return dev_io_buffer(BUFFER_OWN, (uint64_t)(uintptr_t)p - BLOCK_VA, lba, count, write);
}

/*
 * The offset in the attached client buffer of [p, p + count sectors) when
 * the whole of it lies there, sector-aligned, and one request can carry it;
 * else UINT64_MAX. Below the buffer's start the offset wraps to a large one.
 */
static inline __attribute__((always_inline)) uint64_t in_attached_client(const uint8_t *p,
									 uint32_t count)
{
	if (attached < 0 || count > max_sectors)
		return UINT64_MAX;
	uint64_t size = client_size[attached];
	uint64_t off = (uint64_t)(uintptr_t)p - CLIENT_VA - (uint64_t)attached * FS_BUFFER_MAX;
	if (off >= size || (uint64_t)count * sector_size > size - off || off % sector_size)
		return UINT64_MAX;
	return off;
}

/* Through our buffer, copied in or out a buffer's worth at a time. */
static long dev_io_bounced(uint64_t lba, uint32_t count, uint8_t *p, bool write)
{
	uint32_t per = BLOCK_BYTES / sector_size;
	long r = use_buffer(BUFFER_OWN);

	for (uint32_t done = 0; r == E_OK && done < count;) {
		uint32_t n = count - done < per ? count - done : per;
		size_t bytes = (size_t)n * sector_size;
		if (write)
			memcpy((void *)BLOCK_VA, p + (size_t)done * sector_size, bytes);
		r = disk_io(lba + done, n, 0, write);
		if (r == E_OK && !write)
			memcpy(p + (size_t)done * sector_size, (void *)BLOCK_VA, bytes);
		done += n;
	}
	return r;
}

/* What is left after a transfer that failed with r (E_OK: nothing): through our buffer, and a
 * client's buffer (slot) that failed is said once. */
static long dev_io_failed(int slot, long r, uint64_t lba, uint32_t count, uint8_t *p, bool write)
{
	if (r == E_OK)
		return E_OK;
	if (slot >= 0 && !refused[slot]) { /* through our buffer: say so once */
		refused[slot] = true;
		printf("fat: %s: a transfer with a client's buffer failed (%s): its data goes "
		       "through ours\n",
		       DISK_NAME, sys_error_name(r));
	}
	return dev_io_bounced(lba, count, p, write);
}

/* Not the usual transfer: in our own buffer, or a client's not attached (or too large). */
static long dev_io_other(uint64_t lba, uint32_t count, uint8_t *p, bool write)
{
	if (in_own_buffer(p, (size_t)count * sector_size))
		return dev_io_own(lba, count, p, write);
	int slot = client_slot_of(p, (size_t)count * sector_size);
	long r = slot >= 0 ? dev_io_client(slot, lba, count, p, write) : E_RANGE;
	return dev_io_failed(slot, r, lba, count, p, write);
}

/*
 * The usual large transfer, inline in dev_read and dev_write: the client's buffer is the one
 * attached and one request carries it, so it is sent at once (no attach, no loop); the first
 * try's failure goes on to the resends, then through our buffer, as dev_io_other's would.
 */
static inline __attribute__((always_inline)) long dev_io(uint64_t lba, uint32_t count, uint8_t *p,
							 bool write)
{
	uint64_t off = in_attached_client(p, count);
	int slot = attached;

	if (off == UINT64_MAX)
		return dev_io_other(lba, count, p, write);
	long r = block_io_once(&disk, write, lba, count, off);
	if (r == E_OK)
		return E_OK;
	r = disk_retry(r, lba, count, off, write);
	return dev_io_failed(slot, r, lba, count, p, write);
}

static long dev_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	return dev_io(lba, count, buf, false);
}

static long dev_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	(void)ctx;
	return dev_io(lba, count, (uint8_t *)buf, true);
}

static long dev_flush(void *ctx)
{
	(void)ctx;
	return block_flush(&disk);
}

static struct fat_blockdev dev = {.read = dev_read, .write = dev_write, .flush = dev_flush};

/* Ask the disk for its geometry until its driver answers, backing off up to 2 s. */
static void wait_for_disk(void)
{
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];
	uint64_t pause = 50 * MS;

	for (unsigned tries = 0;; tries++) {
		long r = block_geometry(&disk, &g, model);
		if (r == E_OK && (g.sector_size == 512 || g.sector_size == 4096)) {
			sector_size = (uint32_t)g.sector_size;
			dev.sector_size = sector_size;
			dev.sectors = g.sectors;
			max_sectors =
				(uint32_t)(g.max_sectors < UINT32_MAX ? g.max_sectors : UINT32_MAX);
			dev.max_sectors = max_sectors;
			return;
		}
		if (tries == 0)
			printf("fat: waiting for %s (%s)\n", DISK_NAME, sys_error_name(r));
		server_idle(ep, pause, E_NOVOLUME); /* the heartbeat is answered meanwhile */
		pause = pause * 2 < 2000 * MS ? pause * 2 : 2000 * MS;
	}
}

/* ---- what the handlers need of the system ---- */

static long env_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size)
{
	uint64_t at = CLIENT_VA + (uint64_t)slot * FS_BUFFER_MAX;
	struct handle_info info;
	long r = sys_handle_info(mobj, &info);

	(void)ctx;
	if (r == E_OK && info.type != KOBJ_MOBJ)
		r = E_TYPE;
	if (r == E_OK && (info.size == 0 || info.size > FS_BUFFER_MAX))
		r = E_RANGE;
	if (r == E_OK && (info.rights & (R_READ | R_WRITE)) != (R_READ | R_WRITE))
		r = E_RIGHTS;
	if (r < 0) {
		sys_handle_close(mobj);
		return r;
	}
	if (attached == (int)slot)
		attached = BUFFER_NONE; /* the disk driver must not keep using the old pages */
	refused[slot] = false;
	if (client_mobj[slot]) { /* attached again: the old buffer goes */
		sys_unmap(HANDLE_SELF, at, client_size[slot]);
		sys_handle_close(client_mobj[slot]);
	}
	r = sys_mobj_map(HANDLE_SELF, mobj, at, 0, info.size, R_READ | R_WRITE);
	client_mobj[slot] = r == E_OK ? mobj : HANDLE_INVALID;
	client_size[slot] = r == E_OK ? info.size : 0;
	if (r < 0) {
		sys_handle_close(mobj);
		return r;
	}
	*buf = (uint8_t *)at;
	*size = info.size;
	return E_OK;
}

static void env_unmap(void *ctx, unsigned slot)
{
	(void)ctx;
	if (attached == (int)slot)
		attached = BUFFER_NONE;
	if (!client_mobj[slot])
		return;
	sys_unmap(HANDLE_SELF, CLIENT_VA + (uint64_t)slot * FS_BUFFER_MAX, client_size[slot]);
	sys_handle_close(client_mobj[slot]);
	client_mobj[slot] = HANDLE_INVALID;
}

static void env_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx;
	sys_ep_watch(ep, badge, on ? 0 : EP_WATCH_CANCEL);
}

static void env_dirtied(void *ctx);
static const struct fat_env env = {env_map, env_unmap, env_watch, env_dirtied};
static struct fat_server fsrv = {.env = &env};

/*
 * The write-back tick: what has been dirty since the last one is written
 * back. The timer's notification, bound to the endpoint, arrives as an
 * event before any waiting caller (on_tick), so a request costs no clock
 * read. It is armed only while something is dirty: by the first change
 * after a sync (env_dirtied) and again by a tick whose write-back failed,
 * so a clean volume costs no wake-ups (and under -icount sleep=off no
 * tick lands in the benches' read requests). An endpoint keeps the first
 * notification bound to it for good, so a restarted instance cannot bind
 * its own: it reads the clock before each wait instead (before_wait), and
 * an idle one writes back at its next request.
 */
static bool tick_bound, tick_armed;
static uint64_t next_tick;
static bool stamp_due = true; /* the next file stamp asks rtc (clock_now) */

static void arm_tick(void)
{
	next_tick = sys_clock() + TICK_NS;
	if (tick_bound)
		tick_armed = sys_ntfn_timer(tick, next_tick, 1) == E_OK;
}

static void tick_now(void)
{
	stamp_due = true;
	tick_armed = false;
	if (fsrv.dirty) {
		long r = fat_sync(fsrv.vol);
		if (r < 0)
			printf("fat: write-back failed: %s\n", sys_error_name(r));
		fsrv.dirty = r < 0;
	}
	if (fsrv.dirty || !tick_bound)
		arm_tick();
}

/* The first change since the last sync: written back within TICK_NS. */
static void env_dirtied(void *ctx)
{
	(void)ctx;
	if (tick_bound && !tick_armed)
		arm_tick();
}

static void before_wait(void *ctx)
{
	(void)ctx;
	if (sys_clock() >= next_tick)
		tick_now();
}

/* The tick's event; also the last timer of a dead instance whose notification is still bound. */
static void on_tick(void *ctx, uint64_t bits)
{
	(void)ctx, (void)bits;
	tick_now();
}

static struct fs_server fss = {&fat_fs_ops, &fsrv, 0, on_tick};

/* ---- the time of day, from the rtc service (proto/rtc.h) ---- */

/*
 * The time now, for files' stamps. The rtc service reads the CMOS clock,
 * so fat holds no I/O ports: a process that does has its I/O bitmap loaded
 * at every switch into it and cleared at every switch away, four times per
 * request (about 800 instructions per 1 MiB read). FAT stamps count 2 s,
 * so an answer serves until the next write-back tick (every TICK_NS): the
 * first stamp after a tick asks rtc, the others reuse its answer and cost
 * no system call. A restarted instance, whose tick is no event (it reads
 * the clock before each wait, and an idle wait may be long), reuses an
 * answer for CLOCK_REUSE by sys_clock instead. When rtc does not answer
 * within RTC_WAIT (stopped, or hung until the supervisor restarts it), the
 * last time it gave stands, or the epoch if it never answered.
 */
static bool stamp_fresh(void)
{
	static uint64_t read_at;
	uint64_t now;

	if (tick_bound) {
		bool fresh = !stamp_due;
		stamp_due = false;
		return fresh;
	}
	now = sys_clock();
	if (read_at && now - read_at < CLOCK_REUSE)
		return true;
	read_at = now | 1;
	return false;
}

static struct fat_stamp last_stamp = {FAT_EPOCH_DATE, FAT_EPOCH_TIME};

/* A stamp that may ask rtc (stamp_fresh says), its answer kept for the stamps after it. */
static __attribute__((noinline)) struct fat_stamp clock_ask(handle_t rtc)
{
	struct rtc_time t;

	if (!stamp_fresh() && rtc_now_within(rtc, RTC_WAIT, &t) == E_OK)
		last_stamp = rtc_stamp(&t);
	return last_stamp;
}

static struct fat_stamp clock_now(void *ctx)
{
	if (tick_bound && !stamp_due) /* the usual stamp: rtc answered since the last tick */
		return last_stamp;
	return clock_ask((handle_t)(uintptr_t)ctx);
}

static long mount(void)
{
	handle_t rtc = start_handle(RTC_SERVICE, NULL);
	struct fat_mount_opts opts = {.io_buffer = (uint8_t *)BLOCK_VA,
				      .io_buffer_bytes = BLOCK_BYTES};
	long r;

	if (rtc != HANDLE_INVALID) {
		opts.now = clock_now;
		opts.now_ctx = (void *)(uintptr_t)rtc;
	} else {
		printf("fat: no rtc service: files get the epoch 2026-01-01\n");
	}
	for (long last = E_OK;; last = r) {
		r = fat_mount(&dev, &opts, &fsrv.vol);
		if (r == E_OK)
			break;
		if (r != last) /* once per reason: a disk without FAT is no news every 2 s */
			printf("fat: %s: no FAT volume (%s); trying again every 2 s\n", DISK_NAME,
			       sys_error_name(r));
		server_idle(ep, 2000 * MS, E_NOVOLUME);
	}
	struct fat_statfs s;
	fat_statfs(fsrv.vol, &s);
	printf("fat: %s: FAT%d, %u clusters of %u bytes, %u free%s; serving %s\n", DISK_NAME,
	       s.type, s.clusters, s.cluster_bytes, s.free_clusters,
	       fat_was_dirty(fsrv.vol) ? " (was not cleanly unmounted: repaired)" : "", SERVE_NAME);
	return E_OK;
}

/* The endpoint served ("fs<N>") and the disk called ("disk..."), from the start handles. */
static void find_names(void)
{
	uint32_t count;
	const struct start_handle *hs = bootstrap_handles(&count);

	for (uint32_t i = 0; i < count; i++) {
		if (!strncmp(hs[i].name, FS_NAME_PREFIX, 2) && hs[i].name[2] >= '0' &&
		    hs[i].name[2] <= '9')
			serve_name = hs[i].name;
		else if (!strncmp(hs[i].name, "disk", 4))
			disk_name = hs[i].name;
	}
}

int main(void)
{
	long t, m;

	find_names();
	ep = start_handle(SERVE_NAME, NULL);
	disk.ep = start_handle(DISK_NAME, NULL);
	if (ep == HANDLE_INVALID || disk.ep == HANDLE_INVALID) {
		printf("fat: no %s or %s handle\n", SERVE_NAME, DISK_NAME);
		return 1;
	}
	m = sys_mobj_create(BLOCK_BYTES, 0);
	t = sys_ntfn_create();
	if (m < 0 || t < 0 ||
	    sys_mobj_map(HANDLE_SELF, (handle_t)m, BLOCK_VA, 0, BLOCK_BYTES, R_READ | R_WRITE) <
		    0) {
		printf("fat: no memory for the disk buffer\n");
		return 1;
	}
	disk.buffer = own_buffer = (handle_t)m;
	disk.timeout = DISK_TIMEOUT;
	tick = (handle_t)t;
	tick_bound = sys_ep_bind(ep, tick) == E_OK;
	wait_for_disk();
	mount();
	fsrv.dirty = fat_was_dirty(fsrv.vol);
	fss.instance = sys_clock() | 1; /* FS_INSTANCE: no two instances start at once */
	struct server s = fs_server(ep, &fss);
	s.before_wait = tick_bound ? NULL : before_wait;
	tick_now(); /* the first write-back makes a repair durable, and the volume clean */
	return (int)server_run(&s);
}
