/* SPDX-License-Identifier: MIT */
/*
 * The fs protocol's ops over the FAT engine (proto/fs.h, fat.h): clients by
 * badge, each with its attached buffer and up to FS_HANDLES_MAX open
 * handles. No system calls: what needs the system (mapping a client's
 * buffer, arming a client-death notice) goes through struct fat_env, so a
 * host test runs these handlers through the protocol's stubs.
 *
 * A handle keeps the node of the file it opened; each use reads the file's
 * entry again first (fat_node_refresh) unless no byte of the volume changed
 * since it last did, or since its own write stored the node in the entry
 * (node_written), so two handles on one file see each other's writes. A
 * handle whose file was removed or renamed gets E_NOENT.
 */
#include <string.h>

#include "fatfs.h"

/*
 * A client sits in its badge's home slot (badge % FS_CLIENTS_MAX) unless
 * that was taken when it came; then in the next free one after it. The
 * search starts at home and goes round every slot, so a hit is usually
 * the first compare and a removal needs no care.
 */
static unsigned home_of(uint64_t badge)
{
	return (unsigned)(badge % FS_CLIENTS_MAX);
}

static struct fat_client *client_find(struct fat_server *s, uint64_t badge)
{
	for (unsigned k = 0, i = home_of(badge); k < FS_CLIENTS_MAX; k++) {
		struct fat_client *c = &s->clients[i];
		if (c->used && c->badge == badge)
			return c;
		i = i + 1 == FS_CLIENTS_MAX ? 0 : i + 1;
	}
	return NULL;
}

/* The client's entry, made (and its death notice armed) on first use. */
static long client_get(struct fat_server *s, uint64_t badge, struct fat_client **out)
{
	struct fat_client *c = client_find(s, badge);

	for (unsigned k = 0, i = home_of(badge); !c && k < FS_CLIENTS_MAX; k++) {
		if (!s->clients[i].used) {
			c = &s->clients[i];
			memset(c, 0, sizeof(*c));
			c->used = true;
			c->badge = badge;
			c->slot = i;
			if (s->env->watch)
				s->env->watch(s->env_ctx, badge, true);
		}
		i = i + 1 == FS_CLIENTS_MAX ? 0 : i + 1;
	}
	*out = c;
	return c ? E_OK : E_NOSPACE;
}

static long attach(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	struct fat_server *s = ctx;
	struct fat_client *c;
	long r = client_get(s, badge, &c);

	if (r == E_OK)
		r = s->env->map(s->env_ctx, c->slot, mobj, &c->buf, &c->size);
	if (r == E_OK)
		*size = c->size;
	return r;
}

static void to_fs_stat(const struct fat_stat *f, struct fs_stat *st)
{
	st->size = f->size;
	st->attr = f->attr | (f->is_dir ? FS_STAT_DIR : 0);
	st->modified = (uint64_t)f->modified.date << 16 | f->modified.time;
	st->created = (uint64_t)f->created.date << 16 | f->created.time;
	st->accessed = (uint64_t)f->accessed << 16;
}

static long node_stat(const struct fat_node *n, struct fs_stat *st)
{
	struct fat_stat f;
	fat_node_stat(n, &f);
	to_fs_stat(&f, st);
	return E_OK;
}

void fat_server_dirty(struct fat_server *s)
{
	if (s->dirty)
		return;
	s->dirty = true;
	if (s->env && s->env->dirtied)
		s->env->dirtied(s->env_ctx);
}

/* The node for open: found, or created with FS_O_CREATE (one walk of the path). */
static long open_node(struct fat_server *s, const char *path, uint32_t flags, struct fat_node *n)
{
	bool create = flags & FS_O_CREATE;
	unsigned how = (create && !(flags & FS_O_DIR) ? FAT_OPEN_CREATE : 0) |
		       (create && (flags & FS_O_EXCL) ? FAT_OPEN_EXCL : 0);
	long r = fat_open(s->vol, path, how, n);

	if (flags & (FS_O_CREATE | FS_O_TRUNC))
		fat_server_dirty(s); /* a new entry or a cut chain is written back like a write */
	if (r < 0)
		return r;
	if ((flags & FS_O_DIR) && !(n->attr & FAT_ATTR_DIR))
		return E_NOTDIR;
	if (flags & FS_O_TRUNC)
		r = fat_truncate(s->vol, n, 0);
	return r;
}

static long fs_open_op(void *ctx, uint64_t badge, const char *path, uint32_t flags, uint64_t *h,
		       struct fs_stat *st)
{
	struct fat_server *s = ctx;
	struct fat_client *c;
	struct fat_node n;
	long r = client_get(s, badge, &c);
	unsigned i = 0;

