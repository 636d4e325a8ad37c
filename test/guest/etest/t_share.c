/* SPDX-License-Identifier: MIT */
/*
 * etest's suites over the share volume (servers/ext2/mkshare.py made it).
 * share: the label and type, the root's and many/'s listings, symlinks
 * (stat shows one, open follows it), E_ROFS for each change, and lines
 * "ETEST FILE <path> <size> <fnv1a-64>" that test_ext2.py compares with
 * what debugfs reads out of the same image. restart: the 20 MiB pattern
 * read in 256 KiB pieces while the server is crashed ET_CRASHES times; every
 * byte is checked against the pattern and the supervisor counts the restarts.
 */
#include <string.h>

#include "proto/fs.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/svc.h"
#include "test/test.h"

#define ET_BUF	      (256u << 10)
#define ET_BUF_VA     0x0000520000000000ull
#define ET_BIG	      "/big/pattern.bin"
#define ET_BIG_BYTES  (20u << 20)
#define ET_MANY	      520
#define ET_CRASHES    6
#define ET_PIECES     (ET_BIG_BYTES / ET_BUF)
#define ET_CRASH_STEP (ET_PIECES / (ET_CRASHES + 1))

static struct fs_client client;
static uint8_t piece[ET_BUF];

/* Byte `off` of big/pattern.bin: 4 KiB blocks stamped with their number (mkshare.py). */
static uint8_t pattern(uint64_t off)
{
	uint32_t i = (uint32_t)(off / 4096), j = (uint32_t)(off % 4096);
	return j == 0	? (uint8_t)i
	       : j == 1 ? (uint8_t)(i >> 8)
			: (uint8_t)((i % 256) * 131 + j * 7 + (j >> 8));
}

/* ahci and ext2 started, fs1 found and a buffer attached. */
static long connect(struct fs_client **out)
{
	*out = &client;
	if (client.ep)
		return E_OK;
	long ctl = ns_lookup_self("svc");
	long err = ctl < 0 ? ctl : test_svc_start((handle_t)ctl, "ahci");
	err = err < 0 ? err : test_svc_start((handle_t)ctl, "ext2");
	long ep = err < 0 ? err : ns_lookup_self("fs1");
	long m = ep < 0 ? ep : sys_mobj_create(ET_BUF, 0);
	if (m < 0)
		return m;
	err = sys_mobj_map(HANDLE_SELF, (handle_t)m, ET_BUF_VA, 0, ET_BUF, R_READ | R_WRITE);
	if (err < 0)
		return err;
	client = (struct fs_client){.ep = (handle_t)ep,
				    .buffer = (handle_t)m,
				    .data = (uint8_t *)ET_BUF_VA,
				    .timeout = 20000 * MS,
				    .attempts = 8};
	return fs_attach(&client);
}

TEST(share, statfs, "FS_STATFS: ext2, 1 KiB blocks, label share")
{
	struct fs_client *c;
	struct fs_statfs s;
	char label[12];

	T_OK(connect(&c));
	T_OK(fs_statfs(c, &s, label));
	T_EQ(s.type, FS_TYPE_EXT2);
	T_EQ(s.block_size, 1024);
	T_ASSERT(s.blocks > ET_BIG_BYTES / 1024 && s.free_blocks < s.blocks);
	T_ASSERT(strcmp(label, "share") == 0);
}

/* Entries of a directory: how many, and whether `want` (with attr bits `bits`) was one. */
static long list(struct fs_client *c, const char *dir, const char *want, uint64_t bits,
		 unsigned *count, bool *found)
{
	static char name[FS_NAME_BYTES];
	struct fs_stat st;
	uint64_t cookie = 0;
	int fd;
	long err = fs_open(c, dir, FS_O_DIR, &fd, NULL);

	*count = 0;
	*found = false;
	while (err == E_OK && (err = fs_readdir(c, fd, &cookie, &st, name)) == E_OK) {
		++*count;
		*found |= !strcmp(name, want) && (st.attr & bits) == bits;
	}
	fs_close(c, fd);
	return err == E_NOENT ? E_OK : err;
}

TEST(share, listing, "the root's names and many/'s 520 entries")
{
	static const char *const root[] = {"README.md", "docs", "big", "many", "licences"};
	struct fs_client *c;
	unsigned n;
	bool found;

	T_OK(connect(&c));
	for (unsigned i = 0; i < sizeof(root) / sizeof(root[0]); i++) {
		T_OK(list(c, "/", root[i], 0, &n, &found));
		T_ASSERT(found);
	}
	T_OK(list(c, "/", "readme", FS_STAT_LINK, &n, &found));
	T_ASSERT(found);
	T_OK(list(c, "/", "docs", FS_STAT_DIR, &n, &found));
	T_ASSERT(found);
	T_OK(list(c, "/many", "file-0519.txt", 0, &n, &found));
	T_ASSERT(found);
	T_EQ(n, ET_MANY);
}

