/* SPDX-License-Identifier: MIT */
/*
 * ext2 directories and names. A directory's data is a list of linked
 * entries (inode, rec_len, name_len, file type, name), none crossing a
 * block; an htree directory's index blocks look like blocks of empty
 * entries, so reading entries in order needs no index. Each entry is
 * checked against its block before it is used: rec_len at least 8, a
 * multiple of 4, inside the block and holding the name; a name without '/'
 * or NUL; an inode number the volume has. A bad entry is E_CORRUPT for that
 * directory. Every step moves at least 8 bytes through a directory of at
 * most EXT2_DIR_MAX_BYTES, so a walk ends.
 *
 * Lookup walks a path from the root. A symlink met on the way replaces its
 * component by its target (an absolute one starting again at the volume's
 * root, since nothing outside the volume is reachable from here), at most
 * EXT2_SYMLINKS_MAX times per lookup, in a working path of EXT2_PATH_MAX.
 */
#include <string.h>

#include "ext2_impl.h"

#define ENTRY_HEAD 8

struct entry {
	uint32_t ino;
	uint32_t name_len;
	const char *name; /* in the cache: valid until the next cache call */
};

/* The entry at byte *pos of dir (skipping unused ones); *pos moves past it. E_NOENT at the end. */
static long next_entry(struct ext2_vol *v, const struct ext2_node *dir, uint64_t *pos,
		       struct entry *e)
{
	while (*pos < dir->size) {
		uint32_t in = (uint32_t)(*pos % v->block_size), block;
		const uint8_t *b;
		long r = ext2_bmap(v, dir, *pos / v->block_size, &block);
		if (r == E_OK && block == 0)
			r = E_CORRUPT; /* a directory has no holes */
		if (r == E_OK && (in % 4 || in + ENTRY_HEAD > v->block_size))
			r = E_CORRUPT;
		if (r == E_OK)
			r = ext2_cache_get(&v->cache, block, &b);
		if (r < 0)
			return r;
		uint32_t rec_len = ext2_le16(b + in + 4), name_len = b[in + 6];
		*e = (struct entry){ext2_le32(b + in), name_len, (const char *)b + in + ENTRY_HEAD};
		if (rec_len < ENTRY_HEAD || rec_len % 4 || rec_len > v->block_size - in ||
		    name_len + ENTRY_HEAD > rec_len || e->ino > v->inodes)
			return E_CORRUPT;
		*pos += rec_len;
		if (e->ino == 0 || name_len == 0)
			continue; /* an unused entry (or an htree node's filler) */
		if (memchr(e->name, '/', name_len) || memchr(e->name, 0, name_len))
			return E_CORRUPT;
		return E_OK;
	}
	return E_NOENT;
}

static bool is_dot_or_dotdot(const struct entry *e)
{
	return e->name[0] == '.' && (e->name_len == 1 || (e->name_len == 2 && e->name[1] == '.'));
}

long ext2_readdir(struct ext2_vol *v, const struct ext2_node *dir, uint64_t *cookie,
		  struct ext2_dirent *out)
{
	struct entry e;
	long r;

	if (!ext2_is_dir(dir))
		return E_NOTDIR;
	if (*cookie % 4)
		return E_INVAL; /* no entry starts there: not a cookie this returned */
	do
		r = next_entry(v, dir, cookie, &e);
	while (r == E_OK && is_dot_or_dotdot(&e));
	if (r < 0)
		return r;
	memcpy(out->name, e.name, e.name_len);
	out->name[e.name_len] = 0;
	return ext2_read_inode(v, e.ino, &out->node);
}

/* The inode of `name` (len bytes) in dir. */
static long find_in_dir(struct ext2_vol *v, const struct ext2_node *dir, const char *name,
			size_t len, uint32_t *ino)
{
	uint64_t pos = 0;
	struct entry e;
	long r;

	if (!ext2_is_dir(dir))
		return E_NOTDIR;
	if (len > EXT2_NAME_MAX)
		return E_NOENT;
	while ((r = next_entry(v, dir, &pos, &e)) == E_OK)
		if (e.name_len == len && !memcmp(e.name, name, len)) {
			*ino = e.ino;
			return E_OK;
		}
	return r;
}

/* v->path becomes the symlink's target, then '/', then what was left after it (rest). */
static long splice_link(struct ext2_vol *v, const struct ext2_node *link, const char *rest)
{
	long r = ext2_readlink(v, link, v->link);
	size_t a = strlen(v->link), b = strlen(rest);

	if (r < 0)
		return r;
	if (a + 1 + b + 1 > EXT2_PATH_MAX)
		return E_RANGE;
	memmove(v->path + a + 1, rest, b + 1); /* rest lies inside v->path */
	memcpy(v->path, v->link, a);
	v->path[a] = '/';
	return E_OK;
}

/* One step of the walk: cur is the directory the component at *p is looked up in. */
static long step(struct ext2_vol *v, struct ext2_node *cur, const char **p, bool follow,
		 unsigned *links)
{
	const char *name = *p, *end = strchr(name, '/');
	size_t len = end ? (size_t)(end - name) : strlen(name);
	struct ext2_node next;
	uint32_t ino;
	long r = find_in_dir(v, cur, name, len, &ino);

	if (r == E_OK)
		r = ext2_read_inode(v, ino, &next);
	if (r < 0)
		return r;
	*p = name + len;
	if (!ext2_is_link(&next) || (!**p && !follow)) {
		*cur = next;
		return E_OK;
	}
	if (++*links > EXT2_SYMLINKS_MAX)
		return E_CORRUPT;
	r = splice_link(v, &next, *p);
	*p = v->path;
	if (r == E_OK && v->path[0] == '/')
		r = ext2_read_inode(v, EXT2_ROOT_INO, cur);
	return r;
}

long ext2_lookup(struct ext2_vol *v, const char *path, bool follow, struct ext2_node *out)
{
	struct ext2_node cur;
	unsigned links = 0;
	size_t len = strlen(path);
	long r = ext2_read_inode(v, EXT2_ROOT_INO, &cur);

	if (len >= EXT2_PATH_MAX)
		return E_RANGE;
	memmove(v->path, path, len + 1);
	for (const char *p = v->path; r == E_OK;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		r = step(v, &cur, &p, follow, &links);
	}
	if (r == E_OK)
		*out = cur;
	return r;
}
