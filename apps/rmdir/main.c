/* SPDX-License-Identifier: MIT */
/*
 * rmdir DIR...: remove empty directories (sys/vfs.h). Exit code 1 if any
 * removal failed.
 */
#include "sys/stdio.h"
#include "sys/vfs.h"

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 1) {
		dprintf(2, "usage: rmdir DIR...\n");
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		long err = vfs_rmdir(argv[i]);
		if (err != 0)
			status = vfs_fail("rmdir", argv[i], err);
	}
	return status;
}
