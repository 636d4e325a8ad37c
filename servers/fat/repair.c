/* SPDX-License-Identifier: MIT */
/*
 * Mount-time repair of what a kill can leave. The write order (file.c,
 * ops.c, rename.c) makes the only damage a kill causes clusters that are
 * allocated in the FAT but named by no entry (lost chains: a file grown but
 * its entry not yet written, a chain cut but not yet freed). When a volume
 * was not unmounted cleanly, mount walks every directory from the root,
 * marks each chain an entry names, and frees every allocated cluster left
 * unmarked; the free count is then counted again. Anything the walk finds
 * damaged (a chain that is not whole) stops the repair before it frees
 * anything: freeing on a misread tree could destroy data.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_impl.h"

#define REPAIR_CLUSTERS_MAX (64u << 20) /* 8 MiB of bitmap at most */

struct repair {
	struct fat_vol *v;
	uint8_t *seen;
	uint32_t *stack; /* directories still to walk */
	uint32_t depth, cap;
	long err;
};

static bool seen(struct repair *rp, uint32_t cl)
{
	return rp->seen[(cl - 2) / 8] & (1 << (cl - 2) % 8);
}

/* Mark a chain; E_CORRUPT if it is not whole, a cluster seen before ends it quietly. */
static long mark_chain(struct repair *rp, uint32_t cl)
{
	for (uint32_t steps = 0; cl && steps < rp->v->clusters; steps++) {
		if (!fat_cluster_ok(rp->v, cl))
			return E_CORRUPT;
		if (seen(rp, cl))
			return E_OK; /* cross-linked or looping: leave it to fsck */
		rp->seen[(cl - 2) / 8] |= (uint8_t)(1 << (cl - 2) % 8);
		long r = table_next(rp->v, cl, &cl);
		if (r < 0)
			return r;
	}
	return E_OK;
}

static int repair_visit(void *ctx, const struct dir_entry *e)
{
	struct repair *rp = ctx;
	uint32_t first = rp->v->type == FAT32 ? entry_first(e->raw) : rd16(e->raw + 26);

	if (e->raw[0] == '.' || first == 0 || rp->err)
		return rp->err != E_OK;
	if (!fat_cluster_ok(rp->v, first)) {
		rp->err = E_CORRUPT;
		return 1;
	}
	if ((e->raw[11] & FAT_ATTR_DIR) && !seen(rp, first)) {
		if (rp->depth == rp->cap) {
			rp->err = E_NOMEM;
			return 1;
		}
		rp->stack[rp->depth++] = first;
	}
	rp->err = mark_chain(rp, first);
	return rp->err != E_OK;
}

static long walk_tree(struct repair *rp)
{
	long r = rp->v->type == FAT32 ? mark_chain(rp, rp->v->root_cluster) : E_OK;

	rp->stack[rp->depth++] = 0;
	while (r == E_OK && rp->depth) {
		uint32_t dir = rp->stack[--rp->depth];
		r = dir_scan(rp->v, dir, 0, repair_visit, rp, NULL);
		r = r == E_NOENT ? rp->err : r == E_OK ? rp->err : r;
	}
	return r;
}

static long free_lost(struct repair *rp)
{
	struct fat_vol *v = rp->v;

	for (uint32_t cl = 2; cl < v->clusters + 2; cl++) {
		uint32_t x;
		long r = table_get(v, cl, &x);
		if (r < 0)
			return r;
		if (x != 0 && !seen(rp, cl)) {
			r = table_set(v, cl, 0);
			if (r < 0)
				return r;
			v->repaired++;
		}
	}
	return E_OK;
}

long repair_lost_clusters(struct fat_vol *v)
{
	struct repair rp = {v, NULL, NULL, 0, 4096, E_OK};
	long r;

	if (v->clusters > REPAIR_CLUSTERS_MAX)
		return E_OK; /* too large to hold a bitmap: left for fsck */
	rp.seen = calloc(v->clusters / 8 + 1, 1);
	rp.stack = malloc(rp.cap * sizeof(*rp.stack));
	r = rp.seen && rp.stack ? walk_tree(&rp) : E_NOMEM;
	if (r == E_OK)
		r = table_mark_dirty(v);
	if (r == E_OK)
		r = free_lost(&rp);
	free(rp.seen);
	free(rp.stack);
	return r;
}
