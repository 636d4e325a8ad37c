/* SPDX-License-Identifier: MIT */
/*
 * The FAT engine's inside: the volume structure and what its layers
 * (cache.c, bpb.c, table.c, name.c, dir.c, file.c, extent.c, ops.c) give each
 * other.
 * Only the engine's own files include this; the server and tests use fat.h.
 */
#pragma once

#include "fat.h"

/* ---- cache.c: sectors of the volume, written back ---- */

struct fat_cache_line {
	uint64_t lba;
	int32_t next;	      /* next line in the same hash bucket, -1 at the end */
	int32_t newer, older; /* neighbours in the use order (-1 at its ends) */
	bool valid, dirty;
	uint8_t *data;
};

struct fat_cache {
	struct fat_blockdev *dev;
	uint64_t base;	/* the volume's first device sector */
	uint64_t limit; /* sectors in the volume: nothing at or past it is touched */
	uint32_t ss;	/* sector size */
	uint32_t nlines, nbuckets;
	int32_t newest, oldest; /* ends of the use order: invalid lines are the oldest */
	uint32_t ndirty;	/* dirty lines: a write-back with none scans nothing */
	uint32_t run_max;	/* sectors in one device request through the bounce buffer */
	uint64_t lo, hi; /* the lowest and highest sector ever installed (a bound, not exact) */
	/* Sectors [mirror_lo, mirror_lo + mirror_len) (the first FAT) are written again at
	 * + k * mirror_len for k = 1 .. mirror_copies (the other FATs), from the same bytes. */
	uint64_t mirror_lo, mirror_len;
	uint32_t mirror_copies;
	bool mirror_hold; /* mirror_lo's copies only at cache_commit and cache_mirror_all */
	struct fat_cache_line *lines;
	int32_t *buckets;
	uint8_t *mem, *bounce;
	bool own_bounce;		/* allocated here, not the device's io_buffer */
	struct fat_cache_line **sorted; /* cache_write_back's scratch: dirty lines by sector */
	uint64_t reads, writes;		/* device requests, for tests and figures */
	/* Bumped by every line marked dirty (written, or blank) and every device write
	 * (write-back, or around the cache): by every change to the volume's bytes
	 * (fat_node_refresh). Never 0. */
	uint64_t changes;
	/* Watched sectors [watch_lo, watch_lo + watch_n): a bit each, set by a caller that
	 * checked the sector's bytes (cache_watch_set), cleared by anything that changes them. */
	uint64_t watch_lo, watch_n;
	uint64_t *watch;
	uint64_t *
		zero; /* a second bit per watched sector, cleared with the first (cache_zero_set) */
};

/* A cache of `bytes` over the volume; its multi-sector requests go through io (io_bytes of
 * memory the device reaches without a copy) or, with none, a buffer of its own. */
long cache_init(struct fat_cache *c, struct fat_blockdev *dev, uint64_t base, uint64_t limit,
		uint32_t bytes, uint8_t *io, size_t io_bytes);
void cache_free(struct fat_cache *c);
/* Sector lba's bytes; on a miss up to `ahead` further sectors come in the same request. */
long cache_get(struct fat_cache *c, uint64_t lba, uint32_t ahead, uint8_t **data);
/* cache_get for a change about to be made: the line marked dirty in the same look-up. */
long cache_get_dirty(struct fat_cache *c, uint64_t lba, uint32_t ahead, uint8_t **data);
/* cache_get's line itself (its bytes at ->data): a change found after the look-up marks it
 * dirty with cache_line_mark_dirty, no second look-up, before any other look-up (which may
 * evict it). */
long cache_get_line(struct fat_cache *c, uint64_t lba, uint32_t ahead,
		    struct fat_cache_line **line);
/* cache_get_dirty's line itself (the claim keeps the last one it changes between claims);
 * a hit is not made the newest line (a claim uses each table sector once, in order). Its
 * answer: an error, or whether the sector's zero bit stood before it was marked (1, else 0). */
long cache_get_dirty_line(struct fat_cache *c, uint64_t lba, uint32_t ahead,
			  struct fat_cache_line **line);
