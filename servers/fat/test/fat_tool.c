/* SPDX-License-Identifier: MIT */
/*
 * fat_tool: the FAT engine on an image file, for the host tests
 * (test_fat_images.py drives it next to mkfs.fat, mtools and fsck.fat).
 *
 *   fat_tool [--ss N] [--ro] [--forget] IMAGE COMMAND ARGS...
 *     (--forget: end as a kill would, writing nothing back; --crash-after N: the
 *     same after N write requests reached the disk, the rest failing with E_IO)
 *     ls PATH            one line per entry: d|f <size> <name>
 *     cat PATH           the file's bytes on stdout (read in odd-sized pieces)
 *     put PATH HOSTFILE  create PATH (or cut it to 0) and write the host file into it
 *     write PATH OFF TEXT   write TEXT at byte OFF (creating PATH)
 *     mkdir|rm|rmdir PATH, mv FROM TO, truncate PATH SIZE, stat PATH, df
 *     many DIR N         create N files DIR/"file number I with a long name.txt"
 *     bulk PATH OFF LEN SEED   LEN bytes of a pattern in one write; prints the device
 *                        requests it took (reads=R writes=W)
 *     coherent PATH      small and large reads and writes that overlap, checked (1 MiB file)
 *     seqread PATH PIECE  the file read whole in PIECE-byte calls, the node refreshed
 *                        before each (as fs.c does); prints bytes, an FNV-1a hash and the
 *                        device requests (bytes=B hash=H reads=R)
 *     seqwrite PATH PIECE COUNT   COUNT writes of PIECE bytes to a new PATH (or one cut to
 *                        0), each after fat_node_refresh and the node kept current
 *                        after it (as fs.c does); prints the device requests
 *     readat PATH OFF LEN [OFF LEN]...   reads in one mount, each printed as bytes=N
 *     stale PATH         two handles on one file: one reads it whole, the other cuts it
 *                        and writes it again (new clusters); the first must read the new
 *                        bytes, and past a cut a short read, never a cluster it had seen
 *     interleave A B N   N clusters of bulk patterns 11 and 12 appended to A and B in
 *                        turn (chains of one-cluster runs), then read back in pieces
 *     dirty              whether the volume was left dirty (1 or 0) and clusters repaired
 *     tree PATH          every entry below PATH (8 levels at most): path, size and an
 *                        FNV-1a hash of a file's bytes, or the error reading it
 *
 * Exit status 0 on success, 2 with "fat_tool: <what>: <error>" on stderr for
 * an error the engine reported, 1 for bad usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fat.h"

struct image {
	int fd;
	uint32_t ss;
	long writes_left; /* --crash-after: requests until the disk stops (-1: never) */
};

static long img_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct image *im = ctx;
	size_t n = (size_t)count * im->ss;
	return pread(im->fd, buf, n, (off_t)(lba * im->ss)) == (ssize_t)n ? E_OK : E_IO;
}

static long img_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct image *im = ctx;
	size_t n = (size_t)count * im->ss;
	if (im->writes_left == 0)
		return E_IO; /* the "kill": nothing from here on reaches the disk */
	if (im->writes_left > 0)
		im->writes_left--;
	return pwrite(im->fd, buf, n, (off_t)(lba * im->ss)) == (ssize_t)n ? E_OK : E_IO;
}

/*
 * The image needs no durability here, and an fsync per run (hundreds in a
 * test) slows the host's disk for QEMU tests running beside it.
 */
static long img_flush(void *ctx)
{
	(void)ctx;
	return E_OK;
}

static int fail(const char *what, long err)
{
	fprintf(stderr, "fat_tool: %s: %s\n", what, sys_error_name(err));
	return 2;
}

/* What one fat_readdir_many call took: at most `max` entries (0: as many as come). */
struct ls_batch {
	unsigned n, max;
	uint32_t next[8];
	size_t len[8];
	struct fat_stat st[8];
	char name[8][FAT_NAME_BYTES];
};

