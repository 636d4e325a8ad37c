/* SPDX-License-Identifier: MIT */
/*
 * ext2: the read-only ext2 filesystem server. It looks for an ext2 volume
 * on the whole disks its manifest lets it call (disk1, disk2, disk3: never
 * disk0, the system disk), in that order, and serves the first it finds
 * with the fs protocol (proto/fs.h) on fs1. A disk answers or not within
 * PROBE_TIMEOUT (the driver serves only the disks present), and one
 * without the ext2 magic at byte 1080 is passed over, so the share volume
 * is found whichever number the driver gave it (./run attaches it on the
 * last AHCI port, after the kargs disk and any --disk images). Until one
 * is found it looks again with back-off, up to every PROBE_PAUSE_MAX.
 * While it looks it serves: before each disk's probe and through each
 * pause every call is answered, E_NOVOLUME for those that need the volume
 * (fs.c), which the client library waits on and resends (proto/fs.h), so a
 * caller is never left waiting for its timeout on a silent fs1.
 *
 * Recovery: stateless; the volume is only read. A new instance finds and
 * mounts it again and knows no clients; their library attaches and reopens
 * by path (proto/fs.h).
 */
#include <string.h>

#include "ext2fs.h"
#include "proto/block.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define SERVE_NAME	"fs1"
#define BLOCK_VA	0x00005f0000000000ull
#define BLOCK_BYTES	(256u << 10)	      /* the buffer the disk driver reads into */
#define CLIENT_VA	0x0000600000000000ull /* slot n's buffer: FS_BUFFER_MAX each */
#define DISK_TIMEOUT	(10000 * MS)
#define PROBE_TIMEOUT	(500 * MS)
#define PROBE_PAUSE_MAX (10000 * MS)
#define EXT2_MAGIC_AT	1080 /* the superblock's s_magic: byte 1024 + 56 */

static const char *const disks[] = {"disk1", "disk2", "disk3"};
static struct block_client disk;
static uint32_t max_sectors;
static handle_t client_mobj[FS_CLIENTS_MAX];
static uint64_t client_size[FS_CLIENTS_MAX];
static handle_t ep;

/* ---- the block device under the engine ---- */

static long dev_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	uint32_t ss = *(uint32_t *)ctx;

	while (count > 0) {
		uint32_t n = count < max_sectors ? count : max_sectors;
		long r = block_read(&disk, lba, n, 0);
		if (r < 0)
			return r;
		memcpy(buf, (const void *)BLOCK_VA, (size_t)n * ss);
		buf = (uint8_t *)buf + (size_t)n * ss;
		lba += n;
		count -= n;
	}
	return E_OK;
}

static uint32_t sector_size;
static struct ext2_blockdev dev = {.ctx = &sector_size, .read = dev_read};

/* Whether the disk on endpoint `name` answers and holds the ext2 magic. */
static bool probe(const char *name)
{
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];
	handle_t h = start_handle(name, NULL);

	if (h == HANDLE_INVALID)
		return false;
	disk.ep = h;
	disk.generation = 0; /* attach the buffer to this disk */
	disk.timeout = PROBE_TIMEOUT;
	disk.attempts = 1;
	if (block_geometry(&disk, &g, model) < 0 || (g.sector_size != 512 && g.sector_size != 4096))
		return false;
	sector_size = (uint32_t)g.sector_size;
	dev.sector_size = sector_size;
	dev.sectors = g.sectors;
	max_sectors =
		(uint32_t)(g.max_sectors < BLOCK_BYTES / sector_size ? g.max_sectors
								     : BLOCK_BYTES / sector_size);
	uint8_t *b = (uint8_t *)BLOCK_VA;
	if (block_read(&disk, EXT2_MAGIC_AT / sector_size, 1, 0) < 0)
		return false;
	uint32_t at = EXT2_MAGIC_AT % sector_size;
	return b[at] == 0x53 && b[at + 1] == 0xEF;
}

