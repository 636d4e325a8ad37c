/* SPDX-License-Identifier: MIT */
/*
 * The name index: for a few directories at a time, every live entry's names
 * hashed in memory, so that a lookup, the check that a short name is free and
 * the choice of an alias's ~n cost a few probes instead of a walk of the
 * directory (a create in a directory of n entries was three walks).
 *
 * An entry is one record under three keys in one hash table: its long name
 * and its short name as text (both ASCII case folded, as lookup compares
 * them) and its 11 short-name bytes. Lookup checks each candidate against
 * the disk (the run at the record's first slot must be a live entry of that
 * name), so the index only ever spares reading slots that cannot match; a
 * short name's bytes are kept in the record, so "is it taken" needs no disk.
 *
 * Exactness: the index is built from the directory by one scan on first use
 * and changed by every dir_add and dir_remove (create, mkdir, rename,
 * unlink, rmdir); a change that fails half way drops it, as does mkdir
 * taking a cluster a directory once had (dir_forget). It lives only in the
 * server's memory: a restarted server builds it again from the disk, so it
 * is never trusted over what a crash left there. Memory: at most
 * FAT_DIR_INDEXES directories and INDEX_RECS_MAX records in all; the least
 * recently used index goes to make room, and a directory too large for the
 * limit, or a failed allocation, leaves that directory to the scans.
 */
#include <stdlib.h>
#include <string.h>

#include "dir_impl.h"

#define IX_KEYS	       3     /* long name, short name as text, short name's bytes */
#define INDEX_RECS_MAX 32768 /* records in all indexes: about 1.5 MiB */
#define ALIAS_HINTS    4

struct ix_rec {
	uint32_t hash[IX_KEYS];
	int32_t next[IX_KEYS]; /* links: record * IX_KEYS + key, -1 at the end */
	uint32_t first_slot, slot;
	uint8_t sn[11];
};

/* For one alias base: every ~n below `from` is taken. */
struct alias_hint {
	uint8_t base[11];
	unsigned base_len;
	uint32_t from;
	bool used;
};

struct dir_index {
	uint32_t dir; /* dir_key */
	uint64_t used_at;
	uint32_t nrecs, cap, nbuckets, live;
	int32_t free_rec; /* free records, chained through next[0] */
	int32_t *buckets;
	struct ix_rec *recs;
	struct alias_hint alias[ALIAS_HINTS];
	unsigned alias_next;
};

typedef uint64_t __attribute__((may_alias, aligned(1))) word_t; /* eight bytes, any alignment */

#define BYTES(c) ((uint64_t)(c)*0x0101010101010101ull)

/* Eight bytes with every ASCII a-z made A-Z (bytes from 0x80 on stay as they are). */
static uint64_t fold8(uint64_t x)
{
	uint64_t low = x & BYTES(0x7F);
	uint64_t from_a = low + BYTES(0x80 - 'a'), past_z = low + BYTES(0x80 - 'z' - 1);
	uint64_t lower = from_a & ~past_z & ~x & BYTES(0x80); /* 0x80 in each a-z byte */

	return x - (lower >> 2); /* 0x20 off each */
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xFF51AFD7ED558CCDull;
	return h ^ h >> 29;
}

/*
 * A hash of the bytes eight at a time, ASCII upper-cased when `fold`; `salt`
 * keeps the key kinds apart. Names hashed here are long, so a word at a time
 * costs a fifth of a byte at a time.
 */
static uint32_t hash_bytes(const uint8_t *p, size_t n, bool fold, uint32_t salt)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ salt ^ n, w;
	bool long_enough = n >= 8;

	for (; n >= 8; n -= 8, p += 8) {
		w = *(const word_t *)p;
		h = mix(h, fold ? fold8(w) : w);
	}
	if (n && long_enough) {
		w = *(const word_t *)(p + n - 8) >>
		    8 * (8 - n); /* the last n bytes, read as a word */
		h = mix(h, fold ? fold8(w) : w);
	} else if (n) {
		w = 0;
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)p[i] << 8 * i;
		h = mix(h, fold ? fold8(w) : w);
	}
	return (uint32_t)(h ^ h >> 32);
}