static int ls_take(void *ctx, const struct fat_dirent_view *e)
{
	struct ls_batch *b = ctx;

	if (b->n == 8 || (b->max && b->n == b->max))
		return 1;
	b->next[b->n] = e->next;
	b->len[b->n] = e->name_len;
	b->st[b->n] = e->st;
	memcpy(b->name[b->n++], e->name, e->name_len + 1);
	return 0;
}

/* Each entry of a batch as fat_readdir gives it from the same cookie (E_PROTO if not). */
static long ls_check(struct fat_vol *v, const struct fat_node *dir, uint32_t cookie,
		     const struct ls_batch *b, struct fat_dirent *d)
{
	for (unsigned i = 0; i < b->n; i++) {
		long r = fat_readdir(v, dir, &cookie, d);
		if (r < 0)
			return r;
		if (cookie != b->next[i] || strlen(d->name) != b->len[i] ||
		    strcmp(d->name, b->name[i]) || memcmp(&d->st, &b->st[i], sizeof(d->st)))
			return E_PROTO;
		printf("%c %llu %s\n", d->st.is_dir ? 'd' : 'f', (unsigned long long)d->st.size,
		       d->name);
	}
	return E_OK;
}

/* The listing in batches of 1 to 8 entries, each checked against fat_readdir. */
static long cmd_ls(struct fat_vol *v, const char *path)
{
	struct fat_node dir;
	struct fat_dirent *d = malloc(sizeof(*d));
	struct ls_batch *b = malloc(sizeof(*b));
	uint32_t cookie = 0;
	long r = d && b ? fat_lookup(v, path, &dir) : E_NOMEM;

	for (unsigned k = 0; r == E_OK; k++) {
		uint32_t at = cookie;
		b->n = 0;
		b->max = k % 9;
		r = fat_readdir_many(v, &dir, &cookie, ls_take, b);
		long c = ls_check(v, &dir, at, b, d);
		r = c < 0 ? c : r;
		if (r == E_OK && b->n == 0)
			r = E_PROTO; /* stopped without taking anything */
	}
	if (r == E_NOENT && fat_readdir(v, &dir, &cookie, d) != E_NOENT)
		r = E_PROTO; /* the batches ended early */
	free(d);
	free(b);
	return r == E_NOENT ? E_OK : r;
}

static long cmd_cat(struct fat_vol *v, const char *path)
{
	static uint8_t buf[1 << 20];
	static const size_t pieces[] = {1 << 20, 1, 511, 4096, 100000, 65536 + 3};
	struct fat_node n;
	uint64_t off = 0;
	long r = fat_lookup(v, path, &n);

	for (unsigned i = 0; r == E_OK; i++) {
		size_t got;
		r = fat_read(v, &n, off, buf, pieces[i % 6], &got);
		if (r < 0 || got == 0)
			break;
		fwrite(buf, 1, got, stdout);
		off += got;
	}
	return r;
}

static long open_or_create(struct fat_vol *v, const char *path, struct fat_node *n)
{
	long r = fat_lookup(v, path, n);
	return r == E_NOENT ? fat_create(v, path, n) : r;
}

static long cmd_put(struct fat_vol *v, const char *path, const char *host)
{
	static uint8_t buf[300000];
	FILE *f = fopen(host, "rb");
	struct fat_node n;
	uint64_t off = 0;
	size_t got, done, step = 7;
	long r = f ? open_or_create(v, path, &n) : E_NOENT;

	if (r == E_OK)
		r = fat_truncate(v, &n, 0);
	while (r == E_OK && (got = fread(buf, 1, step, f)) > 0) {
		r = fat_write(v, &n, off, buf, got, &done);
		off += done;
		step = step * 3 % sizeof(buf) + 1; /* pieces of many sizes */
	}
	if (f)
		fclose(f);
	return r;
}

