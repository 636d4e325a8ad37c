/* SPDX-License-Identifier: MIT */
/*
 * New directory entries and their removal. A name that is a valid 8.3 name
 * not yet taken gets one short entry; any other gets a run of long-name
 * slots before an alias (`~n`, the smallest n no entry has). The run goes
 * into the first free slots long enough, from a slot before which the
 * volume knows none is free (struct fat_dir_hint), and a cluster directory
 * grows by a zeroed cluster when there are none. With the directory's name
 * index (dir_index.c) neither the short-name check nor the alias's number
 * walks the directory; without it (no memory, damage) one scan each does.
 */
#include <stdlib.h>
#include <string.h>

#include "dir_impl.h"

/* Slots of one directory in turn through the cache: one look-up per sector, not per slot. */
struct slot_cursor {
	struct dir_iter it;
	struct fat_loc loc; /* the slot last reached */
	uint8_t *sec;	    /* its cached sector (NULL: none; good until the cache is used again) */
};

static void cursor_init(struct fat_vol *v, struct slot_cursor *c, uint32_t dir)
{
	dir_iter_init(v, &c->it, dir);
	c->loc = (struct fat_loc){0};
	c->sec = NULL;
}

/* Slot i's bytes in the cache (*e); its place in c->loc. */
static long cursor_slot(struct fat_vol *v, struct slot_cursor *c, uint32_t i, uint8_t **e)
{
	uint64_t lba = c->loc.lba;
	long r = E_OK;

	if (c->sec && i == c->loc.index + 1 && i % (v->ss / 32) != 0) {
		c->loc.index = i; /* the next slot in the same sector */
		c->loc.off += 32;
	} else {
		r = dir_iter_slot(v, &c->it, i, &c->loc);
		if (r == E_OK && (!c->sec || c->loc.lba != lba))
			r = cache_get(&v->cache, c->loc.lba, 0, &c->sec);
	}
	if (r < 0)
		c->sec = NULL;
	else
		*e = c->sec + c->loc.off;
	return r;
}

/* Slot i takes the 32 bytes of `bytes`. */
static long cursor_write(struct fat_vol *v, struct slot_cursor *c, uint32_t i,
			 const uint8_t bytes[32])
{
	uint8_t *e;
	long r = cursor_slot(v, c, i, &e);

	if (r == E_OK) {
		memcpy(e, bytes, 32);
		cache_mark_dirty(&v->cache, c->loc.lba);
	}
	return r;
}

#define ALIAS_MAX 65536

/* What a scan learns for a new name: whether its short name is taken, and aliases in use. */
struct alias_ctx {
	const uint8_t *sn;
	unsigned base_len;
	bool taken;
	uint8_t *used; /* bitmap of ~n numbers in use, or NULL */
};

static int alias_visit(void *ctx, const struct dir_entry *e)
{
	struct alias_ctx *a = ctx;
	const uint8_t *r = e->raw;
	unsigned p = 0;
	uint32_t n = 0;

	if (!memcmp(r, a->sn, 11))
		a->taken = true;
	if (!a->used || memcmp(r + 8, a->sn + 8, 3))
		return 0;
	while (p < 8 && r[p] != '~')
		p++;
	if (p == 8 || p > a->base_len || memcmp(r, a->sn, p))
		return 0;
	unsigned q = p + 1, d = 0;
	for (; q < 8 && r[q] >= '0' && r[q] <= '9'; q++, d++)
		n = n * 10 + (r[q] - '0');
	for (; q < 8; q++)
		if (r[q] != ' ')
			return 0;
	if (d && n < ALIAS_MAX && p == (a->base_len < 7 - d ? a->base_len : 7 - d))
		a->used[n / 8] |= (uint8_t)(1 << n % 8);
	return 0;
}

/* Whether the short name sn is in use in dir (E_OK: *taken says). */
static long short_taken(struct fat_vol *v, uint32_t dir, struct dir_index *ix, const uint8_t sn[11],
			bool *taken)
{
	struct alias_ctx a = {sn, 8, false, NULL};
	long r = ix ? E_NOENT : dir_scan_short(v, dir, alias_visit, &a);
	*taken = ix ? index_short_taken(ix, sn) : a.taken;
	return r == E_NOENT ? E_OK : r;
}

/* The smallest free ~n from the index: its hint, then the short names it holds. */
static long alias_indexed(struct dir_index *ix, uint8_t sn[11], unsigned base_len)
{
	uint8_t base[11], try[11];
	uint32_t n = index_alias_from(ix, sn, base_len);

	memcpy(base, sn, 11);
	for (; n < ALIAS_MAX; n++) {
		memcpy(try, base, 11);
		name_alias_number(try, base_len, n);
		if (!index_short_taken(ix, try))
			break;
	}
	if (n == ALIAS_MAX)
		return E_NOSPACE;
	index_alias_took(ix, base, base_len, n);
	memcpy(sn, try, 11);
	return E_OK;
}

