/* SPDX-License-Identifier: MIT */
/*
 * cp SRC DST, cp SRC... DIR: copy files (within a volume or between two,
 * sys/vfs.h); a destination that is a directory gets the source's name.
 * The copy is synced before cp exits. Exit code 1 if any copy failed.
 */
#include "sys/vfs.h"

#define CHUNK (64u * 1024)

static char buf[CHUNK];

static long copy(const char *from, const char *to)
{
	return vfs_copy_file(from, to, buf, sizeof(buf));
}

int main(int argc, char **argv)
{
	return vfs_each_target("cp", argc, argv, copy);
}
