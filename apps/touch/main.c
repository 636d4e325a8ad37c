/* SPDX-License-Identifier: MIT */
/*
 * touch FILE...: make each file that does not exist, empty (sys/vfs.h). A
 * file that exists keeps its bytes and, since the fs protocol has no call
 * that sets times yet, its times. Exit code 1 if any failed.
 */
#include "sys/stdio.h"
#include "sys/vfs.h"

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 1) {
		dprintf(2, "usage: touch FILE...\n");
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		int fd = vfs_open(argv[i], VFS_O_WRITE | VFS_O_CREATE);
		if (fd < 0)
			status = vfs_fail("touch", argv[i], fd);
		else
			vfs_close(fd);
	}
	return status;
}
