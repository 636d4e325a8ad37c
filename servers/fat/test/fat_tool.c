/* SPDX-License-Identifier: MIT */
/*
 * fat_tool: the FAT engine on an image file, for the host tests
 * (test_fat_images.py drives it next to mkfs.fat, mtools and fsck.fat).
 * This file: the image as a block device, the commands that build and
 * check images, and main; the workload commands (churn, spread, bulk,
 * seqread, seqwrite, readat, stale, interleave, coherent, camp) are in
 * fat_tool_work.c.
 *
 *   fat_tool [--ss N] [--ro] [--forget] IMAGE COMMAND ARGS...
 *     (--forget: end as a kill would, writing nothing back; --crash-after N: the
 *     same after N write requests reached the disk, the rest failing with E_IO)
 *     ls PATH            one line per entry: d|f <size> <name>
 *     cat PATH           the file's bytes on stdout (read in odd-sized pieces)
 *     put PATH HOSTFILE  create PATH (or cut it to 0) and write the host file into it
 *     write PATH OFF TEXT   write TEXT at byte OFF (creating PATH)
 *     mkdir|rm|rmdir PATH, mv FROM TO, truncate PATH SIZE, stat PATH, df
 *     open PATH HOW      fat_open (HOW: - look up, c create, ce create exclusive): dir|file
 *                        size=N
 *     many DIR N         create N files DIR/"file number I with a long name.txt"
 *     spread DIR D N     N files made in turn in D new directories DIR/dK (each holding its
 *                        path), then each looked up and its size checked
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

#include "fat_tool.h"

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

/* fat_open with HOW: "-" none, "c" create, "ce" create exclusive; prints what it opened. */
static long cmd_open(struct fat_vol *v, const char *path, const char *how)
{
	unsigned h = !strcmp(how, "c")	  ? FAT_OPEN_CREATE
		     : !strcmp(how, "ce") ? FAT_OPEN_CREATE | FAT_OPEN_EXCL
					  : 0;
	struct fat_node n;
	struct fat_stat st;
	long r = h || !strcmp(how, "-") ? fat_open(v, path, h, &n) : E_NOSYS;

	if (r < 0)
		return r;
	fat_node_stat(&n, &st);
	printf("%s size=%llu\n", st.is_dir ? "dir" : "file", (unsigned long long)st.size);
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
	if (!strcmp(c, "open") && argc == 3)
		return cmd_open(v, argv[1], argv[2]);
	if (!strcmp(c, "df") && argc == 1)
		return cmd_df(v);
	if (!strcmp(c, "many") && argc == 3)
		return cmd_many(v, argv[1], atoi(argv[2]));
	if (!strcmp(c, "tree") && argc == 2) {
		tree(v, argv[1], 0);
		return E_OK;
	}
	if (!strcmp(c, "dirty") && argc == 1) {
		printf("%d %u\n", fat_was_dirty(v), fat_repaired_clusters(v));
		return E_OK;
	}
	return tool_work(v, argc, argv);
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
