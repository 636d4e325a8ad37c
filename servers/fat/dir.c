/* SPDX-License-Identifier: MIT */
/*
 * Directories: arrays of 32-byte slots, either FAT12/16's fixed root region
 * or a cluster chain (FAT32's root too). A long name is a run of slots just
 * before its short entry, numbered down to 1, the first flagged 0x40, each
 * carrying the short name's checksum; a run that breaks any of this is
 * ignored and the short name stands alone, as the spec asks. A directory is
 * read at most FAT_DIR_MAX_ENTRIES slots far, so a chain that loops back
 * (or a directory that contains itself) ends the walk with E_CORRUPT
 * rather than a hang. New entries go into the first run of free slots long
 * enough; a cluster directory grows by a zeroed cluster when there is none.
 *
 * New entries and removal are in dir_add.c, the in-memory name index that
 * spares lookups and creates the walk in dir_index.c.
 *
 * Speed in large directories: a lookup turns the wanted name into UTF-16
 * once and compares each long name's units with it (ASCII case folded)
 * before building any UTF-8; scans that only look at short entries build
 * no long names. A directory with an index (dir_index.c) is not walked
 * at all for a lookup: only the slots of the candidates the hash names.
 */
#include <string.h>

#include "dir_impl.h"

struct fat_dir_hint *dir_hint_of(struct fat_vol *v, uint32_t key)
{
	for (unsigned i = 0; i < FAT_DIR_HINTS; i++)
		if (v->dir_hints[i].used && v->dir_hints[i].dir == key) {
			v->dir_hints[i].used_at = ++v->dir_hint_clock;
			return &v->dir_hints[i];
		}
	return NULL;
}

/* A record for a directory the volume does not remember yet: a free one, else the least
 * recently used (a hint lost costs a walk from the start, nothing else). */
static struct fat_dir_hint *hint_victim(struct fat_vol *v)
{
	struct fat_dir_hint *old = &v->dir_hints[0];

	for (unsigned i = 0; i < FAT_DIR_HINTS && old->used; i++)
		if (!v->dir_hints[i].used || v->dir_hints[i].used_at < old->used_at)
			old = &v->dir_hints[i];
	return old;
}

struct fat_dir_hint *dir_hint_make(struct fat_vol *v, uint32_t key)
{
	struct fat_dir_hint *h = dir_hint_of(v, key);

	if (!h) {
		h = hint_victim(v);
		*h = (struct fat_dir_hint){
			.dir = key, .used = true, .used_at = ++v->dir_hint_clock};
	}
	return h;
}

void dir_iter_init(struct fat_vol *v, struct dir_iter *it, uint32_t dir)
{
	it->first = dir_key(v, dir);
	it->pos.cl = 0;
	it->pos.ord = 0;
}

/* Start at the closest place the volume remembers at or before cluster number `want`. */
static long iter_start(struct fat_vol *v, struct dir_iter *it, uint32_t want)
{
	const struct fat_dir_hint *h = dir_hint_of(v, it->first);
	struct fat_dir_pos p = {0, it->first, it->first, 1, 0};

	if (h && h->near.cl && h->near.ord <= want && h->near.ord > p.ord)
		p = h->near;
	if (h && h->far.cl && h->far.ord <= want && h->far.ord > p.ord)
		p = h->far;
	if (!fat_cluster_ok(v, p.cl))
		return E_CORRUPT;
	it->pos = p;
	return E_OK;
}

/* Remember where the walk got to: the furthest place yet, or else the latest. */
static void iter_remember(struct fat_vol *v, const struct dir_iter *it)
{
	struct fat_dir_hint *h = dir_hint_make(v, it->first);

	if (!h->far.cl || it->pos.ord >= h->far.ord)
		h->far = it->pos;
	else
		h->near = it->pos;
}

/* Follow the chain to cluster number `want`. */
static long iter_walk(struct fat_vol *v, struct dir_iter *it, uint32_t want)
{
	struct fat_dir_pos *p = &it->pos;

	while (p->ord < want) {
		uint32_t next;
		long r = table_next(v, p->cl, &next);
		if (r < 0)
			return r;
		if (next == 0)
			return E_NOENT;
		if (next == p->mark)
			return E_CORRUPT;
		if (++p->lam == p->power) {
			p->mark = next;
			p->power *= 2;
			p->lam = 0;
		}
		p->cl = next;
		p->ord++;
	}
	return E_OK;
}

