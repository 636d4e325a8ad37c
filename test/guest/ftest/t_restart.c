/* SPDX-License-Identifier: MIT */
/*
 * The restart suite: FT_CRASHES crashes of the FAT server (svc fi, a random
 * kind one to three requests later) while the test reads the host's
 * pattern in 64 KiB pieces and writes its own file a block at a time with
 * fsync after each. Every read must give the right bytes (the library
 * reopens by path and resends); an fsync that says E_RESTARTED gets its
 * block written and synced again; at the end the whole file is right and
 * the supervisor counted one restart per crash. Then FT_AHCI_CRASHES
 * crashes of the disk driver under fat, which fat must ride through.
 */
#include <string.h>

#include "ftest.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

#define FT_CRASHES	20
#define FT_AHCI_CRASHES 5
#define FT_PIECE	(64u << 10)
#define FT_BLOCK	4096u
#define FT_BACK_MS	10000
#define FT_STAMP(b, i)	((uint8_t)((b)*31 + (i)*3 + 7))

static uint8_t piece[FT_PIECE];

/* A read of one piece of the host's pattern, checked. */
static long read_piece(struct fs_client *c, int fd, uint32_t n)
{
	uint64_t off = (uint64_t)n * FT_PIECE % FT_PATTERN_BYTES, done;
	long err = fs_read(c, fd, off, piece, FT_PIECE, &done);

	if (err == E_OK && done != FT_PIECE)
		return E_PROTO;
	for (uint32_t i = 0; err == E_OK && i < FT_PIECE; i++)
		if (piece[i] != FT_PATTERN(off + i))
			return E_PROTO;
	return err;
}

/* Block b of the guest's file, written and synced (again if a restart may have lost it). */
static long write_block(struct fs_client *c, int fd, uint32_t b)
{
	static uint8_t blk[FT_BLOCK];
	uint64_t done;
	long err = E_RESTARTED;

	for (uint32_t i = 0; i < FT_BLOCK; i++)
		blk[i] = FT_STAMP(b, i);
	for (int tries = 0; tries < 4 && err == E_RESTARTED; tries++) {
		err = fs_write(c, fd, (uint64_t)b * FT_BLOCK, blk, FT_BLOCK, &done);
		if (err == E_OK)
			err = fs_fsync(c, fd);
	}
	return err;
}

long ft_wait_restart(handle_t ctl, const char *name, uint64_t old)
{
	struct svc_entry e;
	for (unsigned ms = 0; ms < FT_BACK_MS; ms += 5) {
		if (svc_status(ctl, name, &e) == E_OK && e.state == SVC_RUNNING && e.pid != old)
			return E_OK;
		sys_sleep(5 * MS);
	}
	return E_TIMEOUT;
}

TEST(restart, fat_restart_under_io,
     "20 crashes of fat, then 5 of ahci, during reads and synced writes")
{
	struct fs_client *c;
	struct svc_entry before, e, after;
	int rfd, wfd;
	uint32_t blocks = 0, n = 0;

	T_OK(ft_connect(&c));
	long ctl = ns_lookup_self("svc");
	T_OK(ctl);
	T_OK(svc_status((handle_t)ctl, "fat", &before));
	T_OK(fs_open(c, "/data/pattern.bin", 0, &rfd, NULL));
	T_OK(fs_open(c, "/guest restart.bin", FS_O_CREATE | FS_O_TRUNC, &wfd, NULL));
	T_OK(fs_fsync(c, wfd)); /* the file itself must survive the first crash */
	uint64_t reopened = c->reopened;
	for (int k = 0; k < FT_CRASHES; k++) {
		T_OK(svc_status((handle_t)ctl, "fat", &e));
		T_OK(svc_fault((handle_t)ctl, "fat", SVC_FAULT_CRASH, SVC_CRASH_RANDOM, 1 + k % 3));
		for (int i = 0; i < 4; i++) {
			T_OK(read_piece(c, rfd, n++));
			T_OK(write_block(c, wfd, blocks++));
		}
		T_OK(ft_wait_restart((handle_t)ctl, "fat", e.pid));
	}
	T_OK(svc_status((handle_t)ctl, "fat", &after));
	T_EQ(after.restarts, before.restarts + FT_CRASHES);
	T_ASSERT(c->reopened >= reopened + FT_CRASHES);
	/* The disk driver under fat crashes too: fat's block client resends and attaches again. */
	struct svc_entry ahci_before, ahci_after;
	T_OK(svc_status((handle_t)ctl, "ahci", &ahci_before));
	for (int k = 0; k < FT_AHCI_CRASHES; k++) {
		T_OK(svc_status((handle_t)ctl, "ahci", &e));
		T_OK(svc_fault((handle_t)ctl, "ahci", SVC_FAULT_CRASH, SVC_CRASH_RANDOM,
			       1 + k % 3));
		for (int i = 0; i < 4; i++) {
			T_OK(read_piece(c, rfd, n++));
			T_OK(write_block(c, wfd, blocks++));
		}
		T_OK(ft_wait_restart((handle_t)ctl, "ahci", e.pid));
	}
	T_OK(svc_status((handle_t)ctl, "ahci", &ahci_after));
	T_EQ(ahci_after.restarts, ahci_before.restarts + FT_AHCI_CRASHES);
	T_OK(svc_status((handle_t)ctl, "fat", &after));
	T_EQ(after.restarts, before.restarts + FT_CRASHES); /* fat rode through them */
	for (uint32_t b = 0; b < blocks; b++) {
		uint64_t done;
		T_OK(fs_read(c, wfd, (uint64_t)b * FT_BLOCK, piece, FT_BLOCK, &done));
		T_EQ(done, FT_BLOCK);
		for (uint32_t i = 0; i < FT_BLOCK; i++)
			T_EQ(piece[i], FT_STAMP(b, i));
	}
	T_OK(fs_close(c, rfd));
	T_OK(fs_close(c, wfd));
	T_OK(fs_sync(c));
	test_note("fat_restarts", FT_CRASHES, "crashes");
}