/* An alias for a long name that no entry of dir has (E_NOSPACE when ~1..~65535 are all taken). */
static long make_alias(struct fat_vol *v, uint32_t dir, struct dir_index *ix, const char *name,
		       size_t len, uint8_t sn[11])
{
	if (ix) {
		unsigned base_len;
		name_alias_parts(name, len, sn, &base_len);
		return alias_indexed(ix, sn, base_len);
	}

	struct alias_ctx a = {sn, 0, false, calloc(ALIAS_MAX / 8, 1)};
	long r;

	if (!a.used)
		return E_NOMEM;
	name_alias_parts(name, len, sn, &a.base_len);
	r = dir_scan_short(v, dir, alias_visit, &a);
	r = r == E_NOENT ? E_OK : r;
	uint32_t n = 1;
	while (n < ALIAS_MAX && a.used[n / 8] & (1 << n % 8))
		n++;
	free(a.used);
	if (r == E_OK && n == ALIAS_MAX)
		r = E_NOSPACE;
	if (r == E_OK)
		name_alias_number(sn, a.base_len, n);
	return r;
}

static long zero_cluster(struct fat_vol *v, uint32_t cl)
{
	for (uint32_t i = 0; i < v->spc; i++) {
		uint8_t *s;
		long r = cache_get_blank(&v->cache, fat_cluster_lba(v, cl) + i, &s);
		if (r < 0)
			return r;
	}
	return E_OK;
}

/* Grow a cluster directory by one zeroed cluster after its last (it->pos.cl after a miss). */
static long grow(struct fat_vol *v, struct dir_iter *it)
{
	uint32_t cl;
	long r = table_alloc(v, it->pos.cl, &cl);
	if (r == E_OK)
		r = zero_cluster(v, cl);
	return r;
}

/* ---- where free slots may be: struct fat_dir_hint's `from` ---- */

static struct fat_dir_hint *hint_of(struct fat_vol *v, uint32_t dir)
{
	return dir_hint_of(v, dir_key(v, dir));
}

static void hint_set(struct fat_vol *v, uint32_t dir, uint32_t from)
{
	dir_hint_make(v, dir_key(v, dir))->from = from;
}

void dir_forget(struct fat_vol *v, uint32_t dir)
{
	struct fat_dir_hint *h = hint_of(v, dir);

	v->dir_gen++; /* no path may lead to dir as it was */
	if (h)
		h->used = false; /* its free slots and its chain */
	index_drop(v, dir);
}

/*
 * The first index of `need` free slots in a row from the hint on, growing the
 * directory if needed; *first_free: the first free slot met (at most *out).
 * The cursor c (on dir) is left on the run's last slot, for write_run.
 */
static long find_free(struct fat_vol *v, uint32_t dir, struct slot_cursor *c, unsigned need,
		      uint32_t *out, uint32_t *first_free)
{
	struct fat_dir_hint *h = hint_of(v, dir);
	uint32_t run = 0;

	*first_free = UINT32_MAX;
	for (uint32_t i = h ? h->from : 0; i < FAT_DIR_MAX_ENTRIES; i++) {
		uint8_t *e;
		long r = cursor_slot(v, c, i, &e);
		if (r == E_NOENT && c->it.first != 0) {
			r = grow(v, &c->it);
			c->sec = NULL; /* grow used the cache */
			if (r == E_OK)
				r = cursor_slot(v, c, i, &e);
		}
		if (r < 0)
			return r == E_NOENT ? E_NOSPACE : r;
		run = e[0] == 0 || e[0] == 0xE5 ? run + 1 : 0;
		if (run == 1 && *first_free == UINT32_MAX)
			*first_free = i;
		if (run == need) {
			*out = i + 1 - need;
			return E_OK;
		}
	}
	return E_NOSPACE;
}

/* Long-name slot `ord` of name u (n units): whole units, or the name's end, a 0 and 0xFFFF. */
static void lfn_fill(uint8_t e[32], const uint16_t *u, size_t n, unsigned ord, bool last,
		     uint8_t sum)
{
	size_t k0 = (size_t)(ord - 1) * LFN_UNITS;
	uint16_t end[LFN_UNITS];

	if (k0 + LFN_UNITS > n) /* the slot with the name's end */
		for (unsigned i = 0; i < LFN_UNITS; i++)
			end[i] = k0 + i < n ? u[k0 + i] : k0 + i == n ? 0 : 0xFFFF;
	memset(e, 0, 32);
	e[0] = (uint8_t)(ord | (last ? 0x40 : 0));
	e[11] = FAT_ATTR_LFN;
	e[13] = sum;
	dir_lfn_put(e, k0 + LFN_UNITS > n ? end : u + k0);
}

