/* SPDX-License-Identifier: MIT */
/*
 * ext2_tool: the ext2 engine on an image file, for the host tests
 * (test_ext2_images.py drives it next to genext2fs, mke2fs and debugfs).
 *
 *   ext2_tool [--ss N] IMAGE COMMAND ARGS...
 *     df            label, block size, blocks, free blocks, inodes, revision
 *     ls PATH       one line per entry: d|f|l|o <size> <name>
 *     cat PATH      the file's bytes on stdout (read in odd-sized pieces), symlinks followed
 *     stat PATH     the entry itself (a symlink not followed): type, size, mtime, mode
 *     tree          every entry below the root (16 levels at most), one line each:
 *                   tab-separated "d PATH", "f PATH SIZE FNV1A-64", "l PATH TARGET",
 *                   or "! PATH ERROR" for what could not be read (the walk goes on)
 *
 * Exit status 0 on success, 2 with "ext2_tool: <what>: <error>" on stderr for
 * an error the engine reported (tree: any "!" line), 1 for bad usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ext2.h"

#define TREE_DEPTH 16

/* The image, mapped whole: a read is a copy, checked against its end. */
struct image {
	const uint8_t *bytes;
	size_t size;
	uint32_t ss;
};

static long img_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	const struct image *im = ctx;
	uint64_t at = lba * im->ss, n = (uint64_t)count * im->ss;

	if (at > im->size || n > im->size - at)
		return E_IO;
	memcpy(buf, im->bytes + at, n);
	return E_OK;
}

static int engine_error(const char *what, long err)
{
	fprintf(stderr, "ext2_tool: %s: %s\n", what, sys_error_name(err));
	return 2;
}

static char type_of(const struct ext2_node *n)
{
	return ext2_is_dir(n)				 ? 'd'
	       : ext2_is_link(n)			 ? 'l'
	       : (n->mode & EXT2_S_IFMT) == EXT2_S_IFREG ? 'f'
							 : 'o';
}

/* The file's bytes in pieces of odd sizes (so reads cross blocks), hashed or written out. */
static long read_all(struct ext2_vol *v, const struct ext2_node *n, FILE *out, uint64_t *hash)
{
	static uint8_t buf[300000];
	static const size_t sizes[] = {1, 4095, 300000, 1000, 65536, 513};
	uint64_t off = 0, h = 0xcbf29ce484222325ull;
	size_t got;

	for (unsigned k = 0;; k++) {
		long r = ext2_read(v, n, off, buf, sizes[k % 6], &got);
		if (r < 0)
			return r;
		if (got == 0)
			break;
		for (size_t i = 0; i < got; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
		if (out)
			fwrite(buf, 1, got, out);
		off += got;
	}
	if (off != n->size)
		return E_CORRUPT;
	*hash = h;
	return E_OK;
}

static int tree(struct ext2_vol *v, const char *path, const struct ext2_node *dir, int depth)
{
	static char target[EXT2_PATH_MAX];
	struct ext2_dirent *e = malloc(sizeof(*e));
	uint64_t cookie = 0, hash;
	int bad = 0;
	long r;

	while (e && (r = ext2_readdir(v, dir, &cookie, e)) == E_OK) {
		char *sub = malloc(strlen(path) + strlen(e->name) + 2);
		sprintf(sub, "%s/%s", path, e->name);
		if (ext2_is_dir(&e->node)) {
			printf("d\t%s\n", sub);
			if (depth < TREE_DEPTH)
				bad |= tree(v, sub, &e->node, depth + 1);
		} else if (ext2_is_link(&e->node)) {
			r = ext2_readlink(v, &e->node, target);
			if (r == E_OK)
				printf("l\t%s\t%s\n", sub, target);
		} else {
			r = read_all(v, &e->node, NULL, &hash);
			if (r == E_OK)
				printf("f\t%s\t%llu\t%016llx\n", sub,
				       (unsigned long long)e->node.size, (unsigned long long)hash);
		}
		if (r < 0) {
			printf("!\t%s\t%s\n", sub, sys_error_name(r));
			bad = 1;
		}
		free(sub);
	}
	if (e && r != E_NOENT) {
		printf("!\t%s/\t%s\n", path, sys_error_name(r));
		bad = 1;
	}
	free(e);
	return bad;
}

static int ls(struct ext2_vol *v, const char *path)
{
	struct ext2_node dir;
	struct ext2_dirent e;
	uint64_t cookie = 0;
	long r = ext2_lookup(v, path, true, &dir);

	while (r == E_OK && (r = ext2_readdir(v, &dir, &cookie, &e)) == E_OK)
		printf("%c %llu %s\n", type_of(&e.node), (unsigned long long)e.node.size, e.name);
	return r == E_NOENT ? 0 : engine_error(path, r);
}

static int command(struct ext2_vol *v, int argc, char **argv)
{
	const char *cmd = argv[0], *path = argc > 1 ? argv[1] : "/";
	struct ext2_node n, root;
	struct ext2_statfs s;
	uint64_t hash;
	long r;

	if (!strcmp(cmd, "df")) {
		ext2_statfs(v, &s);
		printf("%s %u %u %u %u %u %u\n", s.label[0] ? s.label : "-", s.block_size, s.blocks,
		       s.free_blocks, s.inodes, s.free_inodes, s.revision);
		return 0;
	}
	if (!strcmp(cmd, "ls"))
		return ls(v, path);
	if (!strcmp(cmd, "tree")) {
		r = ext2_read_inode(v, 2, &root);
		return r < 0 ? engine_error("/", r) : tree(v, "", &root, 0) ? 2 : 0;
	}
	r = ext2_lookup(v, path, strcmp(cmd, "stat") != 0, &n);
	if (r < 0)
		return engine_error(path, r);
	if (!strcmp(cmd, "cat")) {
		r = read_all(v, &n, stdout, &hash);
		return r < 0 ? engine_error(path, r) : 0;
	}
	if (!strcmp(cmd, "stat")) {
		printf("%c %llu %u %o\n", type_of(&n), (unsigned long long)n.size, n.mtime, n.mode);
		return 0;
	}
	fprintf(stderr, "ext2_tool: unknown command %s\n", cmd);
	return 1;
}

int main(int argc, char **argv)
{
	struct image im = {.ss = 512};
	struct ext2_blockdev dev = {.ctx = &im, .read = img_read};
	struct ext2_vol *v;
	char why[EXT2_WHY_BYTES];
	struct stat st;

	if (argc > 2 && !strcmp(argv[1], "--ss")) {
		im.ss = (uint32_t)atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: ext2_tool [--ss N] IMAGE df|ls|cat|stat|tree [PATH]\n");
		return 1;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		perror(argv[1]);
		return 1;
	}
	im.size = (size_t)st.st_size;
	im.bytes = mmap(NULL, im.size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (im.bytes == MAP_FAILED) {
		perror(argv[1]);
		return 1;
	}
	dev.sector_size = im.ss;
	dev.sectors = im.size / im.ss;
	long r = ext2_mount(&dev, 0, &v, why);
	if (r < 0) {
		fprintf(stderr, "ext2_tool: mount: %s: %s\n", sys_error_name(r), why);
		return 2;
	}
	int status = command(v, argc - 2, argv + 2);
	ext2_unmount(v);
	munmap((void *)im.bytes, im.size);
	return status;
}
