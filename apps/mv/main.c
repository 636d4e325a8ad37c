/* SPDX-License-Identifier: MIT */
/*
 * mv SRC DST, mv SRC... DIR: rename files and directories (sys/vfs.h); a
 * destination that is a directory gets the source's name. Between two
 * volumes (E_XDEV) a file is copied, synced and then removed; a directory
 * is refused. Exit code 1 if any move failed.
 */
#include "sys/errors.h"
#include "sys/vfs.h"

#define CHUNK (64u * 1024)

static char buf[CHUNK];

static long move(const char *from, const char *to)
{
	long err = vfs_rename(from, to);

	if (err != E_XDEV)
		return err;
	err = vfs_copy_file(from, to, buf, sizeof(buf));
	return err == E_OK ? vfs_unlink(from) : err;
}

int main(int argc, char **argv)
{
	return vfs_each_target("mv", argc, argv, move);
}
