/* SPDX-License-Identifier: MIT */
/*
 * hexdump FILE...: each file's bytes, 16 a line: the offset (10 hex
 * digits), the bytes in hex, and the printable ones between bars, as the
 * console's `blk read` prints sectors (sys/vfs.h). Exit code 1 if any file
 * failed.
 */
#include "sys/stdio.h"
#include "sys/vfs.h"

#define ROW   16u
#define CHUNK 4096u

static void row(uint64_t off, const uint8_t *b, unsigned n)
{
	char text[ROW + 1];

	printf("%010llx ", (unsigned long long)off);
	for (unsigned i = 0; i < ROW; i++) {
		if (i < n)
			printf(" %02x", b[i]);
		else
			printf("   ");
		text[i] = i < n ? (b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.') : ' ';
	}
	text[ROW] = '\0';
	printf("  |%s|\n", text);
}

static int dump(const char *path)
{
	static uint8_t buf[CHUNK];
	uint64_t off = 0;
	long got;
	int fd = vfs_open(path, VFS_O_READ);

	if (fd < 0)
		return vfs_fail("hexdump", path, fd);
	while ((got = vfs_read(fd, buf, sizeof(buf))) > 0)
		for (long i = 0; i < got; i += ROW, off += ROW)
			row(off, buf + i, got - i < ROW ? (unsigned)(got - i) : ROW);
	vfs_close(fd);
	return got < 0 ? vfs_fail("hexdump", path, got) : 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 1) {
		dprintf(2, "usage: hexdump FILE...\n");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		status |= dump(argv[i]);
	return status;
}