static uint32_t hash_name(const char *s, size_t n)
{
	return hash_bytes((const uint8_t *)s, n, true, 0);
}

static uint32_t hash_short(const uint8_t sn[11])
{
	return hash_bytes(sn, 11, false, 0x5A5A5A5A);
}

static void index_free(struct fat_vol *v, struct dir_index *ix)
{
	v->index_recs -= ix->cap;
	free(ix->buckets);
	free(ix->recs);
	free(ix);
}

static struct dir_index **slot_of(struct fat_vol *v, uint32_t dir)
{
	uint32_t key = dir_key(v, dir);

	for (unsigned i = 0; i < FAT_DIR_INDEXES; i++)
		if (v->indexes[i] && v->indexes[i]->dir == key)
			return &v->indexes[i];
	return NULL;
}

void index_drop(struct fat_vol *v, uint32_t dir)
{
	struct dir_index **p = slot_of(v, dir);

	if (p) {
		index_free(v, *p);
		*p = NULL;
	}
}

void dir_index_free_all(struct fat_vol *v)
{
	for (unsigned i = 0; i < FAT_DIR_INDEXES; i++)
		if (v->indexes[i]) {
			index_free(v, v->indexes[i]);
			v->indexes[i] = NULL;
		}
}

/* Drop the least recently used index other than `keep`; false if there is none. */
static bool evict_one(struct fat_vol *v, const struct dir_index *keep)
{
	struct dir_index **old = NULL;

	for (unsigned i = 0; i < FAT_DIR_INDEXES; i++)
		if (v->indexes[i] && v->indexes[i] != keep &&
		    (!old || v->indexes[i]->used_at < (*old)->used_at))
			old = &v->indexes[i];
	if (!old)
		return false;
	index_free(v, *old);
	*old = NULL;
	return true;
}

static void link_key(struct dir_index *ix, uint32_t rec, unsigned k)
{
	uint32_t b = ix->recs[rec].hash[k] & (ix->nbuckets - 1);

	ix->recs[rec].next[k] = ix->buckets[b];
	ix->buckets[b] = (int32_t)(rec * IX_KEYS + k);
}

static void unlink_key(struct dir_index *ix, uint32_t rec, unsigned k)
{
	int32_t *p = &ix->buckets[ix->recs[rec].hash[k] & (ix->nbuckets - 1)];
	int32_t want = (int32_t)(rec * IX_KEYS + k);

	while (*p >= 0 && *p != want)
		p = &ix->recs[*p / IX_KEYS].next[*p % IX_KEYS];
	if (*p == want)
		*p = ix->recs[rec].next[k];
}

/* Twice the buckets, every live record linked again. */
static bool rehash(struct dir_index *ix, uint32_t nbuckets)
{
	int32_t *b = malloc(nbuckets * sizeof(*b));

	if (!b)
		return false;
	free(ix->buckets);
	ix->buckets = b;
	ix->nbuckets = nbuckets;
	memset(b, 0xFF, nbuckets * sizeof(*b));
	for (uint32_t r = 0; r < ix->nrecs; r++)
		if (ix->recs[r].slot != UINT32_MAX)
			for (unsigned k = 0; k < IX_KEYS; k++)
				link_key(ix, r, k);
	return true;
}

/* Room for one more record (a free one, or the array doubled within the volume's limit). */
static bool reserve(struct fat_vol *v, struct dir_index *ix)
{
	if (ix->free_rec >= 0 || ix->nrecs < ix->cap)
		return true;
	uint32_t cap = ix->cap * 2;
	while (v->index_recs + cap - ix->cap > INDEX_RECS_MAX)
		if (!evict_one(v, ix))
			return false;
	struct ix_rec *recs = realloc(ix->recs, cap * sizeof(*recs));
	if (!recs)
		return false;
	ix->recs = recs;
	v->index_recs += cap - ix->cap;
	ix->cap = cap;
	return cap <= ix->nbuckets || rehash(ix, ix->nbuckets * 2);
}

/* An entry's names as the index keys them (the long one is the short one when it has none). */
struct ix_names {
	const char *name, *short_name;
	size_t len, short_len;
	const uint32_t *name_hash; /* hash_name(name, len) if known, else NULL */
};

