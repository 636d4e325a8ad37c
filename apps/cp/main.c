/* SPDX-License-Identifier: MIT */
/*
 * cp SRC DST, cp SRC... DIR: copy files (within a volume or between two,
 * sys/vfs.h); a destination that is a directory gets the source's name.
 * The copy is synced before cp exits. Exit code 1 if any copy failed.
 */
#include "sys/stdio.h"
#include "sys/vfs.h"

#define CHUNK (64u * 1024)

static char buf[CHUNK];

int main(int argc, char **argv)
{
	static char to[VFS_PATH_MAX];
	int status = 0;

	if (argc < 2) {
		dprintf(2, "usage: cp SRC DST | cp SRC... DIR\n");
		return 2;
	}
	const char *dst = argv[argc - 1];
	for (int i = 0; i < argc - 1; i++) {
		long err = vfs_target(argv[i], dst, to, sizeof(to));
		if (err == 0)
			err = vfs_copy_file(argv[i], to, buf, sizeof(buf));
		if (err != 0)
			status = vfs_fail("cp", argv[i], err);
	}
	return status;
}
