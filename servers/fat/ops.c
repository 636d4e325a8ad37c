/* SPDX-License-Identifier: MIT */
/*
 * Operations by path. A path is cut into names, "." dropped and ".."
 * taking the previous name away (FAT has no links, so this is exact), then
 * walked from the root one directory at a time. Directories are named by
 * their first cluster, 0 for the root (as ".." entries name it). Each
 * operation checks everything it can before it changes the volume.
 *
 * fat_open (fs.c's open) splits and walks a path once and looks its last
 * name up once; a miss there creates the file with what the look-up found
 * (struct dir_miss). The last walk to a parent directory is remembered
 * (struct fat_parent_memo) until an entry is removed, so opens and creates
 * in one directory do not walk its path again.
 *
 * Order of writes: mkdir writes the new directory's cluster ("." and "..")
 * to the disk before its entry exists; unlink and rmdir write the freed entry
 * back before freeing the chain; rename adds the new entry before it removes
 * the old one (a kill between leaves two names for one chain, never none).
 */
#include <stdlib.h>
#include <string.h>

#include "fat_impl.h"

/* Take name [i, j) of p into out ("." skipped, ".." taking the name before away). */
static long path_take(const char *p, size_t i, size_t j, struct fat_path *out)
{
	size_t len = j - i;

	if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
		out->n -= out->n ? 1 : 0;
	} else if (len && !(len == 1 && p[i] == '.')) {
		if (out->n == FAT_DEPTH_MAX)
			return E_INVAL;
		out->name[out->n] = p + i;
		out->len[out->n++] = len;
	}
	return E_OK;
}

/* In one pass: a name ends at '/' or the NUL; no NUL in FAT_PATH_MAX bytes is E_INVAL. */
long fat_path_split(const char *p, struct fat_path *out)
{
	long r = E_OK;

	out->n = 0;
	for (size_t i = 0, j = 0; r == E_OK; i = ++j) {
		while (j < FAT_PATH_MAX && p[j] != '/' && p[j])
			j++;
		if (j == FAT_PATH_MAX)
			return E_INVAL;
		r = path_take(p, i, j, out);
		if (!p[j])
			break;
	}
	return r;
}

static void root_node(struct fat_vol *v, struct fat_node *n)
{
	memset(n, 0, sizeof(*n));
	n->is_root = true;
	n->attr = FAT_ATTR_DIR;
	n->first = v->type == FAT32 ? v->root_cluster : 0;
}

/* The number a directory node goes by: 0 for the root. */
uint32_t fat_dir_id(const struct fat_vol *v, const struct fat_node *n)
{
	if (n->is_root || (v->type == FAT32 && n->first == v->root_cluster))
		return 0;
	return n->first;
}

/* Walk the first `depth` names of p; the entry of the last in *e (if not the root). */
static long walk(struct fat_vol *v, const struct fat_path *p, unsigned depth, struct fat_node *out,
		 struct dir_entry *e)
{
	root_node(v, out);
	for (unsigned i = 0; i < depth; i++) {
		if (!(out->attr & FAT_ATTR_DIR))
			return E_NOTDIR;
		uint32_t dir = fat_dir_id(v, out);
		if (!out->is_root && dir == 0)
			return E_CORRUPT; /* a subdirectory without a cluster */
		long r = dir_find(v, dir, p->name[i], p->len[i], e);
		if (r < 0)
			return r;
		dir_node_from(v, dir, e, out);
	}
	return E_OK;
}

/* Whether the memo's directory is where p's names but the last lead (struct fat_parent_memo). */
static bool memo_matches(const struct fat_vol *v, const struct fat_path *p)
{
	const struct fat_parent_memo *m = &v->parent_memo;
	size_t at = 0;

	if (!m->used || m->gen != v->dir_gen || m->depth != p->n - 1)
		return false;
	for (unsigned i = 0; i + 1 < p->n; i++) {
		size_t n = p->len[i];
		if (at + n >= m->len || m->names[at + n] != '/' ||
		    memcmp(m->names + at, p->name[i], n))
			return false;
		at += n + 1;
	}
	return at == m->len;
}

