/* SPDX-License-Identifier: MIT */
/*
 * cat [FILE...]: each file's bytes to descriptor 1, in order; without a
 * file (or for "-"), descriptor 0 to its end. Exit code 1 if any file
 * failed (its error on descriptor 2; the others are still printed).
 */
#include <string.h>

#include "sys/stdio.h"
#include "sys/vfs.h"

#define CHUNK 4096u

static char buf[CHUNK];

static int from_stdin(void)
{
	long got;

	while ((got = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		write(STDOUT_FILENO, buf, (unsigned long)got);
	return got < 0 ? vfs_fail("cat", "stdin", got) : 0;
}

static int print_file(const char *path)
{
	int fd = vfs_open(path, VFS_O_READ);
	long got;

	if (fd < 0)
		return vfs_fail("cat", path, fd);
	while ((got = vfs_read(fd, buf, sizeof(buf))) > 0)
		write(STDOUT_FILENO, buf, (unsigned long)got);
	vfs_close(fd);
	return got < 0 ? vfs_fail("cat", path, got) : 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc == 0)
		return from_stdin();
	for (int i = 0; i < argc; i++)
		status |= strcmp(argv[i], "-") ? print_file(argv[i]) : from_stdin();
	return status;
}