/* Sector lba's bytes for a whole overwrite: not read from the disk, zeroed, marked dirty. */
long cache_get_blank(struct fat_cache *c, uint64_t lba, uint8_t **data);
void cache_mark_dirty(struct fat_cache *c, uint64_t lba);
/* Write dirty sectors in [lo, hi) in ascending order, runs as single requests. */
long cache_write_back(struct fat_cache *c, uint64_t lo, uint64_t hi);
/*
 * Mirror [lo, lo + len) to the `copies` ranges after it at every write-back (the other FAT
 * copies, which nothing reads through the cache); with hold, sector lo (the clean bit's)
 * only at cache_commit. cache_mirror_all copies the whole range from the disk to them
 * once (after a mount that found the volume not cleanly unmounted).
 */
void cache_set_mirror(struct fat_cache *c, uint64_t lo, uint64_t len, uint32_t copies, bool hold);
long cache_mirror_all(struct fat_cache *c);
/* Write dirty sector lba to its mirrors first and to itself last (the clean bit's sector). */
long cache_commit(struct fat_cache *c, uint64_t lba);
/*
 * Watch sectors [lo, lo + n) (a table's): each has a bit, clear at first, that
 * cache_watch_set sets and that every change to the sector's bytes clears (a line
 * marked dirty or blank, a write around the cache over it, a mirror copy refreshed), so a
 * caller that checked the bytes once learns from the bit that they are still what it
 * checked. E_NOMEM leaves nothing watched (no bit is ever set).
 */
long cache_watch(struct fat_cache *c, uint64_t lo, uint64_t n);
void cache_watch_set(struct fat_cache *c, uint64_t lba);

/* Sector lba's bit in map (c->watch or c->zero): false when lba is not watched. */
static inline bool cache_bit(const struct fat_cache *c, const uint64_t *map, uint64_t lba)
{
	uint64_t i = lba - c->watch_lo;

	return i < c->watch_n && (map[i / 64] >> (i % 64) & 1);
}

/* Sector lba's bit in map set, if lba is watched. */
static inline void cache_bit_set(const struct fat_cache *c, uint64_t *map, uint64_t lba)
{
	uint64_t i = lba - c->watch_lo;

	if (i < c->watch_n)
		map[i / 64] |= 1ull << (i % 64);
}

/* Whether lba is watched and unchanged since its bit was set. */
static inline bool cache_watched(const struct fat_cache *c, uint64_t lba)
{
	return cache_bit(c, c->watch, lba);
}

/* A second bit per watched sector, set and cleared as the first (table.c: "zero bytes");
 * inline: the claim sets one per 1 MiB append. */
static inline void cache_zero_set(struct fat_cache *c, uint64_t lba)
{
	cache_bit_set(c, c->zero, lba);
}
void cache_zero_clear(struct fat_cache *c, uint64_t lba);

/* Whether lba's second bit is set: unchanged since cache_zero_set. */
static inline bool cache_zero(const struct fat_cache *c, uint64_t lba)
{
	return cache_bit(c, c->zero, lba);
}

/* Sector lba's two bits cleared, if it is watched: its bytes change (cache.c, cache_watch.c). */
static inline void cache_unwatch_one(struct fat_cache *c, uint64_t lba)
{
	uint64_t i = lba - c->watch_lo;

	if (i < c->watch_n) {
		c->watch[i / 64] &= ~(1ull << (i % 64));
		c->zero[i / 64] &= ~(1ull << (i % 64));
	}
}

/* Line l (held since its look-up) marked dirty: its sector's bits cleared (its bytes change), one
 * more change counted. Inline: a claim and an entry's update mark a line they hold. */
static inline void cache_line_mark_dirty(struct fat_cache *c, struct fat_cache_line *l)
{
	cache_unwatch_one(c, l->lba);
	c->ndirty += !l->dirty;
	l->dirty = true;
	c->changes++;
}

/* How many sectors from lba on (at most n) are watched and unchanged since their bits were set. */
uint64_t cache_watched_run(const struct fat_cache *c, uint64_t lba, uint64_t n);

/* Raw sectors around the cache (dirty ones written first), for large transfers. */
long cache_read_direct(struct fat_cache *c, uint64_t lba, uint32_t count, void *buf);
/* Raw sectors written around the cache; cached copies of them are dropped. */
long cache_write_direct(struct fat_cache *c, uint64_t lba, uint32_t count, const void *buf);

/* ---- the volume ---- */

/*
 * A place in a directory's chain: cluster `cl` is number `ord` (cl 0: none),
 * with the loop check's state as a walk from the first cluster has it there.
 */
struct fat_dir_pos {
	uint32_t ord, cl;
	uint32_t mark, power, lam;
};

