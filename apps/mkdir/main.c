/* SPDX-License-Identifier: MIT */
/*
 * mkdir [-p] DIR...: make directories (sys/vfs.h); with -p, the missing
 * directories above each one too, and one that exists is no error. Exit
 * code 1 if any failed.
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

/* Every directory on the way to path, then path. */
static long make_parents(const char *path)
{
	static char abs[VFS_PATH_MAX];
	long err = vfs_abspath(path, abs, sizeof(abs));

	for (char *p = abs + 1; err == E_OK && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		err = vfs_mkdir(abs);
		*p = '/';
		err = err == E_EXISTS ? E_OK : err;
	}
	if (err == E_OK)
		err = vfs_mkdir(abs);
	return err == E_EXISTS ? E_OK : err;
}

int main(int argc, char **argv)
{
	bool parents = argc > 0 && !strcmp(argv[0], "-p");
	int status = 0;

	if (argc < 1 + parents) {
		dprintf(2, "usage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (int i = parents; i < argc; i++) {
		long err = parents ? make_parents(argv[i]) : vfs_mkdir(argv[i]);
		if (err != E_OK)
			status = vfs_fail("mkdir", argv[i], err);
	}
	return status;
}
