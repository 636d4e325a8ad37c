/* SPDX-License-Identifier: MIT */
/*
 * Extent maps: for a few chains at a time (FAT_EXTENT_MAPS, the least
 * recently used replaced), the runs of adjacent clusters found by following
 * them from their first cluster (file cluster index -> cluster, count), so a
 * read finds its clusters without walking or scanning the table again. A map
 * grows ahead of the clusters asked for, as far again as it reaches already
 * (so a file's first read maps only what it reads, and the strides double
 * up to EXTENT_AHEAD clusters), never past the file's last one, by the
 * table's run scan (table_contiguous: many entries per loop step, one cache
 * look-up per table sector, none for a sector noted as one run of links);
 * so the table costs a tight loop per entry once per pass over a file, not a
 * scan per request, and a file laid out in one run a few instructions per
 * table sector. A stride lengthens the last run by a scan from its last
 * cluster and ends where a table sector does, so the next one starts on a
 * whole (noted) sector. A read that goes on in the last run of the chain read
 * last finds its clusters inline (extent_hit, fat_impl.h).
 *
 * What a map holds are facts about the table ("cluster c links to c + 1"),
 * keyed by the chain's first cluster, not by a handle, so every handle on a
 * file shares one. They stay true until a link that was followed changes:
 * every table write that can take a cluster out of a chain (a free, an end
 * mark over a link: truncate, unlink, rmdir, repair; table_set) bumps the
 * volume's chain_gen, and a map made under an older one is emptied before
 * use. Growing a chain (a link written over its end mark, free entries
 * linked into a run) changes no link a map followed, so appends keep maps.
 * A map never records where a chain ends: the read path checks that the
 * file's last cluster ends its chain (E_CORRUPT otherwise).
 *
 * Damage met while mapping ahead of the cluster asked for is not an error
 * yet: the map stops there, and the read that reaches it gets E_CORRUPT.
 */
#include "fat_impl.h"

#define EXTENT_AHEAD 4096u /* clusters mapped past those asked for, at most */

static uint32_t mapped(const struct fat_extent_map *m)
{
	const struct fat_extent *e = m->nruns ? &m->runs[m->nruns - 1] : NULL;
	return e ? e->index + e->count : 0;
}

/* first's map (emptied if the table changed since it was made), or a slot made free for it. */
static struct fat_extent_map *map_of(struct fat_vol *v, uint32_t first)
{
	struct fat_extent_map *m = &v->maps[v->map_last];

	if (m->first == first && m->gen == v->chain_gen)
		return m; /* the chain read last (its use stamp is the newest already) */
	m = &v->maps[0];
	for (unsigned i = 0; i < FAT_EXTENT_MAPS; i++) {
		if (v->maps[i].first == first) {
			m = &v->maps[i];
			break;
		}
		if (v->maps[i].used < m->used)
			m = &v->maps[i];
	}
	if (m->first != first || m->gen != v->chain_gen) {
		m->first = first;
		m->gen = v->chain_gen;
		m->nruns = 0;
	}
	m->used = ++v->map_clock;
	v->map_last = (uint32_t)(m - v->maps);
	return m;
}

/* Whether cl, the chain's next cluster, continues the last run (or m is empty). */
static bool continues(const struct fat_extent_map *m, uint32_t cl)
{
	const struct fat_extent *e = m->nruns ? &m->runs[m->nruns - 1] : NULL;
	return e && e->cluster + e->count == cl;
}

/* Clusters cl .. cl + k - 1 as the chain's next indexes: the last run grows or a new one starts. */
static void add_run(struct fat_extent_map *m, uint32_t cl, uint32_t k)
{
	uint32_t index = mapped(m);

	if (continues(m, cl))
		m->runs[m->nruns - 1].count += k;
	else
		m->runs[m->nruns++] = (struct fat_extent){index, cl, k};
}

/* The cluster that follows the mapped ones (the first one for an empty map). */
static long next_to_map(struct fat_vol *v, const struct fat_extent_map *m, uint32_t *cl)
{
	if (!m->nruns) {
		*cl = m->first;
		return fat_cluster_ok(v, m->first) ? E_OK : E_CORRUPT;
	}
	const struct fat_extent *e = &m->runs[m->nruns - 1];
	long r = table_next(v, e->cluster + e->count - 1, cl);
	if (r == E_OK && *cl == 0)
		return E_CORRUPT; /* the chain ends before the file does */
	if (r == E_OK && m->nruns == FAT_EXTENT_RUNS && !continues(m, *cl))
		return E_NOSPACE; /* a new run, and no room for it */
	return r;
}