/*
 * What the volume remembers of a directory (dir_add.c, dir.c): a slot before
 * which none is free, so a new entry's search starts there, and two places
 * in its chain (the furthest met and the latest other), so a walk to slot n
 * starts near it instead of at the first cluster. A directory's chain only
 * grows at its end while it lives; it is forgotten when it goes (rmdir, a
 * rename over it) and when mkdir takes a cluster it once had.
 */
struct fat_dir_hint {
	uint32_t dir, from;
	struct fat_dir_pos far, near;
	uint64_t used_at; /* use stamp: the least recently used record is replaced */
	bool used;
};
#define FAT_DIR_HINTS	8
#define FAT_DIR_INDEXES 8
struct dir_index;

/*
 * The directory the last walk to a parent reached (ops.c): the names of its
 * path, each followed by '/', and its node. Good while `gen` is the
 * volume's dir_gen, which every removal of an entry (unlink, rmdir, the old
 * name of a rename) and dir_forget bump: a directory's place in the tree
 * changes only with an entry removed. In the server's memory only.
 */
struct fat_parent_memo {
	uint64_t gen;
	unsigned depth;
	size_t len;
	bool used;
	struct fat_node node;
	char names[FAT_PATH_MAX];
};

/* Clusters index .. index + count - 1 of a chain are cluster .. cluster + count - 1. */
struct fat_extent {
	uint32_t index, cluster, count;
};
#define FAT_EXTENT_MAPS 8
#define FAT_EXTENT_RUNS 64

/*
 * The runs of one chain found so far, from its first cluster on (extent.c):
 * facts about the table, good while the volume's chain_gen is still `gen`.
 */
struct fat_extent_map {
	uint32_t first; /* the chain's first cluster (0: the slot is unused) */
	uint32_t nruns;
	uint64_t gen, used; /* chain_gen when built; use stamp, for the least recently used */
	struct fat_extent runs[FAT_EXTENT_RUNS]; /* by index, each after the one before */
};

struct fat_vol {
	struct fat_cache cache;
	enum fat_type type;
	bool read_only, was_dirty, marked_dirty;
	uint32_t ss, spc, cluster_bytes;
	uint32_t reserved, nfats, fat_sectors, active_fat; /* active_fat: FAT32 without mirroring */
	bool mirror;
	uint32_t root_entries, root_sectors;
	uint64_t fat_start, root_start, data_start, total_sectors;
	uint32_t clusters;	/* data clusters: numbers 2 .. clusters + 1 */
	uint32_t root_cluster;	/* FAT32 */
	uint32_t fsinfo_sector; /* FAT32, 0 if none */
	uint32_t free_count, next_free;
	/* Sector zero_lba of the active FAT, while its zero bit stands, is zero bytes from entry
	 * zero_from on (a claim's tail, table.c); any other sector with the bit, all of it. */
	uint64_t zero_lba;
	uint32_t zero_from;
	/* The append cursor (table_claim.c): the claim that made that note ended its run with
	 * cluster cur_end (0: none), the entry before zero_from's, in cache line cur_line. */
	uint32_t cur_end;
	int32_t cur_line;
	uint64_t cursor_claims; /* claims that went through the cursor (claim_on): for tests */
	uint32_t repaired;
	uint32_t eoc; /* the end-of-chain mark written */
	char label[12];
	struct fat_dir_hint dir_hints[FAT_DIR_HINTS];
	uint64_t dir_hint_clock;		    /* use stamps of dir_hints */
	struct dir_index *indexes[FAT_DIR_INDEXES]; /* name indexes of directories (dir_index.c) */
	uint64_t index_clock;			    /* use stamps, for the least recently used */
	uint32_t index_recs;			    /* records in all of them */
	uint64_t dir_gen;			    /* bumped by every entry removed */
	struct fat_parent_memo parent_memo;	    /* ops.c's last parent walked to */
	/*
	 * Bumped by every table write that can take a cluster out of a chain (an
	 * entry freed or cut with an end mark, table_set): extent maps and nodes'
	 * hints made under an older value are stale. Growing a chain (a link over
	 * its end mark, free entries linked) changes no link that was followed.
	 */
	uint64_t chain_gen;
	struct fat_extent_map maps[FAT_EXTENT_MAPS];
	uint64_t map_clock;
	uint32_t map_last; /* the map map_of gave last */
	struct fat_stamp (*now)(void *ctx);
	void *now_ctx;
};

/* ---- bpb.c ---- */

