/* SPDX-License-Identifier: MIT */
/*
 * ls, cat and df: the files of the first filesystem (fs0, servers/fat),
 * through the fs protocol (proto/fs.h) like any other client. The console
 * keeps one fs_client, made on first use: its endpoint and a 64 KiB buffer
 * the server reads file data into (never through IPC). Until the shell is
 * a program on the disk (issue 14) these are the console's own commands.
 *
 *   ls [PATH]   a directory's entries: size (or <dir>), date, time, name
 *   cat PATH    a file's bytes, as they are
 *   df          the volume: type, cluster size, size and free space
 *
 * cmd_fs_load reads a file into a memory object of its own, for `run
 * /bin/NAME`: programs started from the disk through the loader's exec
 * sessions (cmd_run.c).
 */
#include "commands.h"
#include "proto/fs.h"
#include "proto/loader.h"
#include "proto/ns.h"
#include "sys/sys.h"
#include "sys/units.h"

#define FS_VA	       0x0000620000000000ull
#define IMAGE_VA       0x0000630000000000ull /* where a program's file is read into */
#define PAGE	       4096u
#define FS_BYTES       (64u * 1024)
#define FS_TIMEOUT     (3000 * MS)
#define FS_ENDPOINT    "fs0"
#define CAT_CHUNK      4096u
#define FAT_YEAR_BASE  1980
#define KIB	       1024u
#define LS_MAX_ENTRIES 4096 /* a directory longer than this is cut, with a line saying so */

static struct fs_client fsc;

/* The console's client of fs0, connected on first use. */
static long client(struct fs_client **out)
{
	*out = &fsc;
	return fs_connect(&fsc, FS_ENDPOINT, FS_VA, FS_BYTES, FS_TIMEOUT);
}

/* "2026-12-01 23:59" from a FAT date << 16 | time. */
static void print_stamp(struct shell *sh, uint64_t stamp)
{
	uint32_t date = (uint32_t)(stamp >> 16), time = (uint32_t)(stamp & 0xFFFF);

	shell_printf(sh, "%04u-%02u-%02u %02u:%02u", FAT_YEAR_BASE + (date >> 9), (date >> 5) & 15,
		     date & 31, time >> 11, (time >> 5) & 63);
}

static int fail(struct shell *sh, const char *cmd, const char *path, long err)
{
	shell_printf(sh, "%s: %s: %s\n", cmd, path, sys_error_name(err));
	return (int)err;
}

int cmd_ls(struct shell *sh, int argc, char **argv)
{
	static char name[FS_NAME_BYTES];
	const char *path = argc > 1 ? argv[1] : "/";
	struct fs_client *c;
	struct fs_stat st;
	uint64_t cookie = 0;
	int fd, n = 0;

	if (argc > 2) {
		shell_printf(sh, "usage: ls [PATH]\n");
		return E_INVAL;
	}
	long err = client(&c);
	if (err == E_OK)
		err = fs_open(c, path, FS_O_DIR, &fd, &st);
	if (err != E_OK)
		return fail(sh, "ls", path, err);
	while (n < LS_MAX_ENTRIES && (err = fs_readdir(c, fd, &cookie, &st, name)) == E_OK) {
		if (st.attr & FS_STAT_DIR)
			shell_printf(sh, "%10s  ", "<dir>");
		else
			shell_printf(sh, "%10llu  ", (unsigned long long)st.size);
		print_stamp(sh, st.modified);
		shell_printf(sh, "  %s%s\n", name, st.attr & FS_STAT_DIR ? "/" : "");
		n++;
	}
	fs_close(c, fd);
	if (n == LS_MAX_ENTRIES)
		shell_printf(sh, "ls: %s: more than %d entries; the rest are not listed\n", path,
			     n);
	else if (err != E_NOENT) /* E_NOENT: past the last entry */
		return fail(sh, "ls", path, err);
	return E_OK;
}

int cmd_cat(struct shell *sh, int argc, char **argv)
{
	static char chunk[CAT_CHUNK];
	struct fs_client *c;
	struct fs_stat st;
	uint64_t off = 0, done;
	int fd;

	if (argc != 2) {
		shell_printf(sh, "usage: cat PATH\n");
		return E_INVAL;
	}
	long err = client(&c);
	if (err == E_OK)
		err = fs_open(c, argv[1], 0, &fd, &st);
	if (err != E_OK)
		return fail(sh, "cat", argv[1], err);
	if (st.attr & FS_STAT_DIR) {
		fs_close(c, fd);
		return fail(sh, "cat", argv[1], E_ISDIR);
	}
	while ((err = fs_read(c, fd, off, chunk, sizeof(chunk), &done)) == E_OK && done > 0) {
		shell_write(sh, chunk, done);
		off += done;
	}
	fs_close(c, fd);
	return err == E_OK ? E_OK : fail(sh, "cat", argv[1], err);
}

int cmd_df(struct shell *sh, int argc, char **argv)
{
	struct fs_client *c;
	struct fs_statfs s;
	char label[12];

	if (argc != 1) {
		shell_printf(sh, "usage: %s (no arguments)\n", argv[0]);
		return E_INVAL;
	}
	long err = client(&c);
	if (err == E_OK)
		err = fs_statfs(c, &s, label);
	if (err != E_OK)
		return fail(sh, "df", FS_ENDPOINT, err);
	shell_printf(sh, "%s: FAT%llu \"%s\", %llu-byte clusters, %llu KiB, %llu KiB free\n",
		     FS_ENDPOINT, (unsigned long long)s.type, label,
		     (unsigned long long)s.block_size,
		     (unsigned long long)(s.blocks * s.block_size / KIB),
		     (unsigned long long)(s.free_blocks * s.block_size / KIB));
	return E_OK;
}

long cmd_fs_load(const char *path, handle_t *image, uint64_t *size)
{
	struct fs_client *c;
	struct fs_stat st;
	uint64_t done = 0;
	int fd;

	long err = client(&c);
	if (err == E_OK)
		err = fs_open(c, path, 0, &fd, &st);
	if (err != E_OK)
		return err;
	if ((st.attr & FS_STAT_DIR) || st.size == 0 || st.size > LOADER_MAX_IMAGE) {
		fs_close(c, fd);
		return st.attr & FS_STAT_DIR ? E_ISDIR : E_RANGE;
	}
	uint64_t bytes = (st.size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	long m = sys_mobj_create(bytes, 0);
	err = m < 0 ? m
		    : sys_mobj_map(HANDLE_SELF, (handle_t)m, IMAGE_VA, 0, bytes, R_READ | R_WRITE);
	if (err == E_OK) {
		err = fs_read(c, fd, 0, (void *)IMAGE_VA, st.size, &done);
		sys_unmap(HANDLE_SELF, IMAGE_VA, bytes);
		if (err == E_OK && done != st.size)
			err = E_IO; /* the file shrank under us */
	}
	fs_close(c, fd);
	if (err != E_OK) {
		if (m >= 0)
			sys_handle_close((handle_t)m);
		return err;
	}
	*image = (handle_t)m;
	*size = st.size;
	return E_OK;
}