long dir_iter_slot(struct fat_vol *v, struct dir_iter *it, uint32_t index, struct fat_loc *out)
{
	uint32_t per = v->cluster_bytes / 32, want = index / per;
	long r = E_OK;

	if (index >= FAT_DIR_MAX_ENTRIES)
		return E_NOENT;
	out->index = index;
	if (it->first == 0) {
		if (index >= v->root_entries)
			return E_NOENT;
		out->lba = v->root_start + (uint64_t)index * 32 / v->ss;
		out->off = index * 32 % v->ss;
		return E_OK;
	}
	if (it->pos.cl == 0 || want < it->pos.ord)
		r = iter_start(v, it, want);
	if (r == E_OK && it->pos.ord < want) {
		r = iter_walk(v, it, want);
		if (it->pos.ord > 0)
			iter_remember(v, it);
	}
	if (r < 0)
		return r;
	uint32_t byte = index % per * 32;
	out->lba = fat_cluster_lba(v, it->pos.cl) + byte / v->ss;
	out->off = byte % v->ss;
	return E_OK;
}

long dir_slot(struct fat_vol *v, uint32_t dir, uint32_t index, struct fat_loc *out)
{
	struct dir_iter it;
	dir_iter_init(v, &it, dir);
	return dir_iter_slot(v, &it, index, out);
}

/* The long name gathered so far from a run of slots. */
struct lfn_state {
	uint16_t units[LFN_SLOTS_MAX * LFN_UNITS];
	unsigned slots, expect; /* slots in the run; the ordinal the next slot must have */
	uint8_t sum;
	uint32_t start;
};

typedef uint64_t __attribute__((may_alias, aligned(1))) units4_t; /* four UTF-16 units */
typedef uint32_t __attribute__((may_alias, aligned(1))) units2_t;

/* A slot's 13 units (bytes 1-10, 14-25, 28-31) as words (x86 is little-endian). */
static void lfn_take(struct lfn_state *s, const uint8_t *e, unsigned ord)
{
	uint16_t *u = &s->units[(ord - 1) * LFN_UNITS];

	*(units4_t *)u = *(const units4_t *)(e + 1);
	u[4] = rd16(e + 9);
	*(units4_t *)(u + 5) = *(const units4_t *)(e + 14);
	*(units2_t *)(u + 9) = *(const units2_t *)(e + 22);
	*(units2_t *)(u + 11) = *(const units2_t *)(e + 28);
}

void dir_lfn_put(uint8_t *e, const uint16_t u[LFN_UNITS])
{
	*(units4_t *)(e + 1) = *(const units4_t *)u;
	wr16(e + 9, u[4]);
	*(units4_t *)(e + 14) = *(const units4_t *)(u + 5);
	*(units2_t *)(e + 22) = *(const units2_t *)(u + 9);
	*(units2_t *)(e + 28) = *(const units2_t *)(u + 11);
}

/* One long-name slot of a run (its 13 units kept only when `units`: names are wanted). */
static void lfn_slot(struct lfn_state *s, const uint8_t *e, uint32_t index, bool units)
{
	unsigned ord = e[0] & 0x1F;

	if (e[0] & 0x40) {
		s->expect = 0;
		if (ord == 0 || ord > LFN_SLOTS_MAX)
			return;
		s->slots = ord;
		s->sum = e[13];
		s->start = index;
	} else if (s->expect == 0 || ord != s->expect - 1 || e[13] != s->sum || ord == 0) {
		s->expect = 0;
		return;
	}
	if (units)
		lfn_take(s, e, ord);
	s->expect = ord;
}

/* How many of the first max units come before a 0 unit: four at a time while none is 0. */
static size_t units_len(const uint16_t *u, size_t max)
{
	size_t n = 0;

	for (; n + 4 <= max; n += 4) {
		uint64_t w = *(const units4_t *)(u + n);
		if ((w - 0x0001000100010001ull) & ~w & 0x8000800080008000ull)
			break; /* one of these four is 0 */
	}
	while (n < max && u[n] != 0)
		n++;
	return n;
}

