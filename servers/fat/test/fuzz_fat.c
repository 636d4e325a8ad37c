/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the FAT engine (fat.h): an input is a sparse disk,
 * mounted, walked (readdir of every directory, also in fat_readdir_many
 * batches, every file read whole and stat'ed, 6 levels and 512 entries at
 * most) and then written to (create, write across clusters, mkdir, rename,
 * truncate, unlink, sync, unmount). Built with clang-14
 * -fsanitize=fuzzer,address,undefined when clang is there; the suite's
 * `fuzz-fat` runs it a bounded number of times from fuzz_corpus/ (tiny
 * mkfs.fat + mtools images in this format, made by make_fuzz_corpus.py),
 * `build/servers/fat/fuzz_fat DIR` for longer.
 *
 * The input format keeps FAT32 small (its volume needs 65,525 clusters, but
 * few sectors of a fresh one hold anything): byte 0 picks the sector size
 * (bit 0 set: 4096, else 512), then records of a 4-byte little-endian
 * sector number and one sector's bytes (the last one padded with zeros).
 * The disk has FZ_DISK_BYTES; sectors no record names read as zeros, and
 * what the engine writes is kept (up to FZ_WRITTEN_MAX sectors, then E_IO)
 * so it reads back what it wrote.
 */
#include <stdlib.h>
#include <string.h>

#include "../fat.h"

#define FZ_DISK_BYTES  (80ull << 20)
#define FZ_WRITTEN_MAX 2048
#define FZ_DEPTH       6
#define FZ_ENTRIES_MAX 512
#define FZ_READ_MAX    (1u << 20)

struct fz_sector {
	uint64_t lba;
	uint8_t *data;
};

struct fz_disk {
	uint32_t ss;
	struct fz_sector *sec;
	size_t n, cap;
	unsigned entries;
};

static struct fz_sector *fz_find(struct fz_disk *d, uint64_t lba)
{
	for (size_t i = d->n; i-- > 0;)
		if (d->sec[i].lba == lba)
			return &d->sec[i];
	return NULL;
}

/* A sector's place in the table, added (zeroed) when missing; NULL when full. */
static struct fz_sector *fz_slot(struct fz_disk *d, uint64_t lba)
{
	struct fz_sector *s = fz_find(d, lba);

	if (s || d->n == d->cap)
		return s;
	s = &d->sec[d->n++];
	s->lba = lba;
	s->data = calloc(1, d->ss);
	return s;
}

static long fz_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct fz_disk *d = ctx;

	for (uint32_t i = 0; i < count; i++) {
		struct fz_sector *s = fz_find(d, lba + i);
		uint8_t *to = (uint8_t *)buf + (size_t)i * d->ss;
		if (s)
			memcpy(to, s->data, d->ss);
		else
			memset(to, 0, d->ss);
	}
	return E_OK;
}

static long fz_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct fz_disk *d = ctx;

	for (uint32_t i = 0; i < count; i++) {
		struct fz_sector *s = fz_slot(d, lba + i);
		if (!s)
			return E_IO;
		memcpy(s->data, (const uint8_t *)buf + (size_t)i * d->ss, d->ss);
	}
	return E_OK;
}

static long fz_flush(void *ctx)
{
	(void)ctx;
	return E_OK;
}

static void fz_load(struct fz_disk *d, const uint8_t *in, size_t size)
{
	size_t rec;

	d->ss = size && (in[0] & 1) ? 4096 : 512;
	rec = 4 + d->ss;
	d->cap = (size > 1 ? (size - 1) / rec + 1 : 0) + FZ_WRITTEN_MAX;
	d->sec = calloc(d->cap, sizeof(*d->sec));
	for (size_t at = 1; at + 4 < size; at += rec) {
		uint64_t lba = (uint32_t)(in[at] | in[at + 1] << 8 | in[at + 2] << 16 |
					  (uint32_t)in[at + 3] << 24);
		struct fz_sector *s = fz_slot(d, lba % (FZ_DISK_BYTES / d->ss));
		size_t have = size - at - 4 < d->ss ? size - at - 4 : d->ss;
		if (s)
			memcpy(s->data, in + at + 4, have);
	}
}

static void fz_free(struct fz_disk *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->sec[i].data);
	free(d->sec);
}

static void walk(struct fz_disk *d, struct fat_vol *v, char *path, size_t len, int depth);

