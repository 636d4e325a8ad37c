/* SPDX-License-Identifier: MIT */
/*
 * touch [-d 'YYYY-MM-DD HH:MM:SS'] FILE...: make each file that does not
 * exist, empty, and set its modification time (sys/vfs.h, FS_SETTIME) to
 * now by the volume's clock, or to the -d time (local time as FAT keeps
 * it, seconds rounded down to even). A file that exists keeps its bytes.
 * Exit code 1 if any failed, 2 for bad usage.
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/vfs.h"

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD HH:MM:SS" (or with 'T') as a FAT stamp; false if it is not one FAT can hold. */
static bool parse_time(const char *s, uint64_t *stamp)
{
	if (strlen(s) != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
	    s[13] != ':' || s[16] != ':')
		return false;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
	if (y < 1980 || y > 2107 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || se < 0 || se > 59)
		return false;
	uint64_t date = (uint64_t)(y - 1980) << 9 | (uint64_t)mo << 5 | (uint64_t)d;
	*stamp = date << 16 | (uint64_t)h << 11 | (uint64_t)mi << 5 | (uint64_t)se / 2;
	return true;
}

static long touch(const char *path, uint64_t stamp)
{
	int fd = vfs_open(path, VFS_O_WRITE | VFS_O_CREATE);

	if (fd < 0 && fd != E_ISDIR) /* a directory has times too */
		return fd;
	if (fd >= 0)
		vfs_close(fd);
	return vfs_settime(path, stamp);
}

int main(int argc, char **argv)
{
	uint64_t stamp = FS_TIME_NOW;
	int status = 0, first = 0;

	if (argc >= 2 && strcmp(argv[0], "-d") == 0) {
		if (!parse_time(argv[1], &stamp)) {
			dprintf(2, "touch: %s: not a time as YYYY-MM-DD HH:MM:SS\n", argv[1]);
			return 2;
		}
		first = 2;
	}
	if (argc <= first) {
		dprintf(2, "usage: touch [-d 'YYYY-MM-DD HH:MM:SS'] FILE...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		long err = touch(argv[i], stamp);
		if (err != E_OK)
			status = vfs_fail("touch", argv[i], err);
	}
	return status;
}