static void memo_store(struct fat_vol *v, const struct fat_path *p, const struct fat_node *parent)
{
	struct fat_parent_memo *m = &v->parent_memo;
	size_t at = 0;

	m->used = false;
	for (unsigned i = 0; i + 1 < p->n; i++) {
		if (at + p->len[i] + 1 > sizeof(m->names))
			return; /* cannot be: the path itself fitted in FAT_PATH_MAX */
		memcpy(m->names + at, p->name[i], p->len[i]);
		m->names[at + p->len[i]] = '/';
		at += p->len[i] + 1;
	}
	m->len = at;
	m->depth = p->n - 1;
	m->gen = v->dir_gen;
	m->node = *parent;
	m->used = true;
}

/* The directory p's last name would be in (p has at least one name); e: scratch. */
static long parent_dir(struct fat_vol *v, const struct fat_path *p, struct fat_node *parent,
		       struct dir_entry *e)
{
	if (memo_matches(v, p)) {
		*parent = v->parent_memo.node;
		return E_OK;
	}
	long r = walk(v, p, p->n - 1, parent, e);

	if (r == E_OK && !(parent->attr & FAT_ATTR_DIR))
		r = E_NOTDIR;
	if (r == E_OK && !parent->is_root && fat_dir_id(v, parent) == 0)
		r = E_CORRUPT;
	if (r == E_OK)
		memo_store(v, p, parent);
	return r;
}

/* The parent directory of p's last name, and whether that name exists (*e). */
long fat_walk_parent(struct fat_vol *v, const struct fat_path *p, struct fat_node *parent,
		     struct dir_entry *e, bool *exists)
{
	long r = p->n == 0 ? E_INVAL : parent_dir(v, p, parent, e); /* the root has no parent */

	if (r < 0)
		return r;
	r = dir_find(v, fat_dir_id(v, parent), p->name[p->n - 1], p->len[p->n - 1], e);
	*exists = r == E_OK;
	return r == E_NOENT ? E_OK : r;
}

long fat_lookup(struct fat_vol *v, const char *path, struct fat_node *out)
{
	struct fat_path p;
	struct dir_entry *e = malloc(sizeof(*e));
	long r = e ? fat_path_split(path, &p) : E_NOMEM;

	if (r == E_OK)
		r = walk(v, &p, p.n, out, e);
	free(e);
	return r;
}

void fat_node_stat(const struct fat_node *n, struct fat_stat *out)
{
	memset(out, 0, sizeof(*out));
	out->size = n->size;
	out->attr = n->attr;
	out->is_dir = n->attr & FAT_ATTR_DIR;
	out->created = n->created;
	out->modified = n->modified;
	out->accessed = n->accessed;
}

static void new_raw(struct fat_vol *v, uint8_t raw[32], uint8_t attr, uint32_t first)
{
	struct fat_stamp now = vol_now(v);

	memset(raw, 0, 32);
	raw[11] = attr;
	wr16(raw + 14, now.time);
	wr16(raw + 16, now.date);
	wr16(raw + 18, now.date);
	wr16(raw + 22, now.time);
	wr16(raw + 24, now.date);
	entry_set_first(raw, first);
}

/* Checks shared by create and mkdir: the parent, a free valid name. */
static long prepare_new(struct fat_vol *v, const char *path, struct fat_path *p,
			struct fat_node *parent, struct dir_entry *e)
{
	bool exists;
	long r = v->read_only ? E_RIGHTS : fat_path_split(path, p);

	if (r == E_OK)
		r = fat_walk_parent(v, p, parent, e, &exists);
	if (r == E_OK && exists)
		r = E_EXISTS;
	if (r == E_OK && !name_valid(p->name[p->n - 1], p->len[p->n - 1]))
		r = E_INVAL;
	if (r == E_OK)
		r = table_mark_dirty(v);
	return r;
}

/* A new file called p's last name in parent, which has none of that name (m: its miss). */
static long create_in(struct fat_vol *v, const struct fat_path *p, const struct fat_node *parent,
		      const struct dir_miss *m, struct dir_entry *e, struct fat_node *out)
{
	uint32_t dir = fat_dir_id(v, parent);
	long r = name_valid(p->name[p->n - 1], p->len[p->n - 1]) ? table_mark_dirty(v) : E_INVAL;

	if (r == E_OK) {
		new_raw(v, e->raw, FAT_ATTR_ARCHIVE, 0);
		r = dir_add_missed(v, dir, m, p->name[p->n - 1], p->len[p->n - 1], e->raw, &e->loc);
	}
	if (r == E_OK)
		dir_node_from(v, dir, e, out);
	return r;
}

