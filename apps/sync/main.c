/* SPDX-License-Identifier: MIT */
/*
 * sync: everything written to every mounted volume onto its disk
 * (sys/vfs.h, FS_SYNC on each). Exit code 1 if any volume failed.
 */
#include "sys/stdio.h"
#include "sys/vfs.h"

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		dprintf(2, "usage: sync (no arguments)\n");
		return 2;
	}
	long err = vfs_sync();
	return err != 0 ? vfs_fail("sync", NULL, err) : 0;
}
