/* SPDX-License-Identifier: MIT */
/*
 * mount: the path namespace's mount table (sys/vfs.h), one line a volume:
 * the filesystem endpoint, where it is mounted, its type and label. The
 * table is found by the path library itself (fs0 at "/", every other
 * fs<N> that answers under /mnt); mount only shows it.
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

int main(int argc, char **argv)
{
	struct vfs_mount_info m;
	struct fs_statfs s;
	char label[12];

	(void)argv;
	if (argc > 0) {
		dprintf(2, "usage: mount (no arguments: the volumes are found, not mounted by "
			   "hand)\n");
		return 2;
	}
	int n = vfs_mount_count();
	if (n == 0)
		return vfs_fail("mount", NULL, E_NOENT);
	for (int i = 0; i < n; i++) {
		if (vfs_mount_get(i, &m) != E_OK)
			continue;
		long err = vfs_statfs(m.at, &s, label);
		if (err == E_OK)
			printf("%s on %s type fat%llu (label \"%s\")\n", m.endpoint, m.at,
			       (unsigned long long)s.type, m.label);
		else
			printf("%s on %s (%s)\n", m.endpoint, m.at, vfs_strerror(err));
	}
	return 0;
}