/* The long name if the run is whole and belongs to this short entry: its length, else 0. */
static size_t lfn_name(const struct lfn_state *s, const uint8_t *e, char *out)
{
	size_t n;

	if (s->expect != 1 || name_checksum(e) != s->sum)
		return 0;
	n = units_len(s->units, (size_t)s->slots * LFN_UNITS);
	if (n == 0 || n > FAT_NAME_MAX)
		return 0;
	return name_utf16_to_8(s->units, n, out, FAT_NAME_BYTES);
}

/* Whether the run gathered so far is a whole long name belonging to short entry e. */
static bool lfn_whole(const struct lfn_state *s, const uint8_t *e)
{
	return s->expect == 1 && name_checksum(e) == s->sum;
}

/* What a scan needs: long names built (or not), and a name to pass over the others quickly. */
struct scan_opts {
	bool no_names; /* the visitor looks at short entries only */
	bool listing;  /* short_name only where it is the name; the visitor leaves the cache */
	struct dir_entry *into; /* where entries are built (NULL: memory of the scan's own) */
	const uint16_t *want;	/* NULL, or only entries that may be named this are visited */
	size_t want_units;
	bool short_may_match; /* the wanted name is short enough to be an 8.3 name */
};

static uint16_t fold(uint16_t u)
{
	return u >= 'a' && u <= 'z' ? (uint16_t)(u - 'a' + 'A') : u;
}

/* Whether e (with the run before it) may be called o->want: its long name's units, folded. */
static bool may_match(const struct lfn_state *s, const uint8_t *e, const struct scan_opts *o)
{
	size_t n = 0, max = (size_t)s->slots * LFN_UNITS;

	if (o->short_may_match)
		return true;
	if (!lfn_whole(s, e))
		return false;
	n = units_len(s->units, max);
	if (n != o->want_units)
		return false;
	for (size_t i = 0; i < n; i++)
		if (fold(s->units[i]) != fold(o->want[i]))
			return false;
	return true;
}

static void make_entry(struct dir_entry *d, struct lfn_state *s, const uint8_t *e,
		       const struct fat_loc *l, const struct scan_opts *o)
{
	size_t long_len = 0;
	bool whole = o->no_names ? lfn_whole(s, e) : (long_len = lfn_name(s, e, d->name)) > 0;

	memcpy(d->raw, e, 32);
	d->loc = *l;
	d->first_slot = whole ? s->start : l->index;
	d->name_len = long_len;
	if (!o->listing || !long_len)
		d->short_len = name_short_to_8(e, e[12], d->short_name);
	if (!long_len) {
		memcpy(d->name, d->short_name, sizeof(d->short_name));
		d->name_len = d->short_len;
	}
	s->expect = 0;
}

/*
 * Slot i's bytes in the cache (*e) and place (*l). *sec is the cached sector
 * of the slot before (NULL: none): the next slot in the same sector is found
 * without a look-up. The pointer lasts until the cache is used again.
 */
static long slot_at(struct fat_vol *v, struct dir_iter *it, uint32_t i, struct fat_loc *l,
		    uint8_t **sec, const uint8_t **e)
{
	long r = E_OK;

	if (*sec && i % (v->ss / 32) != 0) {
		l->index = i;
		l->off += 32;
	} else {
		r = dir_iter_slot(v, it, i, l);
		if (r == E_OK)
			r = cache_get(&v->cache, l->lba, 0, sec);
	}
	*e = r == E_OK ? *sec + l->off : NULL;
	return r;
}