/* The boot sector's fields checked against the rules, into v's geometry. */
long bpb_parse(struct fat_vol *v, const uint8_t *sec, uint32_t dev_ss, uint64_t dev_sectors);
/* The first partition with a FAT type in an MBR sector, if any (E_NOENT otherwise). */
long bpb_mbr_first_fat(const uint8_t *sec, uint64_t dev_sectors, uint64_t *first, uint64_t *count);

/* ---- table.c: the allocation table ---- */

static inline bool fat_cluster_ok(const struct fat_vol *v, uint32_t cl)
{
	return cl >= 2 && cl - 2 < v->clusters;
}
static inline uint64_t fat_cluster_lba(const struct fat_vol *v, uint32_t cl)
{
	return v->data_start + (uint64_t)(cl - 2) * v->spc;
}
/*
 * Table sectors read ahead on a miss: 32 KiB, the links of 8,192 FAT32 clusters (32 MiB of
 * a file in 4 KiB clusters), so a large transfer rarely stops for the table.
 */
#define FAT_READ_AHEAD 64
/* Four FAT32 entries as one SSE2 value (x86-64 has SSE2; a loaded sector is 4-byte aligned),
 * and the same 16 bytes as two words (the table's vector scans and claims). */
typedef uint32_t fat_v4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef uint64_t fat_v2q __attribute__((vector_size(16)));
/* A link value that ends a chain (the volume's end marks, 0x...FF8 and up). */
static inline bool table_is_end(const struct fat_vol *v, uint32_t x)
{
	return x >= (v->eoc & ~7u);
}
long table_get(struct fat_vol *v, uint32_t cl, uint32_t *val);
long table_set(struct fat_vol *v, uint32_t cl, uint32_t val);
/* Byte offset of cl's entry in one copy of the table. */
uint64_t table_entry_offset(const struct fat_vol *v, uint32_t cl);
/* Entry cl of the active copy (also the reserved 0 and 1), unchecked (table_mount.c's use). */
long table_raw_get(struct fat_vol *v, uint32_t cl, uint32_t *val);
long table_raw_set(struct fat_vol *v, uint32_t cl, uint32_t val);
/* The cluster after cl: *next = 0 at the end of the chain; E_CORRUPT for a bad link. */
long table_next(struct fat_vol *v, uint32_t cl, uint32_t *next);
/* How many clusters from cl on (at most max) are linked one after the other on the disk. */
uint32_t table_contiguous(struct fat_vol *v, uint32_t cl, uint32_t max);
/*
 * Whole sectors of the active FAT that link each of their clusters to the next,
 * noted so table_contiguous passes over them while unchanged (the cache's watch
 * bits): table_watch_links at mount, then table_note_links for sector sec (its
 * bytes at p) as the mount's count reads it (true: noted, so none of its
 * entries is free).
 */
void table_watch_links(struct fat_vol *v);
/*
 * Clusters after cl that noted sectors link one to the next from cl on (cl's
 * entry the first of its sector; otherwise 0), in whole sectors, at most max.
 */
uint32_t table_noted_links(struct fat_vol *v, uint32_t cl, uint32_t max);
bool table_note_links(struct fat_vol *v, uint32_t sec, const uint8_t *p);
/* Sector sec of a FAT32 table, found all zero bytes by the mount's count, noted as such (the
 * cache's zero bits): the claim links its entries without testing them. */
void table_note_zero(struct fat_vol *v, uint32_t sec);

/* ---- extent.c: runs of files' chains, kept between requests ---- */

/*
 * Cluster number `index` of the chain from `first` (*cl) and how many clusters
 * from it on follow it on the disk (*count, at least 1; all of the `want` from
 * index on if they do), with the chain mapped ahead of index but not past
 * `last` (the file's last cluster). E_CORRUPT when the chain is damaged or
 * ends before index; E_NOSPACE when the chain has more runs than a map holds
 * (walk it instead).
 */
long extent_find(struct fat_vol *v, uint32_t first, uint32_t index, uint32_t want, uint32_t last,
		 uint32_t *cl, uint32_t *count);

/*
 * extent_find's fast path, for a read that goes on in the chain read last:
 * true (and *cl, *count as extent_find gives them) when index lies in that
 * map's last run and the map reaches past the last cluster wanted (so
 * extent_find would not map further), false to ask extent_find. The map is
 * the most recently used already, so its use stamp needs no update.
 */
