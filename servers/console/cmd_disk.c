/* SPDX-License-Identifier: MIT */
/*
 * disks and blk: the block devices, through the block protocol
 * (proto/block.h) like any other client of the disk driver.
 *
 *   disks                  every disk<n> and partition disk<n>p<m> that
 *                          answers, with its size, sectors and model
 *   blk read DEV LBA [N]   N sectors (default 1, at most BLK_MAX_SECTORS)
 *                          from LBA, as hex and ASCII
 *
 * A device name is looked up in the name service; a name no driver serves
 * (the manifest lists disk0-disk3, but a machine may have one disk) answers
 * nothing, so each probe waits at most PROBE_TIMEOUT of guest time. Sector
 * data comes through one buffer (a memory object the console maps once and
 * attaches to each device it reads), never through IPC.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "sys/fmt.h"
#include "sys/sys.h"
#include "sys/units.h"

#define BLK_VA		0x0000610000000000ull
#define BLK_BYTES	(32u * 1024)
#define BLK_MAX_SECTORS 16u
#define DISKS_MAX	4 /* disk0-disk3: what the ahci manifest serves */
#define PARTS_MAX	4 /* disk0p1-disk0p4 */
#define PROBE_TIMEOUT	(200 * MS)
#define IO_TIMEOUT	(5000 * MS)
#define NAME_BYTES	16
#define DEVICES_MAX	16 /* names a console keeps a client of */
#define DUMP_COLUMNS	16
#define KIB		1024u

/* The console's one buffer for sector data, made on first use. */
static handle_t blk_buffer = HANDLE_INVALID;

static long buffer(void)
{
	if (blk_buffer != HANDLE_INVALID)
		return E_OK;
	long m = sys_mobj_create(BLK_BYTES, 0);
	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, BLK_VA, 0, BLK_BYTES, R_READ | R_WRITE);
	if (err < 0) {
		sys_handle_close((handle_t)m);
		return err;
	}
	blk_buffer = (handle_t)m;
	return E_OK;
}

/*
 * The console's client of `name`, looked up once and kept: each lookup is a
 * new badge to the driver, which keeps a buffer per badge, so a client per
 * command would fill its table. Endpoints outlive driver restarts.
 */
static struct {
	char name[NAME_BYTES];
	struct block_client c;
} devices[DEVICES_MAX];

static long device(const char *name, struct block_client **out)
{
	unsigned i = 0;

	if (strlen(name) >= NAME_BYTES)
		return E_INVAL;
	while (i < ARRAY_SIZE(devices) && devices[i].name[0] && strcmp(devices[i].name, name))
		i++;
	if (i == ARRAY_SIZE(devices) || !devices[i].name[0]) {
		long ep = ns_lookup_self(name);
		if (ep < 0)
			return ep;
		if (i == ARRAY_SIZE(devices)) {
			sys_handle_close((handle_t)ep);
			return E_NOSPACE;
		}
		memcpy(devices[i].name, name, strlen(name) + 1);
		devices[i].c = (struct block_client){.ep = (handle_t)ep, .buffer = blk_buffer};
	}
	*out = &devices[i].c;
	return E_OK;
}

/* The client of `name` with its geometry and model, asked within `timeout`. */
static long open_device(const char *name, uint64_t timeout, struct block_client **c,
			struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	long err = device(name, c);

	if (err != E_OK)
		return err;
	(*c)->timeout = timeout;
	(*c)->attempts = 1;
	return block_geometry(*c, g, model);
}

/* "64.0 MiB": the size in KiB, MiB or GiB with one decimal. */
static void print_size(struct shell *sh, uint64_t bytes)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
	uint64_t scale = KIB;
	unsigned u = 0;

	while (u + 1 < ARRAY_SIZE(unit) && bytes >= scale * KIB) {
		scale *= KIB;
		u++;
	}
	uint64_t tenths = bytes * 10 / scale;
	shell_printf(sh, "%6llu.%llu %s", (unsigned long long)(tenths / 10),
		     (unsigned long long)(tenths % 10), unit[u]);
}

/* One line for `name` if it answers; true if it did. */
static bool list_device(struct shell *sh, const char *name, bool partition)
{
	struct block_client *c;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	if (open_device(name, PROBE_TIMEOUT, &c, &g, model) != E_OK)
		return false;
	shell_printf(sh, "%s%-*s", partition ? "  " : "", partition ? 7 : 9, name);
	print_size(sh, g.sector_size * g.sectors);
	shell_printf(sh, "  %10llu x %-4llu %s\n", (unsigned long long)g.sectors,
		     (unsigned long long)g.sector_size, partition ? "(partition)" : model);
	return true;
}

