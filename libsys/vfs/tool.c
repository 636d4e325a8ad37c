/* SPDX-License-Identifier: MIT */
/*
 * What the file tools share (sys/vfs.h): the error line ("cat: /nope: no
 * such file or directory" on descriptor 2) with the tool's exit code, and
 * the loop of cp and mv over their sources.
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

int vfs_fail(const char *tool, const char *path, long err)
{
	if (path)
		dprintf(2, "%s: %s: %s\n", tool, path, vfs_strerror(err));
	else
		dprintf(2, "%s: %s\n", tool, vfs_strerror(err));
	return 1;
}

int vfs_each_target(const char *tool, int argc, char **argv,
		    long (*act)(const char *, const char *))
{
	static char to[VFS_PATH_MAX];
	int status = 0;

	if (argc < 2) {
		dprintf(2, "usage: %s SRC DST | %s SRC... DIR\n", tool, tool);
		return 2;
	}
	for (int i = 0; i < argc - 1; i++) {
		long err = vfs_target(argv[i], argv[argc - 1], to, sizeof(to));
		if (err == E_OK)
			err = act(argv[i], to);
		if (err != E_OK)
			status = vfs_fail(tool, argv[i], err);
	}
	return status;
}
