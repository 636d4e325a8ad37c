/* SPDX-License-Identifier: MIT */
/*
 * ls [-l] [-a] [PATH...]: the entries of each directory (or the file
 * itself), through the path library (sys/vfs.h). Without -a, names that
 * start with '.' and entries with the hidden attribute are left out; -l
 * adds the size (or <dir>) and the time of the last change. A directory
 * name ends in '/'. Several paths get a "PATH:" line each. Exit code 1 if
 * any path failed (its error on descriptor 2).
 */
#include <string.h>

#include "sys/stdio.h"
#include "sys/vfs.h"

#define FAT_YEAR_BASE 1980
#define ATTR_HIDDEN   0x02u

static bool long_form, all;

static void print_entry(const char *name, const struct fs_stat *st)
{
	bool dir = st->attr & FS_STAT_DIR;

	if (long_form) {
		uint32_t date = (uint32_t)(st->modified >> 16),
			 time = (uint32_t)(st->modified & 0xFFFF);
		if (dir)
			printf("%10s  ", "<dir>");
		else
			printf("%10llu  ", (unsigned long long)st->size);
		printf("%04u-%02u-%02u %02u:%02u  ", FAT_YEAR_BASE + (date >> 9), (date >> 5) & 15,
		       date & 31, time >> 11, (time >> 5) & 63);
	}
	printf("%s%s\n", name, dir ? "/" : "");
}

static bool shown(const struct vfs_dirent *e)
{
	return all || (e->name[0] != '.' && !(e->st.attr & ATTR_HIDDEN));
}

static int list(const char *path)
{
	static struct vfs_dirent e;
	struct fs_stat st;
	long err = vfs_stat(path, &st);

	if (err != 0)
		return vfs_fail("ls", path, err);
	if (!(st.attr & FS_STAT_DIR)) {
		print_entry(path, &st);
		return 0;
	}
	int fd = vfs_opendir(path);
	if (fd < 0)
		return vfs_fail("ls", path, fd);
	while ((err = vfs_readdir(fd, &e)) == 1)
		if (shown(&e))
			print_entry(e.name, &e.st);
	vfs_close(fd);
	return err < 0 ? vfs_fail("ls", path, err) : 0;
}

/* Flags like -l, -a, -la; the index of the first path. */
static int options(int argc, char **argv)
{
	int i = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *p = argv[i] + 1; *p; p++) {
			if (*p == 'l')
				long_form = true;
			else if (*p == 'a')
				all = true;
			else {
				dprintf(2,
					"ls: unknown option -%c\nusage: ls [-l] [-a] [PATH...]\n",
					*p);
				return -1;
			}
		}
	return i;
}

int main(int argc, char **argv)
{
	int first = options(argc, argv), status = 0;

	if (first < 0)
		return 2;
	if (first == argc)
		return list(".");
	for (int i = first; i < argc; i++) {
		if (argc - first > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