/* Look at each disk until one holds ext2 and mounts; serve between probes and rounds. */
static struct ext2_vol *find_volume(const struct server *loop)
{
	char why[EXT2_WHY_BYTES];
	uint64_t pause = 100 * MS;
	struct ext2_vol *v;

	for (unsigned round = 0;; round++) {
		for (unsigned i = 0; i < sizeof(disks) / sizeof(disks[0]); i++) {
			server_serve_for(loop, 0);
			if (!probe(disks[i]))
				continue;
			disk.timeout = DISK_TIMEOUT;
			disk.attempts = 0;
			long r = ext2_mount(&dev, 0, &v, why);
			if (r == E_OK) {
				printf("ext2: %s: mounted\n", disks[i]);
				return v;
			}
			if (round == 0)
				printf("ext2: %s: not mounted: %s (%s)\n", disks[i], why,
				       sys_error_name(r));
		}
		if (round == 0)
			printf("ext2: no ext2 volume on disk1-disk3 yet; looking again\n");
		server_serve_for(loop, pause);
		pause = pause * 2 < PROBE_PAUSE_MAX ? pause * 2 : PROBE_PAUSE_MAX;
	}
}

/* ---- what the handlers need of the system ---- */

static void drop_buffer(unsigned slot)
{
	if (!client_mobj[slot])
		return;
	sys_unmap(HANDLE_SELF, CLIENT_VA + (uint64_t)slot * FS_BUFFER_MAX, client_size[slot]);
	sys_handle_close(client_mobj[slot]);
	client_mobj[slot] = HANDLE_INVALID;
	client_size[slot] = 0;
}

/* The client's memory object, checked and mapped read-write in its slot's window. */
static long env_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size)
{
	uint64_t at = CLIENT_VA + (uint64_t)slot * FS_BUFFER_MAX;
	struct handle_info info;
	long r = sys_handle_info(mobj, &info);

	(void)ctx;
	if (r == E_OK)
		r = info.type != KOBJ_MOBJ			  ? E_TYPE
		    : info.size == 0 || info.size > FS_BUFFER_MAX ? E_RANGE
		    : (~info.rights & (R_READ | R_WRITE))	  ? E_RIGHTS
								  : E_OK;
	if (r == E_OK) {
		drop_buffer(slot);
		r = sys_mobj_map(HANDLE_SELF, mobj, at, 0, info.size, R_READ | R_WRITE);
	}
	if (r < 0) {
		sys_handle_close(mobj);
		return r;
	}
	client_mobj[slot] = mobj;
	client_size[slot] = info.size;
	*buf = (uint8_t *)at;
	*size = info.size;
	return E_OK;
}

static void env_unmap(void *ctx, unsigned slot)
{
	(void)ctx;
	drop_buffer(slot);
}

static void env_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx;
	sys_ep_watch(ep, badge, on ? 0 : EP_WATCH_CANCEL);
}

static const struct ext2_env env = {env_map, env_unmap, env_watch};
static struct ext2_server srv = {.env = &env};
static struct fs_server fss = {.ops = &ext2_fs_ops, .ctx = &srv};

int main(void)
{
	struct ext2_statfs s;
	long m;

	ep = start_handle(SERVE_NAME, NULL);
	m = sys_mobj_create(BLOCK_BYTES, 0);
	if (ep == HANDLE_INVALID || m < 0 ||
	    sys_mobj_map(HANDLE_SELF, (handle_t)m, BLOCK_VA, 0, BLOCK_BYTES, R_READ | R_WRITE) <
		    0) {
		printf("ext2: no %s handle or no memory for the disk buffer\n", SERVE_NAME);
		return 1;
	}
	disk.buffer = (handle_t)m;
	struct server srv_loop = fs_server(ep, &fss);
	srv.vol = find_volume(&srv_loop);
	srv.sector_size = sector_size;
	ext2_statfs(srv.vol, &s);
	printf("ext2: \"%s\": revision %u, %u blocks of %u bytes, %u free; serving %s "
	       "(read-only)\n",
	       s.label, s.revision, s.blocks, s.block_size, s.free_blocks, SERVE_NAME);
	return (int)server_run(&srv_loop);
}
