/* SPDX-License-Identifier: MIT */
/*
 * The fs protocol's ops over the ext2 engine (proto/fs.h, ext2.h): clients
 * by badge, each with its attached buffer and up to FS_HANDLES_MAX open
 * handles, each handle a copy of its inode (the volume never changes, so a
 * copy never goes stale). The volume is read-only: every method that would
 * change it answers E_ROFS, and sync and fsync have nothing to write.
 *
 * fs_stat for ext2: size; attr = FS_STAT_DIR or FS_STAT_LINK, FAT's
 * read-only bit (0x01), and the inode's Unix mode in bits 16-31; modified,
 * created and accessed from i_mtime, i_ctime and i_atime in FAT's date and
 * time layout (UTC). FS_STAT does not follow a final symlink (it shows the
 * link); FS_OPEN follows it. No system calls here: mapping a client's
 * buffer and watching for its death go through struct ext2_env.
 *
 * Until the server has found its volume (main.c serves between its probes
 * of the disks and sets s->vol once), every call that needs one answers
 * E_NOVOLUME at once; attach, close and sync need none.
 */
#include <string.h>

#include "ext2fs.h"

#define FAT_READONLY 0x01u
#define FAT_YEAR0    1980u
#define FAT_YEARS    128u

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

uint64_t ext2_fat_stamp(uint32_t t)
{
	static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint32_t days = t / 86400, secs = t % 86400;
	unsigned y = 1970, m = 0;

	while (days >= (leap(y) ? 366u : 365u))
		days -= leap(y++) ? 366 : 365;
	while (days >= month_days[m] + (m == 1 && leap(y) ? 1u : 0u))
		days -= month_days[m] + (m == 1 && leap(y) ? 1u : 0u), m++;
	if (y < FAT_YEAR0)
		return (1u << 5 | 1u) << 16; /* 1980-01-01 00:00, FAT's first day */
	if (y >= FAT_YEAR0 + FAT_YEARS)
		return (uint64_t)(127u << 9 | 12u << 5 | 31u) << 16 | 23u << 11 | 59u << 5 | 29u;
	uint64_t date = (y - FAT_YEAR0) << 9 | (m + 1) << 5 | (days + 1);
	return date << 16 | (secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2;
}

static void to_fs_stat(const struct ext2_node *n, struct fs_stat *st)
{
	st->size = n->size;
	st->attr = FAT_READONLY | (uint64_t)n->mode << 16 | (ext2_is_dir(n) ? FS_STAT_DIR : 0) |
		   (ext2_is_link(n) ? FS_STAT_LINK : 0);
	st->modified = ext2_fat_stamp(n->mtime);
	st->created = ext2_fat_stamp(n->ctime);
	st->accessed = ext2_fat_stamp(n->atime) >> 16 << 16;
}

static struct ext2_client *client_of(struct ext2_server *s, uint64_t badge)
{
	for (unsigned i = 0; i < FS_CLIENTS_MAX; i++)
		if (s->clients[i].used && s->clients[i].badge == badge)
			return &s->clients[i];
	return NULL;
}

/* The client's entry, or a new one (its death notice armed); NULL when the table is full. */
static struct ext2_client *client_new(struct ext2_server *s, uint64_t badge)
{
	struct ext2_client *c = client_of(s, badge);
	unsigned i = 0;

	while (!c && i < FS_CLIENTS_MAX && s->clients[i].used)
		i++;
	if (c || i == FS_CLIENTS_MAX)
		return c;
	c = &s->clients[i];
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->badge = badge;
	if (s->env->watch)
		s->env->watch(s->env_ctx, badge, true);
	return c;
}

static unsigned slot_of(const struct ext2_server *s, const struct ext2_client *c)
{
	return (unsigned)(c - s->clients);
}

/* The inode behind (badge, handle). */
static long node_of(struct ext2_server *s, uint64_t badge, uint64_t h, struct ext2_node **out)
{
	struct ext2_client *c = client_of(s, badge);

	if (!c || h == 0 || h > FS_HANDLES_MAX || !(c->open >> (h - 1) & 1))
		return E_BADHANDLE;
	*out = &c->node[h - 1];
	return E_OK;
}

/* The volume, or NULL while the disks are still being probed. */
static struct ext2_vol *vol_of(const struct ext2_server *s)
{
	return __atomic_load_n(&s->vol, __ATOMIC_ACQUIRE);
}

static long attach_op(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	struct ext2_server *s = ctx;
	struct ext2_client *c = client_new(s, badge);
	long r = c ? s->env->map(s->env_ctx, slot_of(s, c), mobj, &c->buf, &c->size) : E_NOSPACE;

	if (r == E_OK)
		*size = c->size;
	return r;
}

static uint64_t buffer_size_op(void *ctx, uint64_t badge)
{
	struct ext2_client *c = client_of(ctx, badge);
	return c ? c->size : 0;
}

/* What open may do on a volume nothing can be written to. */
static long open_check(long found, uint32_t flags, const struct ext2_node *n)
{
	if (found == E_NOENT && (flags & FS_O_CREATE))
		return E_ROFS;
	if (found < 0)
		return found;
	if ((flags & FS_O_TRUNC) || ((flags & FS_O_CREATE) && (flags & FS_O_EXCL)))
		return E_ROFS;
	return (flags & FS_O_DIR) && !ext2_is_dir(n) ? E_NOTDIR : E_OK;
}

static long open_op(void *ctx, uint64_t badge, const char *path, uint32_t flags, uint64_t *h,
		    struct fs_stat *st)
{
	struct ext2_server *s = ctx;
	struct ext2_client *c = client_new(s, badge);
	struct ext2_node n;
	unsigned i = 0;

	if (!vol_of(s))
		return E_NOVOLUME;
	if (!c)
		return E_NOSPACE;
	while (i < FS_HANDLES_MAX && (c->open >> i & 1))
		i++;
	long r = open_check(ext2_lookup(s->vol, path, true, &n), flags, &n);
	if (r == E_OK && i == FS_HANDLES_MAX)
		r = E_NOSPACE;
	if (r < 0)
		return r;
	c->open |= 1u << i;
	c->node[i] = n;
	*h = i + 1;
	to_fs_stat(&n, st);
	return E_OK;
}

static long close_op(void *ctx, uint64_t badge, uint64_t h)
{
	struct ext2_node *n;
	long r = node_of(ctx, badge, h, &n);

	if (r == E_OK)
		client_of(ctx, badge)->open &= ~(1u << (h - 1));
	return r;
}

static long io_op(void *ctx, uint64_t badge, enum fs_dir dir, const struct fs_io_request *rq,
		  uint64_t *done)
{
	struct ext2_server *s = ctx;
	struct ext2_node *n;
	size_t got = 0;
	long r = node_of(s, badge, rq->handle, &n);

	if (r == E_OK && dir == FS_DIR_WRITE)
		r = E_ROFS;
	if (r == E_OK)
		r = ext2_read(s->vol, n, rq->offset, client_of(s, badge)->buf + rq->buffer_offset,
			      rq->count, &got);
	*done = got;
	return r;
}

static long stat_op(void *ctx, const char *path, struct fs_stat *st)
{
	struct ext2_server *s = ctx;
	struct ext2_node n;
	long r = vol_of(s) ? ext2_lookup(s->vol, path, false, &n) : E_NOVOLUME;

	if (r == E_OK)
		to_fs_stat(&n, st);
	return r;
}

static long fstat_op(void *ctx, uint64_t badge, uint64_t h, struct fs_stat *st)
{
	struct ext2_node *n;
	long r = node_of(ctx, badge, h, &n);

	if (r == E_OK)
		to_fs_stat(n, st);
	return r;
}

static long readdir_op(void *ctx, uint64_t badge, uint64_t h, uint64_t *cookie, struct fs_stat *st,
		       char name[FS_NAME_BYTES])
{
	struct ext2_server *s = ctx;
	struct ext2_node *n;
	long r = node_of(s, badge, h, &n);

	_Static_assert(EXT2_NAME_MAX + 1 <= FS_NAME_BYTES, "an ext2 name fits the protocol's");
	if (r == E_OK)
		r = ext2_readdir(s->vol, n, cookie, &s->dirent);
	if (r < 0)
		return r;
	memcpy(name, s->dirent.name, sizeof(s->dirent.name));
	to_fs_stat(&s->dirent.node, st);
	return E_OK;
}

static long path_rofs(void *ctx, const char *path)
{
	(void)path;
	return vol_of(ctx) ? E_ROFS : E_NOVOLUME;
}

static long settime_op(void *ctx, const char *path, uint64_t stamp)
{
	(void)stamp;
	return path_rofs(ctx, path);
}

static long rename_op(void *ctx, const char *from, const char *to)
{
	(void)to;
	return path_rofs(ctx, from);
}

static long truncate_op(void *ctx, uint64_t badge, uint64_t h, uint64_t size)
{
	struct ext2_node *n;
	long r = node_of(ctx, badge, h, &n);

	(void)size;
	return r < 0 ? r : E_ROFS;
}

static long sync_op(void *ctx)
{
	(void)ctx;
	return E_OK; /* nothing is ever written */
}

static long fsync_op(void *ctx, uint64_t badge, uint64_t h)
{
	struct ext2_node *n;
	return node_of(ctx, badge, h, &n);
}

static long statfs_op(void *ctx, struct fs_statfs *out, char label[12])
{
	struct ext2_server *s = ctx;
	struct ext2_statfs e;

	if (!vol_of(s))
		return E_NOVOLUME;
	ext2_statfs(s->vol, &e);
	*out = (struct fs_statfs){FS_TYPE_EXT2, e.block_size, e.blocks, e.free_blocks,
				  s->sector_size};
	memcpy(label, e.label, 11); /* the protocol's label holds 11 bytes of ext2's 16 */
	label[11] = 0;
	return E_OK;
}

static void client_gone_op(void *ctx, uint64_t badge)
{
	struct ext2_server *s = ctx;
	struct ext2_client *c = client_of(s, badge);

	if (!c)
		return; /* armed by an earlier instance, or never ours */
	if (c->buf)
		s->env->unmap(s->env_ctx, slot_of(s, c));
	c->used = false;
}

const struct fs_ops ext2_fs_ops = {
	.attach = attach_op,
	.buffer_size = buffer_size_op,
	.open = open_op,
	.close = close_op,
	.io = io_op,
	.stat = stat_op,
	.fstat = fstat_op,
	.readdir = readdir_op,
	.mkdir = path_rofs,
	.unlink = path_rofs,
	.rmdir = path_rofs,
	.rename = rename_op,
	.truncate = truncate_op,
	.fsync = fsync_op,
	.sync = sync_op,
	.statfs = statfs_op,
	.client_gone = client_gone_op,
	.settime = settime_op,
};