/* Record an entry; false when there is no room (the caller drops the index). */
static bool insert(struct fat_vol *v, struct dir_index *ix, const struct ix_names *n,
		   const uint8_t sn[11], uint32_t first_slot, uint32_t slot)
{
	if (!reserve(v, ix))
		return false;
	uint32_t r = ix->free_rec >= 0 ? (uint32_t)ix->free_rec : ix->nrecs++;
	struct ix_rec *rec = &ix->recs[r];

	if ((int32_t)r == ix->free_rec)
		ix->free_rec = rec->next[0];
	rec->hash[0] = n->name_hash ? *n->name_hash : hash_name(n->name, n->len);
	rec->hash[1] = hash_name(n->short_name, n->short_len);
	rec->hash[2] = hash_short(sn);
	memcpy(rec->sn, sn, 11);
	rec->first_slot = first_slot;
	rec->slot = slot;
	for (unsigned k = 0; k < IX_KEYS; k++)
		link_key(ix, r, k);
	ix->live++;
	return true;
}

struct build_ctx {
	struct fat_vol *v;
	struct dir_index *ix;
	bool full;
};

static int build_visit(void *ctx, const struct dir_entry *e)
{
	struct build_ctx *b = ctx;

	const struct ix_names n = {e->name, e->short_name, e->name_len, e->short_len, NULL};

	b->full = !insert(b->v, b->ix, &n, e->raw, e->first_slot, e->loc.index);
	return b->full;
}

static struct dir_index *index_new(struct fat_vol *v, uint32_t dir)
{
	struct dir_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return NULL;
	ix->dir = dir_key(v, dir);
	ix->free_rec = -1;
	ix->cap = 16;
	ix->recs = malloc(ix->cap * sizeof(*ix->recs));
	v->index_recs += ix->cap;
	if (!ix->recs || !rehash(ix, 32)) {
		index_free(v, ix);
		return NULL;
	}
	return ix;
}

/* A free place in the volume's table of indexes (the least recently used one goes). */
static struct dir_index **place(struct fat_vol *v)
{
	for (unsigned i = 0; i < FAT_DIR_INDEXES; i++)
		if (!v->indexes[i])
			return &v->indexes[i];
	evict_one(v, NULL);
	return place(v);
}

static struct dir_index *build(struct fat_vol *v, uint32_t dir)
{
	struct dir_index **p = place(v);
	struct dir_index *ix = index_new(v, dir);
	struct build_ctx b = {v, ix, false};
	long r = ix ? dir_scan(v, dir, 0, build_visit, &b, NULL) : E_NOMEM;

	if (r != E_NOENT || b.full) {
		if (ix)
			index_free(v, ix);
		return NULL;
	}
	*p = ix;
	return ix;
}

struct dir_index *index_get(struct fat_vol *v, uint32_t dir)
{
	struct dir_index **p = slot_of(v, dir);
	struct dir_index *ix = p ? *p : build(v, dir);

	if (ix)
		ix->used_at = ++v->index_clock;
	return ix;
}

/* Whether candidate `rec` is a live entry called name; *out gets it. */
static bool check(struct fat_vol *v, uint32_t dir, const struct ix_rec *rec, const char *name,
		  size_t len, struct dir_entry *out, long *err)
{
	long r = dir_entry_at(v, dir, rec->first_slot, out);

	if (r < 0 && r != E_NOENT)
		*err = r;
	return r == E_OK && out->loc.index == rec->slot && dir_entry_named(out, name, len);
}

long index_find(struct fat_vol *v, struct dir_index *ix, uint32_t dir, const char *name, size_t len,
		struct dir_entry *out, uint32_t *hash)
{
	uint32_t h = *hash = hash_name(name, len), best = UINT32_MAX;
	struct dir_entry *e = NULL; /* a candidate's place once *out holds a match */
	long err = E_OK;

