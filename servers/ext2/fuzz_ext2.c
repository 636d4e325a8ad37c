/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ext2: libFuzzer over the ext2 engine (cache.c super.c map.c dir.c,
 * the server's own sources). An input is the start of a disk image; the
 * rest of a FUZZ_DISK_BYTES disk reads as zeros. Each input is mounted, its
 * tree walked (FUZZ_DEPTH levels, FUZZ_ENTRIES entries per directory),
 * each file read in part and each symlink followed, and a few paths looked
 * up. Any crash, hang or sanitizer report is a finding. The corpus
 * (fuzz_corpus/) holds tiny images from genext2fs and mke2fs.
 *
 *   build/servers/ext2/fuzz_ext2 -max_len=32768 CORPUS_COPY   (by hand, unbounded)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ext2.h"

#define FUZZ_DISK_BYTES (256u << 10)
#define FUZZ_DEPTH	4
#define FUZZ_ENTRIES	64
#define FUZZ_READ	(16u << 10)

static uint8_t disk[FUZZ_DISK_BYTES];

static long disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	if (lba * 512 + (uint64_t)count * 512 > FUZZ_DISK_BYTES)
		abort(); /* the engine must never ask for a sector past the device */
	memcpy(buf, disk + lba * 512, (size_t)count * 512);
	return E_OK;
}

static void visit(struct ext2_vol *v, const struct ext2_node *n)
{
	static uint8_t data[FUZZ_READ];
	static char target[EXT2_PATH_MAX];
	struct ext2_node to;
	size_t got;

	if (ext2_is_link(n)) {
		if (ext2_readlink(v, n, target) == E_OK)
			ext2_lookup(v, target, true, &to);
		return;
	}
	ext2_read(v, n, 0, data, sizeof(data), &got);
	ext2_read(v, n, n->size > 100 ? n->size - 100 : 0, data, 300, &got);
}

static void walk(struct ext2_vol *v, const struct ext2_node *dir, int depth)
{
	struct ext2_dirent *e = malloc(sizeof(*e));
	uint64_t cookie = 0;

	for (int i = 0; e && i < FUZZ_ENTRIES && ext2_readdir(v, dir, &cookie, e) == E_OK; i++) {
		if (ext2_is_dir(&e->node) && depth < FUZZ_DEPTH)
			walk(v, &e->node, depth + 1);
		else
			visit(v, &e->node);
	}
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"/", "a/b/c", "../..//x", "link/..", "lost+found"};
	struct ext2_blockdev dev = {NULL, 512, FUZZ_DISK_BYTES / 512, disk_read};
	char why[EXT2_WHY_BYTES];
	struct ext2_statfs s;
	struct ext2_node root, n;
	struct ext2_vol *v;

	memset(disk, 0, sizeof(disk));
	memcpy(disk, data, size < sizeof(disk) ? size : sizeof(disk));
	if (ext2_mount(&dev, 16 * 1024, &v, why) < 0)
		return 0;
	ext2_statfs(v, &s);
	if (ext2_read_inode(v, 2, &root) == E_OK)
		walk(v, &root, 0);
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (ext2_lookup(v, paths[i], true, &n) == E_OK)
			visit(v, &n);
	ext2_unmount(v);
	return 0;
}