static inline bool extent_hit(const struct fat_vol *v, uint32_t first, uint32_t index,
			      uint32_t want, uint32_t last, uint32_t *cl, uint32_t *count)
{
	const struct fat_extent_map *m = &v->maps[v->map_last];
	const struct fat_extent *e = &m->runs[m->nruns ? m->nruns - 1 : 0];
	uint32_t upto = want > 0 && want - 1 < last - index ? want - 1 : last - index;

	if (m->first != first || m->gen != v->chain_gen || !m->nruns || index < e->index ||
	    index - e->index >= e->count || index > last || e->count - (index - e->index) <= upto)
		return false;
	*cl = e->cluster + (index - e->index);
	*count = e->count - (index - e->index);
	return true;
}
/* A free cluster, marked end of chain and linked after prev (0: none); E_NOSPACE. */
long table_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out);
/* n clusters from first on taken: the free count (never below 0) and the next free hint. */
static inline void table_took(struct fat_vol *v, uint32_t first, uint32_t n)
{
	v->free_count -= v->free_count >= n ? n : v->free_count;
	v->next_free = first + n;
}
/* A new file's first cluster at the start of a table sector noted all zero (FAT32): the end of
 * a chain of one; E_NOSPACE when none is near next_free. table_claim.c. */
long table_alloc_aligned(struct fat_vol *v, uint32_t *out);
/*
 * Grow the chain ending at `last` by the free clusters right after it on the
 * disk (at most max; none if last + 1 is taken, or if last does not end its
 * chain): how many in *count.
 */
long table_extend_run(struct fat_vol *v, uint32_t last, uint32_t max, uint32_t *count);
/* Free the chain from cl on (bounded; stops at damage). */
long table_free_chain(struct fat_vol *v, uint32_t cl);
/* ---- table_mount.c ---- */

/* Count free clusters (mount) and set the dirty state; write FSInfo and the clean bit. */
long table_mount(struct fat_vol *v);
long table_mark_dirty_slow(struct fat_vol *v);
/*
 * Before a change: the volume's clean bit cleared (once per mount; E_RIGHTS
 * if read-only). Inline, as the usual call finds it done.
 */
static inline long table_mark_dirty(struct fat_vol *v)
{
	if (!v->read_only && v->marked_dirty)
		return E_OK;
	return table_mark_dirty_slow(v);
}
long table_mark_clean(struct fat_vol *v);

/* ---- repair.c ---- */

/* Free clusters that no entry names (after an unclean unmount). */
long repair_lost_clusters(struct fat_vol *v);

/* ---- name.c ---- */

/* UTF-8 to UTF-16 (surrogate pairs for the rest): number of units, or E_INVAL. */
long name_utf8_to_16(const char *s, size_t len, uint16_t *out, size_t max);
/* UTF-16 to NUL-terminated UTF-8 (its length); bad surrogates become U+FFFD. */
size_t name_utf16_to_8(const uint16_t *u, size_t n, char *out, size_t size);
/* Whether a long name may be stored: no control or reserved characters, not "." or "..". */
bool name_valid(const char *s, size_t len);
/* The 8.3 form of s if it is one (case bits for all-lower parts): true and sn, nt flags. */
bool name_as_short(const char *s, size_t len, uint8_t sn[11], uint8_t *nt);
/* The alias base (6+ chars) and extension of a long name, upper case, invalid chars '_'. */
void name_alias_parts(const char *s, size_t len, uint8_t sn[11], unsigned *base_len);
/* Put "~n" into an alias made by name_alias_parts. */
void name_alias_number(uint8_t sn[11], unsigned base_len, uint32_t n);
uint8_t name_checksum(const uint8_t sn[11]);
/* "NAME.EXT" from a short entry, with the NT lower-case bits applied (its length). */
size_t name_short_to_8(const uint8_t sn[11], uint8_t nt, char out[13]);
/* ASCII case-insensitive equality of UTF-8 names. */
bool name_equal(const char *a, size_t alen, const char *b, size_t blen);

/* ---- dir.c ---- */

/* One entry found in a directory: its name, its short entry, and where its slots are. */
struct dir_entry {
	char name[FAT_NAME_BYTES];
	char short_name[13];
	uint16_t name_len, short_len; /* strlen of each */
	uint8_t raw[32];	      /* the short entry */
	struct fat_loc loc;	      /* the short entry's place */
	uint32_t first_slot;	      /* the first slot of its run (long-name slots first) */
};

