/* SPDX-License-Identifier: MIT */
/*
 * Rename, within a directory or across directories. The new entry is added
 * before the old one is removed, so a kill in between leaves two names for
 * one chain (fsck's "duplicate" repair), never a file with no name. A file
 * replaces a file of the new name, a directory an empty directory; a
 * directory cannot move into itself or below itself (checked by walking up
 * from the new parent through ".." entries, at most DEPTH_WALK steps). A
 * directory that moves gets its ".." entry pointed at the new parent.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_impl.h"

#define DEPTH_WALK 4096

static uint32_t norm(const struct fat_vol *v, uint32_t cl)
{
	return v->type == FAT32 && cl == v->root_cluster ? 0 : cl;
}

/* The ".." slot of directory dir (slot 1), checked. */
static long dotdot(struct fat_vol *v, uint32_t dir, struct fat_loc *l, uint8_t **e)
{
	uint8_t *s;
	long r = dir_slot(v, dir, 1, l);

	if (r == E_OK)
		r = cache_get(&v->cache, l->lba, 0, &s);
	if (r < 0)
		return r == E_NOENT ? E_CORRUPT : r;
	*e = s + l->off;
	return memcmp(*e, "..         ", 11) ? E_CORRUPT : E_OK;
}

/* E_INVAL if directory `moved` is `to` or one of its ancestors. */
static long check_not_below(struct fat_vol *v, uint32_t moved, uint32_t to)
{
	for (unsigned i = 0; i < DEPTH_WALK; i++) {
		struct fat_loc l;
		uint8_t *e;
		if (to == moved)
			return E_INVAL;
		if (to == 0)
			return E_OK;
		long r = dotdot(v, to, &l, &e);
		if (r < 0)
			return r;
		to = norm(v, v->type == FAT32 ? entry_first(e) : rd16(e + 26));
	}
	return E_CORRUPT; /* a ".." chain longer than any tree: a loop */
}

static uint32_t raw_first(const struct fat_vol *v, const uint8_t *raw)
{
	return norm(v, v->type == FAT32 ? entry_first(raw) : rd16(raw + 26));
}

struct side {
	struct fat_node parent;
	struct dir_entry e;
	bool exists;
	uint32_t dir;
};

static long find_side(struct fat_vol *v, const char *path, struct side *s, const char **name,
		      size_t *len)
{
	struct fat_path p;
	long r = fat_path_split(path, &p);

	if (r == E_OK)
		r = fat_walk_parent(v, &p, &s->parent, &s->e, &s->exists);
	if (r < 0)
		return r;
	s->dir = fat_dir_id(v, &s->parent);
	*name = p.name[p.n - 1];
	*len = p.len[p.n - 1];
	return E_OK;
}

/* What may stand at the new name: nothing, the same entry, or a kind that may be replaced. */
static long check_target(struct fat_vol *v, const struct side *a, const struct side *b)
{
	bool a_dir = a->e.raw[11] & FAT_ATTR_DIR;
	struct fat_node n;

	if (!b->exists || (a->dir == b->dir && a->e.loc.index == b->e.loc.index))
		return E_OK;
	if (!a_dir)
		return b->e.raw[11] & FAT_ATTR_DIR ? E_ISDIR : E_OK;
	if (!(b->e.raw[11] & FAT_ATTR_DIR))
		return E_NOTDIR;
	dir_node_from(v, b->dir, &b->e, &n);
	return fat_check_rmdir(v, &n);
}

/* After moving directory cl to a new parent, its ".." names that parent. */
static long repoint(struct fat_vol *v, uint32_t cl, uint32_t parent)
{
	struct fat_loc l;
	uint8_t *e;
	long r = dotdot(v, cl, &l, &e);

	if (r < 0)
		return r;
	entry_set_first(e, parent);
	cache_mark_dirty(&v->cache, l.lba);
	return E_OK;
}

static long do_rename(struct fat_vol *v, struct side *a, struct side *b, const char *name,
		      size_t len)
{
	bool a_dir = a->e.raw[11] & FAT_ATTR_DIR;
	uint32_t moved = raw_first(v, a->e.raw);
	uint8_t raw[32];
	struct fat_loc l;
	long r = E_OK;

	if (a_dir && a->dir != b->dir)
		r = check_not_below(v, moved, b->dir);
	if (r == E_OK)
		r = check_target(v, a, b);
	if (r == E_OK)
		r = table_mark_dirty(v);
	if (r == E_OK && b->exists && !(a->dir == b->dir && a->e.loc.index == b->e.loc.index)) {
		r = fat_remove_entry(v, b->dir, &b->e);
		if (r == E_OK && (b->e.raw[11] & FAT_ATTR_DIR))
			dir_forget(v, raw_first(v, b->e.raw)); /* the empty directory replaced */
	}
	memcpy(raw, a->e.raw, 32);
	if (r == E_OK)
		r = dir_add(v, b->dir, name, len, raw, &l);
	if (r == E_OK)
		r = dir_remove(v, a->dir, &a->e);
	if (r == E_OK && a_dir && a->dir != b->dir)
		r = repoint(v, moved, b->dir);
	return r;
}

long fat_rename(struct fat_vol *v, const char *from, const char *to)
{
	struct side *s = malloc(2 * sizeof(*s));
	const char *an, *bn;
	size_t al, bl;
	long r = s ? (v->read_only ? E_RIGHTS : E_OK) : E_NOMEM;

	if (r == E_OK)
		r = find_side(v, from, &s[0], &an, &al);
	if (r == E_OK && !s[0].exists)
		r = E_NOENT;
	if (r == E_OK)
		r = find_side(v, to, &s[1], &bn, &bl);
	if (r == E_OK && !name_valid(bn, bl))
		r = E_INVAL;
	if (r == E_OK)
		r = do_rename(v, &s[0], &s[1], bn, bl);
	free(s);
	return r;
}