/* One entry of a walked directory: a file read whole, a directory walked. */
static void visit(struct fz_disk *d, struct fat_vol *v, char *path, size_t len, int depth,
		  const struct fat_dirent *e)
{
	static uint8_t buf[FZ_READ_MAX];
	struct fat_node n;
	struct fat_stat st;
	size_t nl = strlen(e->name), done;

	if (len + 1 + nl >= FAT_PATH_MAX)
		return;
	path[len] = '/';
	memcpy(path + len + 1, e->name, nl + 1);
	if (fat_lookup(v, path, &n) == E_OK) {
		fat_node_stat(&n, &st);
		if (e->st.is_dir)
			walk(d, v, path, len + 1 + nl, depth + 1);
		else
			for (uint64_t off = 0; off < n.size && off < 4 * FZ_READ_MAX; off += done)
				if (fat_read(v, &n, off, buf, off % 3 ? 777 : FZ_READ_MAX, &done) <
					    0 ||
				    done == 0)
					break;
	}
	path[len] = '\0';
}

/* A batch of fat_readdir_many: at most three entries; a name must be as long as it says. */
static int batch_take(void *ctx, const struct fat_dirent_view *e)
{
	unsigned *n = ctx;

	if (strlen(e->name) != e->name_len)
		abort();
	if (*n == 3)
		return 1;
	(*n)++;
	return 0;
}

/* The directory listed again in batches of three (at most 64 of them). */
static void list_batches(struct fat_vol *v, const struct fat_node *dir)
{
	uint32_t cookie = 0;
	long r = E_OK;

	for (unsigned b = 0; r == E_OK && b < 64; b++) {
		unsigned n = 0;
		r = fat_readdir_many(v, dir, &cookie, batch_take, &n);
	}
}

static void walk(struct fz_disk *d, struct fat_vol *v, char *path, size_t len, int depth)
{
	struct fat_dirent *e = malloc(sizeof(*e));
	struct fat_node dir;
	uint32_t cookie = 0;

	if (depth < FZ_DEPTH && fat_lookup(v, len ? path : "/", &dir) == E_OK) {
		list_batches(v, &dir);
		while (d->entries < FZ_ENTRIES_MAX && fat_readdir(v, &dir, &cookie, e) == E_OK) {
			d->entries++;
			visit(d, v, path, len, depth, e);
		}
	}
	free(e);
}

/* Writes on whatever mounted: each may fail on a damaged volume, none may crash. */
static void scribble(struct fat_vol *v)
{
	static uint8_t data[70000];
	struct fat_node n;
	size_t done;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	if (fat_create(v, "/fuzzed file with a long name.txt", &n) == E_OK) {
		fat_write(v, &n, 0, data, sizeof(data), &done);
		fat_write(v, &n, 100, data, 5000, &done);
		fat_truncate(v, &n, 3000);
	}
	fat_mkdir(v, "/FZDIR");
	if (fat_open(v, "/FZDIR/opened twice.txt", FAT_OPEN_CREATE, &n) == E_OK)
		fat_open(v, "/fzdir/OPENED TWICE.TXT", FAT_OPEN_CREATE | FAT_OPEN_EXCL, &n);
	fat_rename(v, "/fuzzed file with a long name.txt", "/FZDIR/moved.bin");
	fat_open(v, "/FZDIR/moved.bin", 0, &n);
	fat_create(v, "/日本語.txt", &n);
	fat_unlink(v, "/FZDIR/moved.bin");
	fat_unlink(v, "/FZDIR/opened twice.txt");
	fat_rmdir(v, "/FZDIR");
	fat_sync(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	struct fz_disk d = {0};
	struct fat_blockdev dev = {.ctx = &d,
				   .read = fz_read,
				   .write = fz_write,
				   .flush = fz_flush,
				   .max_sectors = 128};
	struct fat_mount_opts opts = {.cache_bytes = 64 * 1024};
	struct fat_vol *v;
	char path[FAT_PATH_MAX] = "";

	fz_load(&d, in, size);
	dev.sector_size = d.ss;
	dev.sectors = FZ_DISK_BYTES / d.ss;
	if (fat_mount(&dev, &opts, &v) == E_OK) {
		struct fat_statfs s;
		fat_statfs(v, &s);
		walk(&d, v, path, 0, 0);
		scribble(v);
		fat_unmount(v);
	}
	fz_free(&d);
	return 0;
}