static long cmd_write(struct fat_vol *v, const char *path, const char *off, const char *text)
{
	struct fat_node n;
	size_t done;
	long r = open_or_create(v, path, &n);
	return r == E_OK ? fat_write(v, &n, strtoull(off, NULL, 0), text, strlen(text), &done) : r;
}

static long cmd_truncate(struct fat_vol *v, const char *path, const char *size)
{
	struct fat_node n;
	long r = fat_lookup(v, path, &n);
	return r == E_OK ? fat_truncate(v, &n, strtoull(size, NULL, 0)) : r;
}

static long cmd_stat(struct fat_vol *v, const char *path)
{
	struct fat_node n;
	struct fat_stat st;
	long r = fat_lookup(v, path, &n);

	if (r < 0)
		return r;
	fat_node_stat(&n, &st);
	printf("%s size=%llu attr=0x%02x mdate=0x%04x mtime=0x%04x\n", st.is_dir ? "dir" : "file",
	       (unsigned long long)st.size, st.attr, st.modified.date, st.modified.time);
	return E_OK;
}

static long cmd_df(struct fat_vol *v)
{
	struct fat_statfs s;

	fat_statfs(v, &s);
	printf("FAT%d cluster=%u clusters=%u free=%u sector=%u label=%s\n", s.type, s.cluster_bytes,
	       s.clusters, s.free_clusters, s.sector_size, s.label);
	return E_OK;
}

static long cmd_many(struct fat_vol *v, const char *dir, int count)
{
	char path[300];
	long r = E_OK;

	for (int i = 0; i < count && r == E_OK; i++) {
		struct fat_node n;
		size_t done;
		snprintf(path, sizeof(path), "%s/file number %d with a long name.txt", dir, i);
		r = fat_create(v, path, &n);
		if (r == E_OK)
			r = fat_write(v, &n, 0, path, strlen(path), &done);
	}
	return r;
}

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

/* FNV-1a of a file's bytes, for tree. */
static long hash_file(struct fat_vol *v, struct fat_node *n, uint64_t *h)
{
	static uint8_t buf[65536];
	uint64_t off = 0;
	size_t got;
	long r;

	*h = 0xcbf29ce484222325ull;
	while ((r = fat_read(v, n, off, buf, sizeof(buf), &got)) == E_OK && got) {
		for (size_t i = 0; i < got; i++)
			*h = (*h ^ buf[i]) * 0x100000001b3ull;
		off += got;
	}
	return r;
}

static void tree(struct fat_vol *v, const char *path, int depth)
{
	struct fat_node dir, n;
	struct fat_dirent *d = malloc(sizeof(*d));
	char *sub = malloc(FAT_PATH_MAX + FAT_NAME_BYTES);
	uint32_t cookie = 0;
	long r = fat_lookup(v, path, &dir);

	while (r == E_OK && depth < 8 && (r = fat_readdir(v, &dir, &cookie, d)) == E_OK) {
		uint64_t h = 0;
		snprintf(sub, FAT_PATH_MAX + FAT_NAME_BYTES, "%s/%s", path, d->name);
		long e = strlen(sub) < FAT_PATH_MAX ? fat_lookup(v, sub, &n) : E_RANGE;
		if (e == E_OK && !d->st.is_dir)
			e = hash_file(v, &n, &h);
		printf("%s %c %llu %016llx %s\n", sub, d->st.is_dir ? 'd' : 'f',
		       (unsigned long long)d->st.size, (unsigned long long)h, sys_error_name(e));
		if (e == E_OK && d->st.is_dir)
			tree(v, sub, depth + 1);
	}
	if (r != E_NOENT && r != E_OK)
		printf("%s ! %s\n", path, sys_error_name(r));
	free(d);
	free(sub);
}

