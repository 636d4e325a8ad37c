/* SPDX-License-Identifier: MIT */
/*
 * df [PATH...]: the size and free space of every mounted volume, or of the
 * volumes holding the paths (sys/vfs.h): mount point, type, KiB in all,
 * used and free, and the label. Exit code 1 if any failed.
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

#define KIB 1024u

static int show(const char *path)
{
	struct fs_statfs s;
	char label[12] = "";
	long err = vfs_statfs(path, &s, label);

	if (err != 0)
		return vfs_fail("df", path, err);
	uint64_t all = s.blocks * s.block_size / KIB, free = s.free_blocks * s.block_size / KIB;
	printf("%-16s FAT%-3llu %10llu %10llu %10llu  %s\n", path, (unsigned long long)s.type,
	       (unsigned long long)all, (unsigned long long)(all - free), (unsigned long long)free,
	       label);
	return 0;
}

int main(int argc, char **argv)
{
	struct vfs_mount_info m;
	int status = 0;

	printf("%-16s %-6s %10s %10s %10s  %s\n", "mounted on", "type", "KiB", "used", "free",
	       "label");
	if (argc > 0) {
		for (int i = 0; i < argc; i++)
			status |= show(argv[i]);
		return status;
	}
	int n = vfs_mount_count();
	if (n == 0)
		return vfs_fail("df", NULL, E_NOENT); /* no filesystem answers */
	for (int i = 0; i < n; i++)
		if (vfs_mount_get(i, &m) == 0)
			status |= show(m.at);
	return status;
}