long fat_create(struct fat_vol *v, const char *path, struct fat_node *out)
{
	struct fat_path p;
	struct fat_node parent;
	struct dir_entry *e = malloc(sizeof(*e));
	long r = e ? prepare_new(v, path, &p, &parent, e) : E_NOMEM;

	if (r == E_OK) {
		new_raw(v, e->raw, FAT_ATTR_ARCHIVE, 0);
		r = dir_add(v, fat_dir_id(v, &parent), p.name[p.n - 1], p.len[p.n - 1], e->raw,
			    &e->loc);
	}
	if (r == E_OK)
		dir_node_from(v, fat_dir_id(v, &parent), e, out);
	free(e);
	return r;
}

/* fat_open once the path is split: the parent walked and the last name looked up once. */
static long open_split(struct fat_vol *v, const struct fat_path *p, unsigned how,
		       struct dir_entry *e, struct fat_node *out)
{
	struct fat_node parent;
	struct dir_miss m;
	bool missed = false;
	long r = E_OK;

	if (p->n == 0) /* the root, which exists */
		root_node(v, out);
	else
		r = parent_dir(v, p, &parent, e);
	if (r == E_OK && p->n) {
		r = dir_find_missed(v, fat_dir_id(v, &parent), p->name[p->n - 1], p->len[p->n - 1],
				    e, &m);
		missed = r == E_NOENT;
	}
	if (r == E_OK && p->n)
		dir_node_from(v, fat_dir_id(v, &parent), e, out);
	if (r == E_OK)
		return how & FAT_OPEN_EXCL ? E_EXISTS : E_OK;
	if (r != E_NOENT || !(how & FAT_OPEN_CREATE))
		return r;
	if (v->read_only)
		return E_RIGHTS; /* as a create would say, wherever the path ends */
	return missed ? create_in(v, p, &parent, &m, e, out) : r;
}

/* The entry on the stack (about 820 bytes; fat's stack is 256 KiB): no heap call per open. */
long fat_open(struct fat_vol *v, const char *path, unsigned how, struct fat_node *out)
{
	struct fat_path p;
	struct dir_entry e;
	long r = fat_path_split(path, &p);

	return r == E_OK ? open_split(v, &p, how, &e, out) : r;
}

/* A new directory's cluster: "." and ".." entries, written to the disk. */
static long init_dir(struct fat_vol *v, uint32_t cl, uint32_t parent)
{
	uint8_t *s;
	long r = E_OK;

	for (uint32_t i = 0; i < v->spc && r == E_OK; i++)
		r = cache_get_blank(&v->cache, fat_cluster_lba(v, cl) + i, &s);
	if (r == E_OK)
		r = cache_get(&v->cache, fat_cluster_lba(v, cl), 0, &s);
	if (r < 0)
		return r;
	new_raw(v, s, FAT_ATTR_DIR, cl);
	memcpy(s, ".          ", 11);
	new_raw(v, s + 32, FAT_ATTR_DIR, parent);
	memcpy(s + 32, "..         ", 11);
	cache_mark_dirty(&v->cache, fat_cluster_lba(v, cl)); /* a blank line may have gone out */
	return cache_write_back(&v->cache, fat_cluster_lba(v, cl), fat_cluster_lba(v, cl + 1));
}

long fat_mkdir(struct fat_vol *v, const char *path)
{
	struct fat_path p;
	struct fat_node parent;
	struct dir_entry *e = malloc(sizeof(*e));
	uint32_t cl = 0;
	long r = e ? prepare_new(v, path, &p, &parent, e) : E_NOMEM;

	if (r == E_OK)
		r = table_alloc(v, 0, &cl);
	if (r == E_OK) {
		dir_forget(v, cl); /* a directory that was there once */
		r = init_dir(v, cl, fat_dir_id(v, &parent));
	}
	if (r == E_OK) {
		new_raw(v, e->raw, FAT_ATTR_DIR, cl);
		r = dir_add(v, fat_dir_id(v, &parent), p.name[p.n - 1], p.len[p.n - 1], e->raw,
			    &e->loc);
	}
	if (r < 0 && cl)
		table_free_chain(v, cl);
	free(e);
	return r;
}