static long scan(struct fat_vol *v, uint32_t dir, uint32_t from, dir_visit_fn fn, void *ctx,
		 uint32_t *stopped_at, const struct scan_opts *o)
{
	struct dir_iter it;
	struct lfn_state lfn, *s = &lfn; /* on the stack (1.4 KiB with own): a scan nests rarely */
	struct dir_entry own, *d = o->into ? o->into : &own;
	long r = E_OK;
	uint8_t *sec = NULL;
	struct fat_loc l;

	dir_iter_init(v, &it, dir);
	s->expect = 0;
	for (uint32_t i = from; r == E_OK; i++) {
		const uint8_t *e;
		r = slot_at(v, &it, i, &l, &sec, &e);
		if (r < 0 || e[0] == 0) {
			r = r < 0 ? r : E_NOENT;
			break;
		}
		if (e[0] == 0xE5) {
			s->expect = 0;
		} else if ((e[11] & 0x3F) == FAT_ATTR_LFN) {
			lfn_slot(s, e, i, !o->no_names);
		} else if ((e[11] & FAT_ATTR_VOLUME) || (o->want && !may_match(s, e, o))) {
			s->expect = 0;
		} else {
			make_entry(d, s, e, &l, o);
			if (!o->listing)
				sec = NULL; /* the visitor may use the cache (repair does) */
			if (fn(ctx, d)) {
				if (stopped_at)
					*stopped_at = i;
				break;
			}
		}
	}
	return r;
}

long dir_scan(struct fat_vol *v, uint32_t dir, uint32_t from, dir_visit_fn fn, void *ctx,
	      uint32_t *stopped_at)
{
	static const struct scan_opts all = {0};
	return scan(v, dir, from, fn, ctx, stopped_at, &all);
}

long dir_scan_list(struct fat_vol *v, uint32_t dir, uint32_t from, dir_visit_fn fn, void *ctx,
		   uint32_t *stopped_at)
{
	static const struct scan_opts listing = {.listing = true};
	return scan(v, dir, from, fn, ctx, stopped_at, &listing);
}

long dir_scan_short(struct fat_vol *v, uint32_t dir, dir_visit_fn fn, void *ctx)
{
	static const struct scan_opts shorts = {.no_names = true};
	return scan(v, dir, 0, fn, ctx, NULL, &shorts);
}

struct find_ctx {
	const char *name;
	size_t len;
	struct dir_entry *out;
};

bool dir_entry_named(const struct dir_entry *e, const char *name, size_t len)
{
	return name_equal(e->name, e->name_len, name, len) ||
	       name_equal(e->short_name, e->short_len, name, len);
}

static int find_visit(void *ctx, const struct dir_entry *e)
{
	struct find_ctx *f = ctx;
	if (!dir_entry_named(e, f->name, f->len))
		return 0;
	*f->out = *e;
	return 1;
}

long dir_find_scan(struct fat_vol *v, uint32_t dir, const char *name, size_t len,
		   struct dir_entry *out)
{
	struct find_ctx f = {name, len, out};
	uint16_t u[FAT_NAME_MAX];
	long n = name_utf8_to_16(name, len, u, FAT_NAME_MAX);
	/* A name that is no UTF-8 is compared the slow way (it matches nothing valid). */
	struct scan_opts o = {.want = n > 0 ? u : NULL,
			      .want_units = n > 0 ? (size_t)n : 0,
			      .short_may_match = len <= 12};

	return scan(v, dir, 0, find_visit, &f, NULL, &o);
}

long dir_find_missed(struct fat_vol *v, uint32_t dir, const char *name, size_t len,
		     struct dir_entry *out, struct dir_miss *m)
{
	m->ix = index_get(v, dir);
	return m->ix ? index_find(v, m->ix, dir, name, len, out, &m->hash)
		     : dir_find_scan(v, dir, name, len, out);
}

long dir_find(struct fat_vol *v, uint32_t dir, const char *name, size_t len, struct dir_entry *out)
{
	struct dir_miss m;

	return dir_find_missed(v, dir, name, len, out, &m);
}

static int stop_visit(void *ctx, const struct dir_entry *e)
{
	(void)ctx, (void)e;
	return 1;
}

/*
 * dir_entry_at when slot `first` holds no long-name slot: the short entry
 * there, or E_NOENT (a free slot, the end, a volume label: no run starts
 * there), as the scan would find, without setting one up. *lfn: it does.
 */