int cmd_disks(struct shell *sh, int argc, char **argv)
{
	char name[NAME_BYTES];
	unsigned found = 0;

	if (argc != 1) {
		shell_printf(sh, "usage: %s (no arguments)\n", argv[0]);
		return E_INVAL;
	}
	shell_printf(sh, "DEVICE         SIZE     SECTORS x SIZE MODEL\n");
	for (unsigned d = 0; d < DISKS_MAX; d++) {
		snprintf(name, sizeof(name), BLOCK_NAME_PREFIX "%u", d);
		if (!list_device(sh, name, false))
			continue;
		found++;
		for (unsigned p = 1; d == 0 && p <= PARTS_MAX; p++) {
			snprintf(name, sizeof(name), BLOCK_NAME_PREFIX "%up%u", d, p);
			list_device(sh, name, true);
		}
	}
	if (found == 0)
		shell_printf(sh, "disks: no disk answers (is ahci running? svc list)\n");
	return E_OK;
}

/* A whole decimal or 0x-hexadecimal number; false for anything else. */
static bool parse_number(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	*out = strtoul(s, &end, 0);
	return *end == '\0';
}

/* `count` sectors at BLK_VA, 16 bytes a line, offsets from the device's start. */
static void dump(struct shell *sh, uint64_t lba, uint64_t count, uint64_t sector_size)
{
	const uint8_t *p = (const uint8_t *)BLK_VA;
	uint64_t bytes = count * sector_size;
	char ascii[DUMP_COLUMNS + 1];

	for (uint64_t i = 0; i < bytes; i += DUMP_COLUMNS) {
		shell_printf(sh, "%010llx ", (unsigned long long)(lba * sector_size + i));
		for (unsigned j = 0; j < DUMP_COLUMNS; j++) {
			uint8_t b = p[i + j];
			shell_printf(sh, j == DUMP_COLUMNS / 2 ? "  %02x" : " %02x", b);
			ascii[j] = b >= 0x20 && b < 0x7F ? (char)b : '.';
		}
		ascii[DUMP_COLUMNS] = '\0';
		shell_printf(sh, "  |%s|\n", ascii);
	}
}

static int blk_usage(struct shell *sh)
{
	shell_printf(sh, "usage: blk read DEV LBA [N]   (N sectors, 1-%u; e.g. blk read disk0 0)\n",
		     BLK_MAX_SECTORS);
	return E_INVAL;
}

int cmd_blk(struct shell *sh, int argc, char **argv)
{
	uint64_t lba, count = 1;
	struct block_client *c;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	if (argc < 4 || argc > 5 || strcmp(argv[1], "read") != 0 || !parse_number(argv[3], &lba) ||
	    (argc == 5 && !parse_number(argv[4], &count)) || count == 0 || count > BLK_MAX_SECTORS)
		return blk_usage(sh);
	if (strncmp(argv[2], BLOCK_NAME_PREFIX, strlen(BLOCK_NAME_PREFIX)) != 0) {
		shell_printf(sh, "blk: %s: not a block device (see disks)\n", argv[2]);
		return E_INVAL;
	}
	long err = buffer();
	if (err == E_OK)
		err = open_device(argv[2], IO_TIMEOUT, &c, &g, model);
	if (err != E_OK) {
		shell_printf(sh, "blk: %s: %s\n", argv[2], sys_error_name(err));
		return (int)err;
	}
	if (count * g.sector_size > BLK_BYTES)
		count = BLK_BYTES / g.sector_size;
	c->attempts = 0; /* the library's own: resend after a driver restart */
	c->buffer = blk_buffer;
	err = lba >= g.sectors || count > g.sectors - lba ? E_RANGE : block_read(c, lba, count, 0);
	if (err != E_OK) {
		shell_printf(sh, "blk: %s: read %llu+%llu: %s (the device has %llu sectors)\n",
			     argv[2], (unsigned long long)lba, (unsigned long long)count,
			     sys_error_name(err), (unsigned long long)g.sectors);
		return (int)err;
	}
	dump(sh, lba, count, g.sector_size);
	return E_OK;
}