/* Remove an existing entry and free its chain after the entry is on the disk. */
long fat_remove_entry(struct fat_vol *v, uint32_t dir, const struct dir_entry *e)
{
	uint32_t first = v->type == FAT32 ? entry_first(e->raw) : rd16(e->raw + 26);
	long r = dir_remove(v, dir, e);

	if (r == E_OK && first)
		r = cache_write_back(&v->cache, 0, UINT64_MAX);
	if (r == E_OK && fat_cluster_ok(v, first))
		r = table_free_chain(v, first);
	return r;
}

/* Find p's last name for removal; *node and *e describe it. */
static long find_existing(struct fat_vol *v, const char *path, struct fat_path *p,
			  struct fat_node *parent, struct dir_entry *e, struct fat_node *node)
{
	bool exists;
	long r = v->read_only ? E_RIGHTS : fat_path_split(path, p);

	if (r == E_OK)
		r = fat_walk_parent(v, p, parent, e, &exists);
	if (r == E_OK && !exists)
		r = E_NOENT;
	if (r == E_OK) {
		dir_node_from(v, fat_dir_id(v, parent), e, node);
		r = table_mark_dirty(v);
	}
	return r;
}

long fat_unlink(struct fat_vol *v, const char *path)
{
	struct fat_path p;
	struct fat_node parent, node;
	struct dir_entry *e = malloc(sizeof(*e));
	long r = e ? find_existing(v, path, &p, &parent, e, &node) : E_NOMEM;

	if (r == E_OK && (node.attr & FAT_ATTR_DIR))
		r = E_ISDIR;
	if (r == E_OK)
		r = fat_remove_entry(v, fat_dir_id(v, &parent), e);
	free(e);
	return r;
}

/* A directory that may go: a real subdirectory with nothing but "." and "..". */
long fat_check_rmdir(struct fat_vol *v, const struct fat_node *node)
{
	if (!(node->attr & FAT_ATTR_DIR))
		return E_NOTDIR;
	if (fat_dir_id(v, node) == 0)
		return E_CORRUPT;
	long empty = dir_is_empty(v, node->first);
	return empty < 0 ? empty : empty ? E_OK : E_NOTEMPTY;
}

long fat_rmdir(struct fat_vol *v, const char *path)
{
	struct fat_path p;
	struct fat_node parent, node;
	struct dir_entry *e = malloc(sizeof(*e));
	long r = e ? find_existing(v, path, &p, &parent, e, &node) : E_NOMEM;

	if (r == E_OK)
		r = fat_check_rmdir(v, &node);
	if (r == E_OK)
		r = fat_remove_entry(v, fat_dir_id(v, &parent), e);
	if (r == E_OK)
		dir_forget(v, node.first); /* its name index and free-slot hint */
	free(e);
	return r;
}

struct dirent_ctx {
	struct fat_vol *v;
	uint32_t dir;
	struct fat_dirent *out;
};

/* The first entry but "." and "..": its names and its stat, from the slot in hand. */
static int dirent_visit(void *ctx, const struct dir_entry *e)
{
	struct dirent_ctx *d = ctx;
	struct fat_node n;

	if (e->raw[0] == '.' && (e->raw[1] == ' ' || (e->raw[1] == '.' && e->raw[2] == ' ')))
		return 0;
	memcpy(d->out->name, e->name, sizeof(d->out->name));
	memcpy(d->out->short_name, e->short_name, sizeof(d->out->short_name));
	dir_node_from(d->v, d->dir, e, &n);
	fat_node_stat(&n, &d->out->st);
	return 1;
}

long fat_readdir(struct fat_vol *v, const struct fat_node *dir, uint32_t *cookie,
		 struct fat_dirent *out)
{
	struct dirent_ctx d = {v, fat_dir_id(v, dir), out};
	uint32_t at;
	long r;

	if (!(dir->attr & FAT_ATTR_DIR))
		return E_NOTDIR;
	r = dir_scan(v, d.dir, *cookie, dirent_visit, &d, &at);
	if (r == E_OK)
		*cookie = at + 1;
	return r;
}
