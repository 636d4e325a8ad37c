/* SPDX-License-Identifier: MIT */
/*
 * FS_SETTIME for the FAT server (proto/fs.h): a file's or directory's
 * modification time, from the client's stamp or the server's clock, and
 * its access date with it, written into its short directory entry. Kept
 * apart from fs.c and the engine's hot paths; the entry goes through the
 * cache like any other change and reaches the disk with the next sync.
 */
#include "fat_impl.h"
#include "fatfs.h"

/* Whether stamp (date << 16 | time) is a date and time FAT can hold. */
static bool stamp_ok(uint64_t stamp)
{
	uint32_t date = (uint32_t)(stamp >> 16) & 0xFFFFu, time = (uint32_t)stamp & 0xFFFFu;
	uint32_t month = date >> 5 & 15u, day = date & 31u;

	return stamp >> 32 == 0 && month >= 1 && month <= 12 && day >= 1 && time >> 11 < 24 &&
	       (time >> 5 & 63u) < 60 && (time & 31u) < 30;
}

static long fat_settime(struct fat_vol *v, const char *path, uint64_t stamp)
{
	struct fat_node n;
	struct fat_stamp t;
	long r;

	if (stamp != FS_TIME_NOW && !stamp_ok(stamp))
		return E_INVAL;
	r = fat_lookup(v, path, &n);
	if (r < 0)
		return r;
	if (n.is_root)
		return E_INVAL; /* the root directory has no entry to hold times */
	t = stamp == FS_TIME_NOW ? vol_now(v)
				 : (struct fat_stamp){(uint16_t)(stamp >> 16), (uint16_t)stamp};
	n.modified = t;
	n.accessed = t.date;
	return dir_update(v, &n);
}

long fat_settime_op(void *ctx, const char *path, uint64_t stamp)
{
	struct fat_server *s = ctx;

	fat_server_dirty(s);
	return fat_settime(s->vol, path, stamp);
}