TEST(share, symlinks, "stat shows a symlink; open follows fast, slow and directory links")
{
	struct fs_client *c;
	struct fs_stat link, readme, st;
	int fd;

	T_OK(connect(&c));
	T_OK(fs_stat(c, "/readme", &link));
	T_ASSERT(link.attr & FS_STAT_LINK);
	T_EQ(link.size, strlen("README.md"));
	T_OK(fs_stat(c, "/README.md", &readme));
	T_OK(fs_open(c, "/readme", 0, &fd, &st));
	T_EQ(st.size, readme.size);
	T_OK(fs_close(c, fd));
	T_OK(fs_open(c, "/documentation/ARCHITECTURE.md", 0, &fd, &st));
	T_OK(fs_close(c, fd));
	T_OK(fs_open(c, "/big/deep-link", 0, &fd, &link));
	T_EQ(link.size, st.size);
	T_OK(fs_close(c, fd));
	T_EQ(fs_stat(c, "/nowhere", &st), E_NOENT);
	T_EQ(fs_open(c, "/README.md/x", 0, &fd, &st), E_NOTDIR);
}

TEST(share, read_only, "every change is E_ROFS and leaves the volume as it was")
{
	struct fs_client *c;
	struct fs_stat st;
	uint64_t done;
	int fd;

	T_OK(connect(&c));
	T_EQ(fs_open(c, "/new.txt", FS_O_CREATE, &fd, &st), E_ROFS);
	T_EQ(fs_open(c, "/README.md", FS_O_TRUNC, &fd, &st), E_ROFS);
	T_EQ(fs_mkdir(c, "/newdir"), E_ROFS);
	T_EQ(fs_unlink(c, "/README.md"), E_ROFS);
	T_EQ(fs_rmdir(c, "/docs"), E_ROFS);
	T_EQ(fs_rename(c, "/README.md", "/X.md"), E_ROFS);
	T_OK(fs_open(c, "/README.md", 0, &fd, &st));
	T_EQ(fs_write(c, fd, 0, "x", 1, &done), E_ROFS);
	T_EQ(fs_truncate(c, fd, 0), E_ROFS);
	T_OK(fs_fsync(c, fd));
	T_OK(fs_close(c, fd));
	T_OK(fs_stat(c, "/README.md", &st));
	T_ASSERT(st.size > 0);
	T_EQ(fs_stat(c, "/new.txt", &st), E_NOENT);
}

/* A file's size and FNV-1a 64 hash, read in ET_BUF pieces. */
static long hash_file(struct fs_client *c, const char *path, uint64_t *size, uint64_t *hash)
{
	struct fs_stat st;
	uint64_t h = 0xcbf29ce484222325ull, done = 0;
	int fd;
	long err = fs_open(c, path, 0, &fd, &st);

	for (uint64_t off = 0; err == E_OK && off < st.size; off += done) {
		err = fs_read(c, fd, off, piece, ET_BUF, &done);
		if (err == E_OK && done == 0)
			err = E_PROTO;
		for (uint64_t i = 0; err == E_OK && i < done; i++)
			h = (h ^ piece[i]) * 0x100000001b3ull;
	}
	if (err == E_OK)
		fs_close(c, fd);
	*size = st.size;
	*hash = h;
	return err;
}

TEST(share, checksums, "files' sizes and FNV-1a hashes for the host to compare")
{
	static const char *const files[] = {"/README.md",     "/docs/ARCHITECTURE.md", "/readme",
					    "/big/deep-link", "/many/file-0519.txt",   ET_BIG};
	struct fs_client *c;
	uint64_t size, hash;

	T_OK(connect(&c));
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		T_OK(hash_file(c, files[i], &size, &hash));
		printf("ETEST FILE %s %llu %016llx\n", files[i], (unsigned long long)size,
		       (unsigned long long)hash);
	}
}

/* One piece of the pattern, checked byte for byte. */
static long read_piece(struct fs_client *c, int fd, uint32_t n)
{
	uint64_t off = (uint64_t)n * ET_BUF, done;
	long err = fs_read(c, fd, off, piece, ET_BUF, &done);

	if (err == E_OK && done != ET_BUF)
		return E_PROTO;
	for (uint32_t i = 0; err == E_OK && i < ET_BUF; i++)
		if (piece[i] != pattern(off + i))
			return E_PROTO;
	return err;
}

TEST(restart, crash_mid_read,
     "6 crashes of ext2 while the 20 MiB pattern is read, every byte right")
{
	struct fs_client *c;
	struct svc_entry before, e, after;
	unsigned crashes = 0;
	int fd;

	T_OK(connect(&c));
	long ctl = ns_lookup_self("svc");
	T_OK(ctl);
	T_OK(svc_status((handle_t)ctl, "ext2", &before));
	T_OK(fs_open(c, ET_BIG, 0, &fd, NULL));
	uint64_t reopened = c->reopened;
	for (uint32_t n = 0; n < ET_PIECES; n++) {
		if (n % ET_CRASH_STEP == ET_CRASH_STEP / 2 && crashes < ET_CRASHES) {
			T_OK(svc_status((handle_t)ctl, "ext2", &e));
			T_OK(svc_fault((handle_t)ctl, "ext2", SVC_FAULT_CRASH, SVC_CRASH_RANDOM,
				       1 + crashes % 3));
			crashes++;
		}
		T_OK(read_piece(c, fd, n));
		if (n % ET_CRASH_STEP == ET_CRASH_STEP / 2 + 3)
			T_OK(test_svc_wait_restart((handle_t)ctl, "ext2", e.pid));
	}
	T_OK(fs_close(c, fd));
	T_OK(svc_status((handle_t)ctl, "ext2", &after));
	T_EQ(after.restarts, before.restarts + ET_CRASHES);
	T_ASSERT(c->reopened >= reopened + ET_CRASHES);
	test_note("ext2_restarts", ET_CRASHES, "crashes");
}
