/* SPDX-License-Identifier: MIT */
/*
 * rm FILE...: remove files (sys/vfs.h); a directory is refused (rmdir
 * removes an empty one). Exit code 1 if any removal failed.
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

int main(int argc, char **argv)
{
	struct fs_stat st;
	int status = 0;

	if (argc < 1) {
		dprintf(2, "usage: rm FILE...\n");
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		long err = vfs_stat(argv[i], &st);
		if (err == E_OK && (st.attr & FS_STAT_DIR))
			err = E_ISDIR;
		if (err == E_OK)
			err = vfs_unlink(argv[i]);
		if (err != E_OK)
			status = vfs_fail("rm", argv[i], err);
	}
	return status;
}
