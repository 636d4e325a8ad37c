/* SPDX-License-Identifier: MIT */
/*
 * The error line of the file tools (sys/vfs.h): "cat: /nope: no such file
 * or directory" on descriptor 2, and the tool's exit code.
 */
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
