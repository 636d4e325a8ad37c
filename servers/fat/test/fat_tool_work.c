/* SPDX-License-Identifier: MIT */
/*
 * fat_tool's workload commands (the image building and checking ones are in
 * fat_tool.c): a listing in batches while names come and go (churn), files
 * over more directories than the volume keeps records of (spread), bulk
 * patterns written in one request and read back (bulk, seqread, seqwrite, readat,
 * coherent), two handles on one file (stale, interleave) and the steps of
 * ftest's kill campaign (camp). Each checks what it reads and returns
 * E_PROTO when the volume gives back anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_tool.h"

/* ---- churn: a listing in batches while names come and go in the same directory ---- */

#define CHURN_MAX 1000

struct churn {
	struct fat_vol *v;
	const char *dir;
	int n;
	unsigned char seen_keep[CHURN_MAX], seen_new[2 * CHURN_MAX], gone[CHURN_MAX];
	int news;
	unsigned batch_n, batch_max; /* entries taken in this batch, and its size */
	long err;
};

static long churn_file(struct churn *c, bool keep, int i, bool create)
{
	char path[300];
	struct fat_node n;

	snprintf(path, sizeof(path), "%s/%s %d with a long name.txt", c->dir, keep ? "keep" : "new",
		 i);
	return create ? fat_create(c->v, path, &n) : fat_unlink(c->v, path);
}

/* One entry of a batch: each name at most once. */
static int churn_take(void *ctx, const struct fat_dirent_view *e)
{
	struct churn *c = ctx;
	int i;
	unsigned char *seen = NULL;

	if (c->batch_n == c->batch_max)
		return 1;
	c->batch_n++;
	if (sscanf(e->name, "keep %d with", &i) == 1 && i >= 0 && i < c->n)
		seen = &c->seen_keep[i];
	else if (sscanf(e->name, "new %d with", &i) == 1 && i >= 0 && i < c->news)
		seen = &c->seen_new[i];
	if (!seen || (*seen)++) {
		fprintf(stderr, "churn: %s %s\n",
			seen ? "listed twice:" : "unknown name:", e->name);
		c->err = E_PROTO;
		return 1;
	}
	return 0;
}

/* Between batches: two new names, a later keep name and an earlier new one removed. */
static long churn_change(struct churn *c, int step)
{
	long r = E_OK;

	for (int k = 0; k < 2 && r == E_OK && c->news < 2 * CHURN_MAX; k++)
		r = churn_file(c, false, c->news++, true);
	int victim = (step * 7 + 3) % c->n;
	if (r == E_OK && !c->gone[victim]) {
		c->gone[victim] = 1;
		r = churn_file(c, true, victim, false);
	}
	if (r == E_OK && step % 3 == 0 && c->news > 4)
		r = churn_file(c, false, c->news - 4, false);
	return r == E_NOENT ? E_OK : r; /* that new one may be gone already */
}

/* Every keep name never removed was listed exactly once; then the directory goes. */
static long churn_end(struct churn *c)
{
	long r = E_OK;

	for (int i = 0; i < c->n; i++)
		if (!c->gone[i] && c->seen_keep[i] != 1) {
			fprintf(stderr, "churn: keep %d listed %d times\n", i, c->seen_keep[i]);
			r = E_PROTO;
		}
	for (int i = 0; r == E_OK && i < c->n; i++)
		r = c->gone[i] ? E_OK : churn_file(c, true, i, false);
	for (int i = 0; r == E_OK && i < c->news; i++) {
		r = churn_file(c, false, i, false);
		r = r == E_NOENT ? E_OK : r;
	}
	return r == E_OK ? fat_rmdir(c->v, c->dir) : r;
}