	while (r == E_OK && i < FS_HANDLES_MAX && c->files[i].used)
		i++;
	if (r == E_OK && i == FS_HANDLES_MAX)
		r = E_NOSPACE;
	if (r == E_OK)
		r = open_node(s, path, flags, &n);
	if (r < 0)
		return r;
	c->files[i].used = true;
	c->files[i].node = n;
	s->changes = fat_change_count(s->vol); /* before any handle's io */
	*h = i + 1;
	return node_stat(&n, st);
}

/* Client c's open file h (1-based), or NULL. */
static struct fat_open_file *client_file(struct fat_client *c, uint64_t h)
{
	if (!c || h == 0 || h > FS_HANDLES_MAX || !c->files[h - 1].used)
		return NULL;
	return &c->files[h - 1];
}

/* The open file behind (badge, handle), its entry read again. */
static long handle_node(struct fat_server *s, uint64_t badge, uint64_t h, struct fat_node **out)
{
	struct fat_open_file *f = client_file(client_find(s, badge), h);

	if (!f)
		return E_BADHANDLE;
	*out = &f->node;
	return fat_node_refresh(s->vol, *out);
}

static long fs_close_op(void *ctx, uint64_t badge, uint64_t h)
{
	struct fat_open_file *f = client_file(client_find(ctx, badge), h);

	if (!f)
		return E_BADHANDLE;
	f->used = false;
	return E_OK;
}

/*
 * A write or truncate changed the node itself: its next use reads the entry
 * again whatever the volume's change count says (fat_node_refresh).
 */
static void node_changed(struct fat_node *n)
{
	n->seen = 0;
}

/*
 * After a write through n, which was its entry's copy when the write began
 * (io refreshed it): a write that succeeded ended by storing every field it
 * changed (first cluster, size, times, attributes) in the entry
 * (dir_update), so the two are equal again and n's next use need not read
 * the entry, unless some other byte of the volume changes first. A failed
 * write may have changed the node and not the entry: read it again.
 */
static void node_written(struct fat_server *s, struct fat_node *n, long r)
{
	if (r == E_OK)
		n->seen = *s->changes; /* fat_node_current, inline */
	else
		node_changed(n);
}

/* fat_node_refresh with its usual test (nothing changed since n read its entry) inline. */
static long node_fresh(struct fat_server *s, struct fat_node *n)
{
	return n->seen == *s->changes ? E_OK : fat_node_refresh(s->vol, n);
}

/*
 * The fs protocol's io_checking op: one client look-up, then the range
 * check against its buffer (fs_check_io, which the protocol leaves to this
 * op) before the handle's and anything else.
 */
static long io(void *ctx, uint64_t badge, enum fs_dir dir, const struct fs_io_request *rq,
	       uint64_t *done)
{
	struct fat_server *s = ctx;
	struct fat_client *c = client_find(s, badge);
	long r = fs_check_io(c ? c->size : 0, rq);
	struct fat_open_file *f = r == E_OK ? client_file(c, rq->handle) : NULL;

	if (r == E_OK)
		r = f ? node_fresh(s, &f->node) : E_BADHANDLE;
	if (r < 0)
		return r;
	uint8_t *p = c->buf + rq->buffer_offset;
	if (dir == FS_DIR_READ)
		return fat_read(s->vol, &f->node, rq->offset, p, rq->count, done);
	r = fat_write(s->vol, &f->node, rq->offset, p, rq->count, done);
	node_written(s, &f->node, r);
	fat_server_dirty(s);
	return r;
}

static long stat_op(void *ctx, const char *path, struct fs_stat *st)
{
	struct fat_server *s = ctx;
	struct fat_node n;
	long r = fat_lookup(s->vol, path, &n);
	return r < 0 ? r : node_stat(&n, st);
}

static long fstat_op(void *ctx, uint64_t badge, uint64_t h, struct fs_stat *st)
{
	struct fat_node *n;
	long r = handle_node(ctx, badge, h, &n);
	return r < 0 ? r : node_stat(n, st);
}

