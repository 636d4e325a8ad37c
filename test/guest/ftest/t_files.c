/* SPDX-License-Identifier: MIT */
/*
 * The read and write suites. read: the host's files (README.TXT, a
 * Japanese name, a deep path, a 1 MiB pattern) come back byte for byte and
 * the root's listing has the host's names. write: the guest makes files
 * and directories that test_fat.py then checks with mtools and fsck.fat.
 */
#include <string.h>

#include "ftest.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/svc.h"
#include "test/test.h"

static struct fs_client client;
static uint8_t big[FT_PATTERN_BYTES];

long ft_client(struct fs_client *c, uint64_t va, uint64_t bytes, uint32_t mobj_flags)
{
	long ctl = ns_lookup_self("svc");
	long err = ctl < 0 ? ctl : test_svc_start((handle_t)ctl, "ahci");
	err = err < 0 ? err : test_svc_start((handle_t)ctl, "fat");
	long ep = err < 0 ? err : ns_lookup_self("fs0");
	long m = ep < 0 ? ep : sys_mobj_create(bytes, mobj_flags);
	if (m < 0)
		return m;
	err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, bytes, R_READ | R_WRITE);
	if (err < 0)
		return err;
	*c = (struct fs_client){.ep = (handle_t)ep,
				.buffer = (handle_t)m,
				.data = (uint8_t *)va,
				.timeout = 20000 * MS,
				.attempts = 8};
	return fs_attach(c);
}

long ft_connect(struct fs_client **out)
{
	*out = &client;
	return client.ep ? E_OK : ft_client(&client, FT_BUF_VA, FT_BUF, 0);
}

long ft_read_all(struct fs_client *c, const char *path, uint8_t *buf, uint64_t max, uint64_t *len)
{
	struct fs_stat st;
	int fd;
	long err = fs_open(c, path, 0, &fd, &st);

	if (err < 0)
		return err;
	err = st.size > max ? E_RANGE : fs_read(c, fd, 0, buf, st.size, len);
	if (err == E_OK && *len != st.size)
		err = E_PROTO;
	fs_close(c, fd);
	return err;
}

static bool same_file(struct fs_client *c, const char *path, const char *want)
{
	static uint8_t buf[4096];
	uint64_t len;
	return ft_read_all(c, path, buf, sizeof(buf), &len) == E_OK && len == strlen(want) &&
	       memcmp(buf, want, len) == 0;
}

TEST(read, read_small, "the host's small files, by long, Japanese and deep names")
{
	struct fs_client *c;

	T_OK(ft_connect(&c));
	T_ASSERT(same_file(c, "/README.TXT", "Hello from the host.\n"));
	T_ASSERT(same_file(c, "/readme.txt", "Hello from the host.\n")); /* any case */
	T_ASSERT(same_file(c, "/日本語のファイル.txt", "こんにちは、世界\n"));
	T_ASSERT(same_file(c, "/a/b/c/d/A file at the bottom.txt", "deep\n"));
	struct fs_stat st;
	T_OK(fs_stat(c, "/a/b", &st));
	T_ASSERT(st.attr & FS_STAT_DIR);
	T_EQ(fs_stat(c, "/nope", &st), E_NOENT);
	T_EQ(fs_stat(c, "/README.TXT/x", &st), E_NOTDIR);
}

TEST(read, read_pattern, "1 MiB of the host's pattern, in pieces and whole")
{
	struct fs_client *c;
	uint64_t len;
	int fd;

	T_OK(ft_connect(&c));
	T_OK(ft_read_all(c, "/data/pattern.bin", big, sizeof(big), &len));
	T_EQ(len, FT_PATTERN_BYTES);
	for (uint32_t i = 0; i < FT_PATTERN_BYTES; i++)
		if (big[i] != FT_PATTERN(i))
			T_FAIL("byte %u is %u, want %u", i, big[i], FT_PATTERN(i));
	T_OK(fs_open(c, "/data/pattern.bin", 0, &fd, NULL));
	uint8_t piece[777];
	T_OK(fs_read(c, fd, 123457, piece, sizeof(piece), &len));
	T_EQ(len, sizeof(piece));
	for (uint32_t i = 0; i < sizeof(piece); i++)
		T_EQ(piece[i], FT_PATTERN(123457 + i));
	T_OK(fs_close(c, fd));
}