/* The long-name slots (if any) and the short entry from slot `at` on, through find_free's c. */
static long write_run(struct fat_vol *v, struct slot_cursor *c, uint32_t at, const uint16_t *u,
		      size_t n, unsigned slots, const uint8_t raw[32], struct fat_loc *out)
{
	uint8_t e[32], sum = name_checksum(raw);
	long r = E_OK;

	for (unsigned k = 0; k < slots && r == E_OK; k++) {
		lfn_fill(e, u, n, slots - k, k == 0, sum);
		r = cursor_write(v, c, at + k, e);
	}
	if (r == E_OK)
		r = cursor_write(v, c, at + slots, raw);
	*out = c->loc;
	return r;
}

/*
 * The index learns the new entry under its long name (if it has one): the
 * name as given, which is what reading the slots back gives (UTF-8 that
 * name_utf8_to_16 took converts back to the very same bytes).
 */
static void index_learn(struct fat_vol *v, uint32_t dir, const char *name, size_t len,
			unsigned slots, const uint8_t raw[32], uint32_t at, const uint32_t *hash)
{
	index_add(v, dir, slots ? name : NULL, len, raw, at, at + slots, hash);
}

/* The short entry's name: the 8.3 form if free, else an alias; *slots long-name slots go first. */
static long choose_short(struct fat_vol *v, uint32_t dir, struct dir_index *ix, const char *name,
			 size_t len, long units, uint8_t raw[32], unsigned *slots)
{
	bool taken = true;
	long r = E_OK;

	*slots = 0;
	if (name_as_short(name, len, raw, &raw[12]))
		r = short_taken(v, dir, ix, raw, &taken);
	if (r == E_OK && taken) {
		raw[12] = 0;
		r = make_alias(v, dir, ix, name, len, raw);
		*slots = (unsigned)((units + LFN_UNITS - 1) / LFN_UNITS);
	}
	return r;
}

/* dir_add with the directory's index (NULL: none) and the name's hash in it (NULL: unknown). */
static long add(struct fat_vol *v, uint32_t dir, struct dir_index *ix, const uint32_t *hash,
		const char *name, size_t len, uint8_t raw[32], struct fat_loc *out)
{
	uint16_t u[FAT_NAME_MAX];
	long n = name_utf8_to_16(name, len, u, FAT_NAME_MAX);
	struct slot_cursor c;
	unsigned slots = 0;
	uint32_t at, first_free;
	long r = n < 0 ? n : choose_short(v, dir, ix, name, len, n, raw, &slots);

	cursor_init(v, &c, dir);
	if (r == E_OK)
		r = find_free(v, dir, &c, slots + 1, &at, &first_free);
	if (r == E_OK)
		r = write_run(v, &c, at, u, (size_t)n, slots, raw, out);
	/* Only once the run is written: a hint past a free slot 0 (the end mark) would hide it. */
	if (r == E_OK)
		hint_set(v, dir, first_free < at ? first_free : at + slots + 1);
	if (r == E_OK && ix)
		index_learn(v, dir, name, len, slots, raw, at, hash);
	else if (r < 0)
		index_drop(v, dir); /* a run may be half written */
	return r;
}

long dir_add(struct fat_vol *v, uint32_t dir, const char *name, size_t len, uint8_t raw[32],
	     struct fat_loc *out)
{
	return add(v, dir, index_get(v, dir), NULL, name, len, raw, out);
}

long dir_add_missed(struct fat_vol *v, uint32_t dir, const struct dir_miss *m, const char *name,
		    size_t len, uint8_t raw[32], struct fat_loc *out)
{
	return add(v, dir, m->ix, m->ix ? &m->hash : NULL, name, len, raw, out);
}

long dir_remove(struct fat_vol *v, uint32_t dir, const struct dir_entry *e)
{
	struct dir_iter it;
	struct fat_dir_hint *h = hint_of(v, dir);

	v->dir_gen++; /* paths through this entry lead elsewhere now (struct fat_parent_memo) */
	if (h && e->first_slot < h->from)
		h->from = e->first_slot; /* these slots are free from now on */
	index_remove(v, dir, e);
	dir_iter_init(v, &it, dir);
	for (uint32_t i = e->first_slot; i <= e->loc.index; i++) {
		struct fat_loc l;
		uint8_t *s;
		long r = dir_iter_slot(v, &it, i, &l);
		if (r == E_OK)
			r = cache_get(&v->cache, l.lba, 0, &s);
		if (r < 0) {
			index_drop(v, dir); /* part of the run may still be there */
			return r;
		}
		s[l.off] = 0xE5;
		cache_mark_dirty(&v->cache, l.lba);
	}
	return E_OK;
}

static int empty_visit(void *ctx, const struct dir_entry *e)
{
	(void)ctx;
	return !(e->raw[0] == '.' && (e->raw[1] == ' ' || (e->raw[1] == '.' && e->raw[2] == ' ')));
}

long dir_is_empty(struct fat_vol *v, uint32_t dir)
{
	long r = dir_scan_short(v, dir, empty_visit, NULL);
	return r == E_NOENT ? 1 : r == E_OK ? 0 : r;
}