/* Table entries per sector: a noted sector is passed over whole (table_note_links); FAT12: 1. */
static uint32_t entries_per_sector(const struct fat_vol *v)
{
	return v->type == FAT32 ? v->ss / 4 : v->type == FAT16 ? v->ss / 2 : 1;
}

/*
 * Clusters for a run scan from cl (cl's own included): at least n, and as
 * many more as make the last one's entry the first of a table sector (so the
 * next scan, from that cluster, starts with a whole sector), at most cap.
 */
static uint32_t scan_span(const struct fat_vol *v, uint32_t cl, uint32_t n, uint32_t cap)
{
	uint32_t per = entries_per_sector(v), past = (cl + n - 1) % per;

	n += past ? per - past : 0;
	return n < cap ? n : cap;
}

/*
 * The clusters that go on from the map's last one (linked one to the next from
 * it), at most n, rounded to a table sector's end as scan_span does, at most
 * cap: they lengthen the last run. 0 when the chain jumps or ends there.
 */
static uint32_t continue_run(struct fat_vol *v, struct fat_extent_map *m, uint32_t n, uint32_t cap)
{
	struct fat_extent *e = &m->runs[m->nruns - 1];
	uint32_t from = e->cluster + e->count - 1;
	uint32_t k = table_contiguous(v, from, scan_span(v, from, n + 1, cap + 1)) - 1;

	e->count += k;
	return k;
}

/*
 * The last run lengthened through the noted table sectors that follow its
 * last cluster's (table_noted_links; no compare, a few instructions per
 * sector), at most to index `last`: a file laid out in one run is mapped
 * whole at its first stride, for next to nothing.
 */
static void through_noted(struct fat_vol *v, struct fat_extent_map *m, uint32_t last)
{
	struct fat_extent *e = &m->runs[m->nruns ? m->nruns - 1 : 0];
	uint32_t at = mapped(m);

	if (m->nruns && at <= last)
		e->count += table_noted_links(v, e->cluster + e->count - 1, last - at + 1);
}

/*
 * Map m on through index `to` (its run scans capped there, or at most to a
 * table sector's end but never past index `last`): E_OK once index `need` is
 * mapped, whatever stops the mapping past it; before it, the error met
 * (E_NOSPACE: the map is full). The last run is lengthened by a scan from its
 * last cluster while the chain goes on there; a jump starts a new run.
 */
static long extend(struct fat_vol *v, struct fat_extent_map *m, uint32_t need, uint32_t to,
		   uint32_t last)
{
	uint32_t at = mapped(m), cl, k;

	while (at <= to) {
		if (m->nruns && (k = continue_run(v, m, to - at + 1, last - at + 1)) > 0) {
			at += k;
			continue;
		}
		long r = next_to_map(v, m, &cl);
		if (r < 0)
			return at > need ? E_OK : r;
		k = table_contiguous(v, cl, scan_span(v, cl, to - at + 1, last - at + 1));
		add_run(m, cl, k);
		at += k;
	}
	through_noted(v, m, last);
	return E_OK;
}

/* The run holding index (mapped), by bisection. */
static const struct fat_extent *run_of(const struct fat_extent_map *m, uint32_t index)
{
	uint32_t lo = 0, hi = m->nruns - 1;

	while (lo < hi) {
		uint32_t mid = (lo + hi + 1) / 2;
		if (m->runs[mid].index <= index)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &m->runs[lo];
}

long extent_find(struct fat_vol *v, uint32_t first, uint32_t index, uint32_t want, uint32_t last,
		 uint32_t *cl, uint32_t *count)
{
	struct fat_extent_map *m;

	if (index > last || !fat_cluster_ok(v, first))
		return E_CORRUPT;
	m = map_of(v, first);
	want = want > 0 && want - 1 < last - index ? want - 1 : last - index; /* last one wanted */
	if (mapped(m) <= index + want) {
		/* As far ahead as is mapped already (at most EXTENT_AHEAD): the stride doubles. */
		uint32_t ahead = mapped(m) < EXTENT_AHEAD ? mapped(m) : EXTENT_AHEAD;
		ahead = ahead > want ? ahead : want;
		long r = extend(v, m, index, last - index > ahead ? index + ahead : last, last);
		if (r < 0)
			return r;
	}
	const struct fat_extent *e = run_of(m, index);
	*cl = e->cluster + (index - e->index);
	*count = e->count - (index - e->index);
	return E_OK;
}
