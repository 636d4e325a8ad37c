/* SPDX-License-Identifier: MIT */
/*
 * Directory listings in batches: fat_readdir_many walks a directory once
 * from a cookie (a slot number) and hands each entry to a visitor until it
 * says stop, so the fs server fills a whole FS_READDIR_MANY reply with one
 * walk, not one walk per entry. The walk starts near the cookie's cluster
 * (the volume remembers where in each directory's chain a walk last got to,
 * struct fat_dir_hint), builds each long name once, straight into UTF-8, and
 * allocates nothing per entry. "." and ".." and the volume label are left out,
 * as in fat_readdir.
 */
#include <string.h>

#include "dir_impl.h"

struct list_ctx {
	uint32_t *cookie;
	fat_readdir_fn fn;
	void *ctx;
};

static bool is_dot(const uint8_t *raw)
{
	return raw[0] == '.' && (raw[1] == ' ' || (raw[1] == '.' && raw[2] == ' '));
}

/* The stat of a short entry, as fat_node_stat gives it for the node dir_node_from makes. */
static void stat_of(const uint8_t *r, struct fat_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->attr = r[11];
	st->is_dir = r[11] & FAT_ATTR_DIR;
	st->size = st->is_dir ? 0 : rd32(r + 28);
	st->created = (struct fat_stamp){rd16(r + 16), rd16(r + 14)};
	st->modified = (struct fat_stamp){rd16(r + 24), rd16(r + 22)};
	st->accessed = rd16(r + 18);
}

static int list_visit(void *ctx, const struct dir_entry *e)
{
	struct list_ctx *l = ctx;
	struct fat_dirent_view d = {e->name, e->name_len, {0}, e->loc.index + 1};

	if (is_dot(e->raw))
		return 0;
	stat_of(e->raw, &d.st);
	if (l->fn(l->ctx, &d))
		return 1;
	*l->cookie = d.next;
	return 0;
}

long fat_readdir_many(struct fat_vol *v, const struct fat_node *dir, uint32_t *cookie,
		      fat_readdir_fn fn, void *ctx)
{
	struct list_ctx l = {cookie, fn, ctx};

	if (!(dir->attr & FAT_ATTR_DIR))
		return E_NOTDIR;
	return dir_scan_list(v, fat_dir_id(v, dir), *cookie, list_visit, &l, NULL);
}