TEST(read, read_listing, "the root lists the host's names")
{
	struct fs_client *c;
	struct fs_stat st;
	char name[FS_NAME_BYTES];
	uint64_t cookie = 0;
	unsigned seen = 0, n = 0;
	int fd;

	T_OK(ft_connect(&c));
	T_OK(fs_open(c, "/", FS_O_DIR, &fd, NULL));
	while (fs_readdir(c, fd, &cookie, &st, name) == E_OK && n++ < 100) {
		seen |= !strcmp(name, "README.TXT") ? 1 : 0;
		seen |= !strcmp(name, "日本語のファイル.txt") ? 2 : 0;
		seen |= !strcmp(name, "data") && (st.attr & FS_STAT_DIR) ? 4 : 0;
		seen |= !strcmp(name, "a") ? 8 : 0;
	}
	T_OK(fs_close(c, fd));
	T_EQ(seen, 15);
}

static long write_text(struct fs_client *c, const char *path, const char *text)
{
	uint64_t done;
	int fd;
	long err = fs_open(c, path, FS_O_CREATE | FS_O_TRUNC, &fd, NULL);

	if (err < 0)
		return err;
	err = fs_write(c, fd, 0, text, strlen(text), &done);
	fs_close(c, fd);
	return err;
}

TEST(write, write_names, "directories and files with long and Japanese names")
{
	struct fs_client *c;

	T_OK(ft_connect(&c));
	T_OK(fs_mkdir(c, "/guest"));
	T_EQ(fs_mkdir(c, "/guest"), E_EXISTS);
	T_OK(fs_mkdir(c, "/guest/サブフォルダ"));
	T_OK(write_text(c, "/guest/A long name written by the guest.txt", "from the guest\n"));
	T_OK(write_text(c, "/guest/サブフォルダ/ゲストのファイル.txt", "日本語の中身\n"));
	T_OK(write_text(c, "/guest/to be renamed.txt", "renamed\n"));
	T_OK(fs_rename(c, "/guest/to be renamed.txt", "/guest/サブフォルダ/renamed across.txt"));
	T_OK(write_text(c, "/guest/deleted.txt", "gone\n"));
	T_OK(fs_unlink(c, "/guest/deleted.txt"));
	T_OK(fs_mkdir(c, "/guest/empty dir"));
	T_OK(fs_rmdir(c, "/guest/empty dir"));
	T_EQ(fs_rmdir(c, "/guest"), E_NOTEMPTY);
	T_ASSERT(same_file(c, "/GUEST/a long name written by the guest.txt", "from the guest\n"));
}

TEST(write, write_pattern, "a 700 KiB file in odd pieces, appended to, cut, synced")
{
	struct fs_client *c;
	struct fs_stat st;
	uint64_t done, off = 0, len;
	int fd;

	T_OK(ft_connect(&c));
	for (uint32_t i = 0; i < 700 * 1024; i++)
		big[i] = FT_GUEST(i);
	T_OK(fs_open(c, "/guest/pattern.bin", FS_O_CREATE | FS_O_EXCL, &fd, NULL));
	for (uint64_t step = 1000; off < 700 * 1024; step = step * 3 % 300000 + 1) {
		uint64_t n = 700 * 1024 - off < step ? 700 * 1024 - off : step;
		T_OK(fs_write(c, fd, off, big + off, n, &done));
		T_EQ(done, n);
		off += n;
	}
	T_OK(fs_write(c, fd, 700 * 1024, "tail", 4, &done)); /* append */
	T_OK(fs_fsync(c, fd));
	T_OK(fs_fstat(c, fd, &st));
	T_EQ(st.size, 700 * 1024 + 4);
	T_OK(fs_close(c, fd));
	T_OK(write_text(c, "/guest/cut.txt", "0123456789"));
	T_OK(fs_open(c, "/guest/cut.txt", 0, &fd, NULL));
	T_OK(fs_truncate(c, fd, 4));
	T_OK(fs_close(c, fd));
	T_OK(ft_read_all(c, "/guest/pattern.bin", big, sizeof(big), &len));
	T_EQ(len, 700 * 1024 + 4);
	for (uint32_t i = 0; i < 700 * 1024; i++)
		if (big[i] != FT_GUEST(i))
			T_FAIL("byte %u is %u, want %u", i, big[i], FT_GUEST(i));
	T_OK(fs_sync(c));
	struct fs_statfs sf;
	char label[12];
	T_OK(fs_statfs(c, &sf, label));
	T_EQ(sf.type, 32);
	test_note("fat_free_clusters", sf.free_blocks, "clusters");
}