static long short_at(struct fat_vol *v, uint32_t dir, uint32_t first, struct dir_entry *out,
		     bool *lfn)
{
	uint8_t *sec;
	long r = dir_slot(v, dir, first, &out->loc);

	if (r == E_OK)
		r = cache_get(&v->cache, out->loc.lba, 0, &sec);
	if (r < 0)
		return r;
	const uint8_t *e = sec + out->loc.off;
	*lfn = e[0] != 0 && e[0] != 0xE5 && (e[11] & 0x3F) == FAT_ATTR_LFN;
	if (*lfn || e[0] == 0 || e[0] == 0xE5 || (e[11] & FAT_ATTR_VOLUME))
		return E_NOENT;
	memcpy(out->raw, e, 32);
	out->first_slot = first;
	out->short_len = name_short_to_8(e, e[12], out->short_name);
	memcpy(out->name, out->short_name, sizeof(out->short_name));
	out->name_len = out->short_len;
	return E_OK;
}

long dir_entry_at(struct fat_vol *v, uint32_t dir, uint32_t first, struct dir_entry *out)
{
	const struct scan_opts into_out = {.into = out};
	bool lfn = false;
	long r = short_at(v, dir, first, out, &lfn);

	if (!lfn)
		return r;
	r = scan(v, dir, first, stop_visit, NULL, NULL, &into_out);

	if (r == E_OK && out->first_slot != first)
		r = E_NOENT; /* the run that started there is gone */
	return r;
}

void dir_node_from(struct fat_vol *v, uint32_t dir, const struct dir_entry *e, struct fat_node *n)
{
	const uint8_t *r = e->raw;

	memset(n, 0, sizeof(*n));
	n->first = v->type == FAT32 ? entry_first(r) : rd16(r + 26);
	n->size = rd32(r + 28);
	n->attr = r[11];
	n->parent = dir;
	n->loc = e->loc;
	n->created = (struct fat_stamp){rd16(r + 16), rd16(r + 14)};
	n->modified = (struct fat_stamp){rd16(r + 24), rd16(r + 22)};
	n->accessed = rd16(r + 18);
	if (n->attr & FAT_ATTR_DIR)
		n->size = 0;
}

long dir_entry_of(struct fat_vol *v, const struct fat_node *n, uint8_t **e)
{
	uint8_t *s;
	long r = cache_get(&v->cache, n->loc.lba, 0, &s);

	if (r < 0)
		return r;
	*e = s + n->loc.off;
	return E_OK;
}

/* The cache line of n's entry sector, found by a look-up and remembered in n. */
static __attribute__((noinline)) long entry_line_find(struct fat_vol *v, struct fat_node *n,
						      struct fat_cache_line **out)
{
	long r = cache_get_line(&v->cache, n->loc.lba, 0, out);

	if (r == E_OK)
		n->entry_line = (uint32_t)(*out - v->cache.lines) + 1;
	return r;
}

/*
 * The line n's entry sector was found in last (n->entry_line, a hint: any
 * value is checked) while it still holds that sector, else NULL. It is not
 * moved in the use order: once evicted, the next update looks it up again.
 */
static inline struct fat_cache_line *entry_line(struct fat_vol *v, const struct fat_node *n)
{
	uint32_t i = n->entry_line - 1; /* 0 (none) wraps past every line */
	struct fat_cache_line *l = i < v->cache.nlines ? &v->cache.lines[i] : NULL;

	return l && l->valid && l->lba == n->loc.lba ? l : NULL;
}

long dir_update(struct fat_vol *v, struct fat_node *n)
{
	struct fat_cache_line *l;
	long r;

	if (n->is_root)
		return E_OK;
	l = entry_line(v, n);
	if (!l && (r = entry_line_find(v, n, &l)) < 0)
		return r;
	uint8_t *e = l->data + n->loc.off;
	entry_set_first(e, n->first);
	if (!(n->attr & FAT_ATTR_DIR))
		wr32(e + 28, n->size);
	wr16(e + 22, n->modified.time);
	wr16(e + 24, n->modified.date);
	wr16(e + 18, n->accessed);
	e[11] = n->attr;
	cache_line_mark_dirty(&v->cache, l); /* no look-up since l's: it is still the sector's */
	return E_OK;
}