static long run(struct fat_vol *v, int argc, char **argv)
{
	const char *c = argv[0];

	if (!strcmp(c, "ls") && argc == 2)
		return cmd_ls(v, argv[1]);
	if (!strcmp(c, "cat") && argc == 2)
		return cmd_cat(v, argv[1]);
	if (!strcmp(c, "put") && argc == 3)
		return cmd_put(v, argv[1], argv[2]);
	if (!strcmp(c, "write") && argc == 4)
		return cmd_write(v, argv[1], argv[2], argv[3]);
	if (!strcmp(c, "mkdir") && argc == 2)
		return fat_mkdir(v, argv[1]);
	if (!strcmp(c, "rm") && argc == 2)
		return fat_unlink(v, argv[1]);
	if (!strcmp(c, "rmdir") && argc == 2)
		return fat_rmdir(v, argv[1]);
	if (!strcmp(c, "mv") && argc == 3)
		return fat_rename(v, argv[1], argv[2]);
	if (!strcmp(c, "truncate") && argc == 3)
		return cmd_truncate(v, argv[1], argv[2]);
	if (!strcmp(c, "stat") && argc == 2)
		return cmd_stat(v, argv[1]);
	if (!strcmp(c, "df") && argc == 1)
		return cmd_df(v);
	if (!strcmp(c, "many") && argc == 3)
		return cmd_many(v, argv[1], atoi(argv[2]));
	if (!strcmp(c, "churn") && argc == 3)
		return cmd_churn(v, argv[1], atoi(argv[2]));
	if (!strcmp(c, "tree") && argc == 2) {
		tree(v, argv[1], 0);
		return E_OK;
	}
	if (!strcmp(c, "bulk") && argc == 5)
		return cmd_bulk(v, argv[1], strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0),
				(unsigned)atoi(argv[4]));
	if (!strcmp(c, "camp") && argc == 3) {
		long r = fat_mkdir(v, "/camp");
		for (unsigned k = (unsigned)atoi(argv[1]); r == E_OK && k < (unsigned)atoi(argv[2]);
		     k++)
			r = camp_step(v, k);
		return r;
	}
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
	if (!strcmp(c, "dirty") && argc == 1) {
		printf("%d %u\n", fat_was_dirty(v), fat_repaired_clusters(v));
		return E_OK;
	}
	return E_NOSYS;
}

int main(int argc, char **argv)
{
	struct image im = {-1, 512, -1};
	struct fat_mount_opts opts = {0};
	struct fat_vol *v;
	int a = 1;
	bool forget = false;

	for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
		if (!strcmp(argv[a], "--ss") && a + 1 < argc)
			im.ss = (uint32_t)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--ro"))
			opts.read_only = true;
		else if (!strcmp(argv[a], "--forget"))
			forget = true;
		else if (!strcmp(argv[a], "--crash-after") && a + 1 < argc)
			im.writes_left = atol(argv[++a]), forget = true;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: fat_tool [--ss N] [--ro] [--forget] [--crash-after N] "
				"IMAGE COMMAND ARGS...\n");
		return 1;
	}
	im.fd = open(argv[a], opts.read_only ? O_RDONLY : O_RDWR);
	if (im.fd < 0)
		return fail("open", E_NOENT);
	off_t bytes = lseek(im.fd, 0, SEEK_END);
	struct fat_blockdev dev = {&im,	      im.ss,	(uint64_t)bytes / im.ss, 128, img_read,
				   img_write, img_flush};
	long r = fat_mount(&dev, &opts, &v);
	if (r < 0)
		return fail("mount", r);
	r = run(v, argc - a - 1, argv + a + 1);
	if (r == E_NOSYS) {
		fprintf(stderr, "fat_tool: unknown command or arguments\n");
		fat_unmount(v);
		return 1;
	}
	if (forget) { /* what a kill leaves: nothing written back */
		fat_forget(v);
		return r < 0 ? fail(argv[a + 1], r) : 0;
	}
	long u = fat_unmount(v);
	if (r < 0)
		return fail(argv[a + 1], r);
	return u < 0 ? fail("unmount", u) : 0;
}