static long cmd_churn(struct fat_vol *v, const char *dir, int n)
{
	struct churn *c = calloc(1, sizeof(*c));
	struct fat_node d;
	uint32_t cookie = 0;
	long r = c ? fat_mkdir(v, dir) : E_NOMEM;

	if (c)
		*c = (struct churn){.v = v, .dir = dir, .n = n < CHURN_MAX ? n : CHURN_MAX};
	for (int i = 0; r == E_OK && i < c->n; i++)
		r = churn_file(c, true, i, true);
	if (r == E_OK)
		r = fat_lookup(v, dir, &d);
	for (unsigned step = 0; r == E_OK; step++) {
		c->batch_n = 0;
		c->batch_max = 1 + step % 5;
		r = fat_readdir_many(v, &d, &cookie, churn_take, c);
		r = c->err ? c->err : r;
		if (r == E_OK)
			r = churn_change(c, (int)step);
	}
	r = r == E_NOENT ? churn_end(c) : r;
	free(c);
	return r;
}

/* Byte i of bulk's pattern for seed. */
static uint8_t bulk_byte(uint64_t i, unsigned seed)
{
	return (uint8_t)(i * 131 + seed + (i >> 12));
}

/* LEN bytes of seed's pattern (byte i of the file: bulk_byte(i)) at OFF in one write. */
static long cmd_bulk(struct fat_vol *v, const char *path, uint64_t off, size_t len, unsigned seed)
{
	uint8_t *buf = malloc(len ? len : 1);
	struct fat_node n;
	uint64_t r0, w0, r1, w1;
	size_t done;
	long r = buf ? open_or_create(v, path, &n) : E_NOMEM;

	for (size_t i = 0; buf && i < len; i++)
		buf[i] = bulk_byte(off + i, seed);
	fat_requests(v, &r0, &w0);
	if (r == E_OK)
		r = fat_write(v, &n, off, buf, len, &done);
	fat_requests(v, &r1, &w1);
	printf("reads=%llu writes=%llu\n", (unsigned long long)(r1 - r0),
	       (unsigned long long)(w1 - w0));
	free(buf);
	return r;
}

/* Whether [off, off + len) of the file reads as seed's pattern, in one read. */
static long expect_bulk(struct fat_vol *v, struct fat_node *n, uint64_t off, size_t len,
			unsigned seed)
{
	static uint8_t buf[1 << 20];
	size_t got;
	long r = fat_read(v, n, off, buf, len, &got);

	for (size_t i = 0; r == E_OK && i < len; i++)
		if (got != len || buf[i] != bulk_byte(off + i, seed))
			r = E_PROTO;
	return r;
}