	for (int32_t l = ix->buckets[h & (ix->nbuckets - 1)]; l >= 0 && err == E_OK;) {
		const struct ix_rec *rec = &ix->recs[l / IX_KEYS];
		unsigned k = l % IX_KEYS;
		bool same_key = k == 1 && rec->hash[0] == rec->hash[1]; /* seen as key 0 */

		l = rec->next[k];
		if (k == 2 || rec->hash[k] != h || same_key || rec->slot >= best)
			continue;
		struct dir_entry *into = best == UINT32_MAX ? out
					 : e		    ? e
							    : (e = malloc(sizeof(*e)));
		if (!into)
			err = E_NOMEM;
		else if (check(v, dir, rec, name, len, into, &err)) {
			best = rec->slot;
			if (into != out)
				*out = *into;
		}
	}
	free(e);
	return err < 0 ? err : best == UINT32_MAX ? E_NOENT : E_OK;
}

bool index_short_taken(const struct dir_index *ix, const uint8_t sn[11])
{
	uint32_t h = hash_short(sn);

	for (int32_t l = ix->buckets[h & (ix->nbuckets - 1)]; l >= 0;) {
		const struct ix_rec *rec = &ix->recs[l / IX_KEYS];
		unsigned k = l % IX_KEYS;

		l = rec->next[k];
		if (k == 2 && rec->hash[2] == h && !memcmp(rec->sn, sn, 11))
			return true;
	}
	return false;
}

static struct alias_hint *alias_find(struct dir_index *ix, const uint8_t base[11],
				     unsigned base_len)
{
	for (unsigned i = 0; i < ALIAS_HINTS; i++)
		if (ix->alias[i].used && ix->alias[i].base_len == base_len &&
		    !memcmp(ix->alias[i].base, base, 11))
			return &ix->alias[i];
	return NULL;
}

uint32_t index_alias_from(struct dir_index *ix, const uint8_t sn[11], unsigned base_len)
{
	const struct alias_hint *a = alias_find(ix, sn, base_len);
	return a ? a->from : 1;
}

/* The search for n started at index_alias_from's answer, so every number below n is taken. */
void index_alias_took(struct dir_index *ix, const uint8_t sn[11], unsigned base_len, uint32_t n)
{
	struct alias_hint *a = alias_find(ix, sn, base_len);

	if (!a) {
		a = &ix->alias[ix->alias_next++ % ALIAS_HINTS];
		memcpy(a->base, sn, 11);
		a->base_len = base_len;
		a->used = true;
	}
	a->from = n + 1;
}

void index_add(struct fat_vol *v, uint32_t dir, const char *name, size_t len, const uint8_t raw[32],
	       uint32_t first_slot, uint32_t slot, const uint32_t *name_hash)
{
	struct dir_index **p = slot_of(v, dir);
	char short_name[13];
	struct ix_names n = {name, short_name, len, 0, name ? name_hash : NULL};

	if (!p)
		return;
	n.short_len = name_short_to_8(raw, raw[12], short_name);
	if (!name) {
		n.name = short_name;
		n.len = n.short_len;
	}
	if (!insert(v, *p, &n, raw, first_slot, slot))
		index_drop(v, dir);
}

void index_remove(struct fat_vol *v, uint32_t dir, const struct dir_entry *e)
{
	struct dir_index **p = slot_of(v, dir);
	struct dir_index *ix = p ? *p : NULL;
	uint32_t h = hash_short(e->raw);

	if (!ix)
		return;
	memset(ix->alias, 0, sizeof(ix->alias)); /* a ~n may be free again */
	for (int32_t l = ix->buckets[h & (ix->nbuckets - 1)]; l >= 0;) {
		struct ix_rec *rec = &ix->recs[l / IX_KEYS];
		uint32_t r = (uint32_t)(l / IX_KEYS);

		l = rec->next[l % IX_KEYS];
		if (rec->slot != e->loc.index || rec->hash[2] != h)
			continue;
		for (unsigned k = 0; k < IX_KEYS; k++)
			unlink_key(ix, r, k);
		rec->slot = UINT32_MAX;
		rec->next[0] = ix->free_rec;
		ix->free_rec = (int32_t)r;
		ix->live--;
		return;
	}
	index_drop(v, dir); /* the index did not know it: it cannot be exact */
}