/* Visit each live entry of directory `dir` (first cluster, 0: the FAT12/16 root). */
typedef int (*dir_visit_fn)(void *ctx, const struct dir_entry *e);
long dir_scan(struct fat_vol *v, uint32_t dir, uint32_t from, dir_visit_fn fn, void *ctx,
	      uint32_t *stopped_at);
long dir_find(struct fat_vol *v, uint32_t dir, const char *name, size_t len, struct dir_entry *out);
/* Add an entry named `name` (a short entry raw[32] already filled but for its name). */
long dir_add(struct fat_vol *v, uint32_t dir, const char *name, size_t len, uint8_t raw[32],
	     struct fat_loc *out);
/*
 * What a look-up that missed knows for a create of the same name right after
 * it (nothing in between changes the directories): the directory's name index
 * (NULL: none; the scans serve) and the name's hash in it.
 */
struct dir_miss {
	struct dir_index *ix;
	uint32_t hash;
};
/* dir_find that fills *m for dir_add_missed when it gives E_NOENT. */
long dir_find_missed(struct fat_vol *v, uint32_t dir, const char *name, size_t len,
		     struct dir_entry *out, struct dir_miss *m);
/* dir_add of the name dir_find_missed just missed in dir. */
long dir_add_missed(struct fat_vol *v, uint32_t dir, const struct dir_miss *m, const char *name,
		    size_t len, uint8_t raw[32], struct fat_loc *out);
/* Mark the entry's slots free. */
long dir_remove(struct fat_vol *v, uint32_t dir, const struct dir_entry *e);
/* A new directory at cluster dir (or one gone): what was remembered of one there is wrong now. */
void dir_forget(struct fat_vol *v, uint32_t dir);
/* Free every directory's name index (unmount). */
void dir_index_free_all(struct fat_vol *v);
/* Whether a directory has entries other than "." and "..". */
long dir_is_empty(struct fat_vol *v, uint32_t dir);
/* The sector and offset of slot `index` of dir (extending nothing). */
long dir_slot(struct fat_vol *v, uint32_t dir, uint32_t index, struct fat_loc *out);
void dir_node_from(struct fat_vol *v, uint32_t dir, const struct dir_entry *e, struct fat_node *n);
/* Write a node's first cluster, size and times into its short entry (n->entry_line: the cache
 * line it was in, remembered). */
long dir_update(struct fat_vol *v, struct fat_node *n);
/* n's 32-byte directory entry in the cache (*e), for a node that is not the root. */
long dir_entry_of(struct fat_vol *v, const struct fat_node *n, uint8_t **e);

/* Little-endian fields. */
static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void wr16(uint8_t *p, uint16_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
}
/* Written out byte by byte (not a loop), so GCC merges the stores into one, as it merges rd32's
 * loads. */
static inline void wr32(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
	p[2] = (uint8_t)(x >> 16);
	p[3] = (uint8_t)(x >> 24);
}
static inline uint32_t entry_first(const uint8_t *e)
{
	return (uint32_t)rd16(e + 20) << 16 | rd16(e + 26);
}
static inline void entry_set_first(uint8_t *e, uint32_t cl)
{
	wr16(e + 20, (uint16_t)(cl >> 16));
	wr16(e + 26, (uint16_t)cl);
}
struct fat_stamp vol_now(struct fat_vol *v);

/* ---- ops.c: paths, shared with rename.c ---- */

#define FAT_DEPTH_MAX 128 /* names in a path */

struct fat_path {
	const char *name[FAT_DEPTH_MAX];
	size_t len[FAT_DEPTH_MAX];
	unsigned n;
};

/* Cut a path into names ("." dropped, ".." removing the name before it). */
long fat_path_split(const char *p, struct fat_path *out);
/* The parent directory of p's last name, and that name's entry if it exists. */
long fat_walk_parent(struct fat_vol *v, const struct fat_path *p, struct fat_node *parent,
		     struct dir_entry *e, bool *exists);
/* A directory node's number: its first cluster, 0 for the root. */
uint32_t fat_dir_id(const struct fat_vol *v, const struct fat_node *n);
/* Remove an entry of dir and free its chain once the removal is on the disk. */
long fat_remove_entry(struct fat_vol *v, uint32_t dir, const struct dir_entry *e);
/* E_OK if node is a subdirectory that holds nothing but "." and "..". */
long fat_check_rmdir(struct fat_vol *v, const struct fat_node *node);