/* The file read whole in `piece`-byte calls, each after fat_node_refresh, as the server does. */
static long cmd_seqread(struct fat_vol *v, const char *path, size_t piece)
{
	uint8_t *buf = malloc(piece ? piece : 1);
	uint64_t off = 0, h = 0xcbf29ce484222325ull, r0, w0, r1, w1;
	struct fat_node n;
	size_t got = 1;
	long r = buf && piece ? fat_lookup(v, path, &n) : E_INVAL;

	fat_requests(v, &r0, &w0);
	while (r == E_OK && got > 0 && (r = fat_node_refresh(v, &n)) == E_OK) {
		r = fat_read(v, &n, off, buf, piece, &got);
		for (size_t i = 0; r == E_OK && i < got; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
		off += got;
	}
	fat_requests(v, &r1, &w1);
	printf("bytes=%llu hash=%016llx reads=%llu\n", (unsigned long long)off,
	       (unsigned long long)h, (unsigned long long)(r1 - r0));
	free(buf);
	return r;
}

/* The bench's write on the host (callgrind): COUNT pieces appended, as fs.c's io does them. */
static long cmd_seqwrite(struct fat_vol *v, const char *path, size_t piece, unsigned count)
{
	uint8_t *buf = malloc(piece ? piece : 1);
	uint64_t r0, w0, r1, w1;
	struct fat_node n;
	size_t done = 0;
	long r = buf && piece ? open_or_create(v, path, &n) : E_INVAL;

	for (size_t i = 0; buf && i < piece; i++)
		buf[i] = bulk_byte(i, 5);
	if (r == E_OK)
		r = fat_truncate(v, &n, 0);
	fat_requests(v, &r0, &w0);
	for (unsigned k = 0; r == E_OK && k < count; k++) {
		r = fat_node_refresh(v, &n);
		if (r == E_OK)
			r = fat_write(v, &n, (uint64_t)k * piece, buf, piece, &done);
		if (r == E_OK)
			fat_node_current(v, &n);
	}
	fat_requests(v, &r1, &w1);
	printf("reads=%llu writes=%llu\n", (unsigned long long)(r1 - r0),
	       (unsigned long long)(w1 - w0));
	free(buf);
	return r;
}

/* Reads of PATH at (OFF, LEN) pairs in one mount, each printed as bytes=N; stops at an error. */
static long cmd_readat(struct fat_vol *v, const char *path, int pairs, char **args)
{
	static uint8_t buf[1 << 20];
	struct fat_node n;
	long r = fat_lookup(v, path, &n);

	for (int i = 0; r == E_OK && i < pairs; i++) {
		size_t got, len = strtoull(args[2 * i + 1], NULL, 0);
		r = fat_read(v, &n, strtoull(args[2 * i], NULL, 0), buf,
			     len < sizeof(buf) ? len : sizeof(buf), &got);
		if (r == E_OK)
			printf("bytes=%zu\n", got);
	}
	return r;
}

/* Bytes of the file from off through a node refreshed first, as a second handle would. */
static long read_fresh(struct fat_vol *v, struct fat_node *n, uint64_t off, uint8_t *buf,
		       size_t len, size_t *got)
{
	long r = fat_node_refresh(v, n);
	return r == E_OK ? fat_read(v, n, off, buf, len, got) : r;
}

/* Whether buf holds got bytes of seed's pattern from off, got being want. */
static bool holds(const uint8_t *buf, uint64_t off, size_t got, size_t want, unsigned seed)
{
	for (size_t i = 0; i < got; i++)
		if (buf[i] != bulk_byte(off + i, seed))
			return false;
	return got == want;
}

/* The volume's cluster size in bytes. */
static size_t cluster_bytes(struct fat_vol *v)
{
	struct fat_statfs st;
	fat_statfs(v, &st);
	return st.cluster_bytes;
}

/*
 * Handle a reads PATH whole (its hint and the chain's map reach the end);
 * handle b cuts the file to one cluster and writes it whole again with
 * another pattern in half clusters (so new clusters come from the free
 * search, past the ones freed), then cuts it to half a cluster.
 * a must see the new bytes where its old hint pointed, then a short read.
 */
static long cmd_stale(struct fat_vol *v, const char *path)
{
	static uint8_t buf[1 << 20];
	size_t cb = cluster_bytes(v), size = 16 * cb, got, done;
	struct fat_node a, b;
	long r = size <= sizeof(buf) ? open_or_create(v, path, &a) : E_RANGE;

	for (size_t i = 0; i < size; i++)
		buf[i] = bulk_byte(i, 1);
	if (r == E_OK && (r = fat_truncate(v, &a, 0)) == E_OK)
		r = fat_write(v, &a, 0, buf, size, &done);
	if (r == E_OK && (r = read_fresh(v, &a, 0, buf, size, &got)) == E_OK)
		r = holds(buf, 0, got, size, 1) ? fat_lookup(v, path, &b) : E_PROTO;
	if (r == E_OK)
		r = fat_truncate(v, &b, cb);
	for (size_t i = 0; i < size; i++)
		buf[i] = bulk_byte(i, 2);
	/* Half clusters: each new one taken from the free search, not the ones just freed. */
	for (size_t off = 0; r == E_OK && off < size; off += cb / 2)
		r = fat_write(v, &b, off, buf + off, cb / 2, &done);
	if (r == E_OK && (r = read_fresh(v, &a, size - cb, buf, cb, &got)) == E_OK)
		r = holds(buf, size - cb, got, cb, 2) ? E_OK : E_PROTO;
	if (r == E_OK && (r = read_fresh(v, &a, 5 * cb + 3, buf, 3 * cb, &got)) == E_OK)
		r = holds(buf, 5 * cb + 3, got, 3 * cb, 2) ? E_OK : E_PROTO;
	if (r == E_OK)
		r = fat_truncate(v, &b, cb / 2);
	if (r == E_OK && (r = read_fresh(v, &a, 0, buf, size, &got)) == E_OK)
		r = holds(buf, 0, got, cb / 2, 2) ? E_OK : E_PROTO;
	if (r == E_OK && (r = read_fresh(v, &a, size - cb, buf, cb, &got)) == E_OK)
		r = got == 0 ? E_OK : E_PROTO;
	return r;
}

/* Both files read whole in pieces of `piece` bytes, checked against their patterns. */
static long check_patterns(struct fat_vol *v, struct fat_node *n, size_t size, size_t piece)
{
	static uint8_t buf[1 << 20];
	long r = E_OK;

	for (size_t off = 0, got = 0; r == E_OK && off < size; off += got) {
		size_t want = size - off < piece ? size - off : piece;
		r = read_fresh(v, &n[0], off, buf, want, &got);
		if (r == E_OK && !holds(buf, off, got, want, 11))
			r = E_PROTO;
		if (r == E_OK && (r = read_fresh(v, &n[1], off, buf, want, &got)) == E_OK)
			r = holds(buf, off, got, want, 12) ? E_OK : E_PROTO;
	}
	return r;
}

/* Two files grown a cluster at a time in turn: chains of one-cluster runs, read back. */
static long cmd_interleave(struct fat_vol *v, const char *pa, const char *pb, size_t count)
{
	static uint8_t buf[1 << 16];
	static const size_t pieces[] = {1 << 20, 4096, 100003, 6145};
	size_t cb = cluster_bytes(v), done;
	struct fat_node n[2];
	long r = cb <= sizeof(buf) ? open_or_create(v, pa, &n[0]) : E_RANGE;

	if (r == E_OK)
		r = open_or_create(v, pb, &n[1]);
	for (size_t i = 0; r == E_OK && i < 2 * count; i++) {
		for (size_t k = 0; k < cb; k++)
			buf[k] = bulk_byte((i / 2) * cb + k, 11 + (unsigned)(i % 2));
		r = fat_write(v, &n[i % 2], (i / 2) * cb, buf, cb, &done);
	}
	for (unsigned p = 0; r == E_OK && p < 4; p++)
		r = check_patterns(v, n, count * cb, pieces[p]);
	return r;
}

/*
 * The cache stays coherent with transfers around it: sectors cached dirty
 * (a small write) and clean (a small read) are overwritten by a large write
 * and read back small and large; a small write after a large one is seen by
 * a large read. PATH must hold at least 1 MiB.
 */
static long cmd_coherent(struct fat_vol *v, const char *path)
{
	static uint8_t buf[1 << 20];
	struct fat_node n;
	size_t got;
	long r = fat_lookup(v, path, &n);

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = bulk_byte(i, 1);
	if (r == E_OK)
		r = fat_write(v, &n, 5000, "dirty in the cache", 18, &got);
	if (r == E_OK)
		r = fat_read(v, &n, 70000, buf + 70000, 100, &got);
	for (size_t i = 70000; i < 70100; i++)
		buf[i] = bulk_byte(i, 1);
	if (r == E_OK)
		r = fat_write(v, &n, 0, buf, sizeof(buf), &got);
	if (r == E_OK)
		r = expect_bulk(v, &n, 5000, 18, 1);
	if (r == E_OK)
		r = expect_bulk(v, &n, 70000, 100, 1);
	if (r == E_OK)
		r = fat_write(v, &n, 300000, "small after large", 17, &got);
	if (r == E_OK)
		r = fat_read(v, &n, 0, buf, sizeof(buf), &got);
	if (r == E_OK && memcmp(buf + 300000, "small after large", 17))
		r = E_PROTO;
	return r == E_OK ? expect_bulk(v, &n, 0, 300000, 1) : r;
}

/* Step k of ftest's kill campaign (t_campaign.c), each operation followed by a sync. */
static long camp_step(struct fat_vol *v, unsigned k)
{
	static uint8_t buf[6000 + 37 * 1000];
	char a[64], b[64];
	struct fat_node n;
	size_t len = 6000 + 37 * k, done;
	long r;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(k * 29 + i * 11 + (i >> 8) + 5);
	snprintf(a, sizeof(a), "/camp/f%u.bin", k);
	r = open_or_create(v, a, &n);
	if (r == E_OK)
		r = fat_write(v, &n, 0, buf, len, &done);
	if (r == E_OK)
		r = fat_sync(v);
	if (r == E_OK && k >= 1) {
		snprintf(a, sizeof(a), "/camp/f%u.bin", k - 1);
		snprintf(b, sizeof(b), "/camp/long name %u.txt", k - 1);
		r = fat_rename(v, a, b);
		if (r == E_OK)
			r = fat_sync(v);
	}
	if (r == E_OK && k >= 3 && (k - 3) % 3 != 0) {
		snprintf(b, sizeof(b), "/camp/long name %u.txt", k - 3);
		r = fat_unlink(v, b);
		if (r == E_OK)
			r = fat_sync(v);
	}
	if (r < 0)
		fprintf(stderr, "camp: step %u: %s\n", k, sys_error_name(r));
	return r;
}

/* ---- spread: files over more directories than the volume keeps records of ---- */

static void spread_name(char *path, size_t size, const char *dir, int i, int dirs)
{
	snprintf(path, size, "%s/d%d/spread file %d with a long name.txt", dir, i % dirs, i);
}

/*
 * N files (each holding its path) made in turn in D subdirectories of DIR,
 * so that with D over 8 (FAT_DIR_HINTS, FAT_DIR_INDEXES) every create finds
 * its directory's records replaced; then each is looked up and its size
 * checked (E_PROTO if wrong).
 */
static long cmd_spread(struct fat_vol *v, const char *dir, int dirs, int n)
{
	char path[300];
	long r = dirs > 0 ? fat_mkdir(v, dir) : E_INVAL;

	for (int k = 0; r == E_OK && k < dirs; k++) {
		snprintf(path, sizeof(path), "%s/d%d", dir, k);
		r = fat_mkdir(v, path);
	}
	for (int i = 0; r == E_OK && i < n; i++) {
		struct fat_node f;
		size_t done;
		spread_name(path, sizeof(path), dir, i, dirs);
		r = fat_open(v, path, FAT_OPEN_CREATE | FAT_OPEN_EXCL, &f);
		if (r == E_OK)
			r = fat_write(v, &f, 0, path, strlen(path), &done);
	}
	for (int i = 0; r == E_OK && i < n; i++) {
		struct fat_node f;
		spread_name(path, sizeof(path), dir, i, dirs);
		r = fat_open(v, path, 0, &f);
		if (r == E_OK && f.size != strlen(path))
			r = E_PROTO;
	}
	return r;
}

static long cmd_camp(struct fat_vol *v, unsigned from, unsigned to)
{
	long r = fat_mkdir(v, "/camp");

	for (unsigned k = from; r == E_OK && k < to; k++)
		r = camp_step(v, k);
	return r;
}

long tool_work(struct fat_vol *v, int argc, char **argv)
{
	const char *c = argv[0];

	if (!strcmp(c, "spread") && argc == 4)
		return cmd_spread(v, argv[1], atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(c, "churn") && argc == 3)
		return cmd_churn(v, argv[1], atoi(argv[2]));
	if (!strcmp(c, "bulk") && argc == 5)
		return cmd_bulk(v, argv[1], strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0),
				(unsigned)atoi(argv[4]));
	if (!strcmp(c, "camp") && argc == 3)
		return cmd_camp(v, (unsigned)atoi(argv[1]), (unsigned)atoi(argv[2]));
	if (!strcmp(c, "seqread") && argc == 3)
		return cmd_seqread(v, argv[1], strtoull(argv[2], NULL, 0));
	if (!strcmp(c, "seqwrite") && argc == 4)
		return cmd_seqwrite(v, argv[1], strtoull(argv[2], NULL, 0),
				    (unsigned)atoi(argv[3]));
	if (!strcmp(c, "readat") && argc >= 4 && argc % 2 == 0)
		return cmd_readat(v, argv[1], (argc - 2) / 2, argv + 2);
	if (!strcmp(c, "stale") && argc == 2)
		return cmd_stale(v, argv[1]);
	if (!strcmp(c, "interleave") && argc == 4)
		return cmd_interleave(v, argv[1], argv[2], strtoull(argv[3], NULL, 0));
	if (!strcmp(c, "coherent") && argc == 2)
		return cmd_coherent(v, argv[1]);
	return E_NOSYS;
}