static long readdir_op(void *ctx, uint64_t badge, uint64_t h, uint64_t *cookie, struct fs_stat *st,
		       char name[FS_NAME_BYTES])
{
	struct fat_server *s = ctx;
	struct fat_node *n;
	uint32_t ck = *cookie > UINT32_MAX ? UINT32_MAX : (uint32_t)*cookie;
	long r = handle_node(s, badge, h, &n);

	if (r < 0)
		return r;
	r = fat_readdir(s->vol, n, &ck, &s->dirent);
	if (r < 0)
		return r;
	_Static_assert(FS_NAME_BYTES == FAT_NAME_BYTES, "one name size");
	memcpy(name, s->dirent.name, FS_NAME_BYTES);
	to_fs_stat(&s->dirent.st, st);
	*cookie = ck;
	return E_OK;
}

/* FS_READDIR_MANY's records, put as the engine's walk meets the entries. */
struct many_ctx {
	uint8_t *out;
	uint32_t cap, used;
	uint64_t count;
};

static int many_visit(void *ctx, const struct fat_dirent_view *e)
{
	struct many_ctx *m = ctx;
	struct fs_stat st;

	to_fs_stat(&e->st, &st);
	if (!fs_dirent_put(m->out, m->cap, &m->used, e->next, &st, e->name, e->name_len))
		return 1;
	m->count++;
	return 0;
}

static long readdir_many_op(void *ctx, uint64_t badge, uint64_t h, uint64_t *cookie, uint8_t *out,
			    uint32_t cap, uint32_t *used, uint64_t *count)
{
	struct fat_server *s = ctx;
	struct fat_node *n;
	struct many_ctx m = {out, cap, 0, 0};
	uint32_t ck = *cookie > UINT32_MAX ? UINT32_MAX : (uint32_t)*cookie;
	long r = handle_node(s, badge, h, &n);

	if (r == E_OK)
		r = fat_readdir_many(s->vol, n, &ck, many_visit, &m);
	*cookie = m.count ? ck : *cookie;
	*used = m.used;
	*count = m.count;
	return r;
}

static long mkdir_op(void *ctx, const char *path)
{
	struct fat_server *s = ctx;
	fat_server_dirty(s);
	return fat_mkdir(s->vol, path);
}

static long unlink_op(void *ctx, const char *path)
{
	struct fat_server *s = ctx;
	fat_server_dirty(s);
	return fat_unlink(s->vol, path);
}

static long rmdir_op(void *ctx, const char *path)
{
	struct fat_server *s = ctx;
	fat_server_dirty(s);
	return fat_rmdir(s->vol, path);
}

static long rename_op(void *ctx, const char *from, const char *to)
{
	struct fat_server *s = ctx;
	fat_server_dirty(s);
	return fat_rename(s->vol, from, to);
}

static long truncate_op(void *ctx, uint64_t badge, uint64_t h, uint64_t size)
{
	struct fat_server *s = ctx;
	struct fat_node *n;
	long r = handle_node(s, badge, h, &n);
	fat_server_dirty(s);
	if (r < 0)
		return r;
	r = fat_truncate(s->vol, n, size);
	node_changed(n);
	return r;
}

static long sync_op(void *ctx)
{
	struct fat_server *s = ctx;
	long r = fat_sync(s->vol);
	if (r == E_OK)
		s->dirty = false;
	return r;
}

static long fsync_op(void *ctx, uint64_t badge, uint64_t h)
{
	struct fat_node *n;
	long r = handle_node(ctx, badge, h, &n);
	return r < 0 ? r : sync_op(ctx);
}

static long statfs_op(void *ctx, struct fs_statfs *out, char label[12])
{
	struct fat_server *s = ctx;
	struct fat_statfs f;

	fat_statfs(s->vol, &f);
	*out = (struct fs_statfs){f.type, f.cluster_bytes, f.clusters, f.free_clusters,
				  f.sector_size};
	memcpy(label, f.label, 12);
	return E_OK;
}

static void client_gone(void *ctx, uint64_t badge)
{
	struct fat_server *s = ctx;
	struct fat_client *c = client_find(s, badge);

	if (!c)
		return; /* armed by an earlier instance, or never ours */
	if (c->buf)
		s->env->unmap(s->env_ctx, c->slot);
	c->used = false;
}

const struct fs_ops fat_fs_ops = {
	.attach = attach,
	.open = fs_open_op,
	.close = fs_close_op,
	.io_checking = io,
	.stat = stat_op,
	.fstat = fstat_op,
	.readdir = readdir_op,
	.readdir_many = readdir_many_op,
	.mkdir = mkdir_op,
	.unlink = unlink_op,
	.rmdir = rmdir_op,
	.rename = rename_op,
	.truncate = truncate_op,
	.fsync = fsync_op,
	.sync = sync_op,
	.statfs = statfs_op,
	.client_gone = client_gone,
	.settime = fat_settime_op,
};
