/* SPDX-License-Identifier: MIT */
/*
 * What the directory files give each other: dir.c's slot iterator and scans,
 * used by dir_add.c (new entries, removal) and dir_index.c (the name index).
 * Only those three include this.
 */
#pragma once

#include "fat_impl.h"

#define LFN_UNITS     13
#define LFN_SLOTS_MAX 20 /* 20 * 13 >= 255 units */

/* Put 13 UTF-16 units into a long-name slot where it keeps them (bytes 1-10, 14-25, 28-31). */
void dir_lfn_put(uint8_t *e, const uint16_t u[LFN_UNITS]);

/*
 * Walks a directory's slots in order, keeping its place in the cluster chain
 * (pos.cl 0: not started). Brent's cycle check (pos.mark, power, lam: a cluster
 * met again is a loop) goes on from a remembered place as if the walk had
 * come from the first cluster, so walks that each go a little further still
 * find a loop.
 */
struct dir_iter {
	uint32_t first; /* 0: the fixed root */
	struct fat_dir_pos pos;
};

/* What the volume remembers of directory `key` (dir_key), or NULL; made (replacing another) if
 * needed. */
struct fat_dir_hint *dir_hint_of(struct fat_vol *v, uint32_t key);
struct fat_dir_hint *dir_hint_make(struct fat_vol *v, uint32_t key);

void dir_iter_init(struct fat_vol *v, struct dir_iter *it, uint32_t dir);
/* Slot `index`'s place; E_NOENT past the directory's end. */
long dir_iter_slot(struct fat_vol *v, struct dir_iter *it, uint32_t index, struct fat_loc *out);

/* The key a directory is known by in the volume's hints and indexes (the FAT32 root's cluster). */
static inline uint32_t dir_key(const struct fat_vol *v, uint32_t dir)
{
	return dir == 0 && v->type == FAT32 ? v->root_cluster : dir;
}

/* dir_scan for a listing: short_name is built only where it is the name, and the visitor must
 * not use the cache. */
long dir_scan_list(struct fat_vol *v, uint32_t dir, uint32_t from, dir_visit_fn fn, void *ctx,
		   uint32_t *stopped_at);
/* dir_scan for visitors of short entries only: no long name is built. */
long dir_scan_short(struct fat_vol *v, uint32_t dir, dir_visit_fn fn, void *ctx);
/* The scan of dir_find without the index: the first entry in slot order named `name`. */
long dir_find_scan(struct fat_vol *v, uint32_t dir, const char *name, size_t len,
		   struct dir_entry *out);
/* The live entry whose run starts at slot `first` (E_NOENT: none starts there any more). */
long dir_entry_at(struct fat_vol *v, uint32_t dir, uint32_t first, struct dir_entry *out);
/* Whether entry e is called `name` (long or short name, ASCII case folded). */
bool dir_entry_named(const struct dir_entry *e, const char *name, size_t len);

/* ---- dir_index.c: names hashed in memory, for a few directories ---- */

struct dir_index;

/* dir's index, built from the disk on first use; NULL when it cannot be had (no memory, damage). */
struct dir_index *index_get(struct fat_vol *v, uint32_t dir);
/* dir_find through the index (each candidate checked against the disk); *hash: the name's. */
long index_find(struct fat_vol *v, struct dir_index *ix, uint32_t dir, const char *name, size_t len,
		struct dir_entry *out, uint32_t *hash);
/* Whether a live entry of the indexed directory has the short name sn. */
bool index_short_taken(const struct dir_index *ix, const uint8_t sn[11]);
/* The smallest ~n that may be free for an alias base (all below it are taken). */
uint32_t index_alias_from(struct dir_index *ix, const uint8_t sn[11], unsigned base_len);
/* Alias number n of that base was just taken. */
void index_alias_took(struct dir_index *ix, const uint8_t sn[11], unsigned base_len, uint32_t n);
/* A new entry: its long name (len bytes of UTF-8; NULL: the short name alone), short entry,
 * first and short slot; name_hash: index_find's hash of that long name, if known (else NULL). */
void index_add(struct fat_vol *v, uint32_t dir, const char *name, size_t len, const uint8_t raw[32],
	       uint32_t first_slot, uint32_t slot, const uint32_t *name_hash);
/* An entry removed from dir. */
void index_remove(struct fat_vol *v, uint32_t dir, const struct dir_entry *e);
/* Forget dir's index (a failed change, a directory gone or made anew). */
void index_drop(struct fat_vol *v, uint32_t dir);
