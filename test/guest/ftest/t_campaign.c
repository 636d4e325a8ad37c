/* SPDX-License-Identifier: MIT */
/*
 * The kill campaign: the FAT server is crashed (svc fi, a random kind one to
 * three requests later) again and again while a workload creates, writes
 * and fsyncs, renames and deletes files in /camp, then the disk driver under
 * it likewise. Each step k of the workload:
 *
 *   create /camp/f<k>.bin, write CAMP_BYTES(k) of stamp k;
 *   rename /camp/f<k-1>.bin to "/camp/long name <k-1>.txt";
 *   unlink "/camp/long name <k-3>.txt" unless k-3 is a multiple of 3;
 *
 * each followed by a sync, and both sent again until done when a crash cut
 * them short or a restart came between them (fs_sync itself says so with
 * E_RESTARTED: the client library compares the server's FS_INSTANCE before
 * the change and after the sync) (a create that finds its file, a rename
 * that finds its target, an unlink that finds nothing are done; one a crash
 * undid is redone). After every crash, once the
 * new instance runs, every file that was fsync'ed and still exists must read back whole. At the end
 * the volume is synced; test_fat_campaign.py simulates the same steps and
 * checks with mtools and fsck.fat that exactly those files are there.
 * Suites: campaign_full (100 crashes of fat and 20 of ahci: the issue's
 * campaign, in ./run test) and campaign (30 and 6, FAT_CAMPAIGN=quick).
 */
#include <string.h>

#include "ftest.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/svc.h"
#include "test/test.h"

#define CAMP_STEPS_PER_KILL 2
#define CAMP_BYTES(k)	    (6000u + 37u * (k))
#define CAMP_STAMP(k, i)    ((uint8_t)((k)*29 + (i)*11 + ((i) >> 8) + 5))
#define CAMP_TRIES	    8

static uint8_t camp_buf[CAMP_BYTES(1000)];

static void camp_short(char *p, unsigned k)
{
	snprintf(p, FS_PATH_MAX, "/camp/f%u.bin", k);
}

static void camp_long(char *p, unsigned k)
{
	snprintf(p, FS_PATH_MAX, "/camp/long name %u.txt", k);
}

/* Whether err means the operation should be sent again (the server went away under it). */
static bool again(long err)
{
	return err == E_RESTARTED || err == E_TIMEOUT || err == E_CLOSED || err == E_IO;
}

/* Create f<k>.bin (or find it: the op is being sent again) and write it whole. */
static long camp_create(struct fs_client *c, unsigned k)
{
	char p[FS_PATH_MAX];
	uint64_t done;
	int fd;

	camp_short(p, k);
	for (uint32_t i = 0; i < CAMP_BYTES(k); i++)
		camp_buf[i] = CAMP_STAMP(k, i);
	long err = fs_open(c, p, FS_O_CREATE, &fd, NULL);
	if (err < 0)
		return err;
	err = fs_write(c, fd, 0, camp_buf, CAMP_BYTES(k), &done);
	fs_close(c, fd);
	return err;
}

static long camp_rename(struct fs_client *c, unsigned k)
{
	char from[FS_PATH_MAX], to[FS_PATH_MAX];
	struct fs_stat st;

	camp_short(from, k);
	camp_long(to, k);
	long err = fs_rename(c, from, to);
	return err == E_NOENT && fs_stat(c, to, &st) == E_OK ? E_OK : err; /* done already */
}

static long camp_unlink(struct fs_client *c, unsigned k)
{
	char p[FS_PATH_MAX];

	camp_long(p, k);
	long err = fs_unlink(c, p);
	return err == E_NOENT ? E_OK : err; /* done already */
}

/*
 * op(k), then the volume synced, sent again until both are done: an op
 * whose effect a crash took before the sync (a file created but not yet on
 * the disk, whose reopen then says E_NOENT) is simply done again.
 */
static long durably(struct fs_client *c, long (*op)(struct fs_client *c, unsigned k), unsigned k)
{
	long err = E_RESTARTED;

	for (int t = 0; t < CAMP_TRIES && (again(err) || err == E_NOENT); t++) {
		err = op(c, k);
		if (err == E_OK)
			err = fs_sync(c); /* E_RESTARTED: the op may be lost, so again */
	}
	return err;
}

static long camp_step(struct fs_client *c, unsigned k)
{
	long err = durably(c, camp_create, k);

	if (err == E_OK && k >= 1)
		err = durably(c, camp_rename, k - 1);
	if (err == E_OK && k >= 3 && (k - 3) % 3 != 0)
		err = durably(c, camp_unlink, k - 3);
	return err;
}

/* File j as step `upto` left it (its name then), read whole and compared; E_OK if deleted. */
static long camp_check(struct fs_client *c, unsigned j, unsigned upto)
{
	char p[FS_PATH_MAX];
	uint64_t len;

	if (j + 3 < upto && j % 3 != 0)
		return E_OK; /* unlinked by now */
	if (j + 1 < upto)
		camp_long(p, j);
	else
		camp_short(p, j);
	long err = ft_read_all(c, p, camp_buf, sizeof(camp_buf), &len);
	if (err == E_OK && len != CAMP_BYTES(j))
		return E_PROTO;
	for (uint32_t i = 0; err == E_OK && i < len; i++)
		if (camp_buf[i] != CAMP_STAMP(j, i))
			return E_PROTO;
	return err;
}

/* `kills` crashes of service `name`, CAMP_STEPS_PER_KILL steps after each, checked. */
static void camp_kills(struct test_ctx *t, struct fs_client *c, handle_t ctl, const char *name,
		       unsigned kills, unsigned *k)
{
	struct svc_entry before, e;

	T_OK(svc_status(ctl, name, &before));
	for (unsigned n = 0; n < kills; n++) {
		T_OK(svc_status(ctl, name, &e));
		T_OK(svc_fault(ctl, name, SVC_FAULT_CRASH, SVC_CRASH_RANDOM, 1 + n % 3));
		for (unsigned s = 0; s < CAMP_STEPS_PER_KILL; s++, (*k)++)
			T_OK(camp_step(c, *k));
		T_OK(test_svc_wait_restart(ctl, name, e.pid));
		T_RETURN_IF_FAILED();
		for (unsigned j = *k > 6 ? *k - 6 : 0; j < *k; j++)
			T_OK(camp_check(c, j, *k));
		T_RETURN_IF_FAILED();
	}
	T_OK(svc_status(ctl, name, &e));
	T_EQ(e.restarts, before.restarts + kills);
}

static void campaign(struct test_ctx *t, unsigned fat_kills, unsigned ahci_kills)
{
	struct fs_client *c;
	unsigned k = 0;
	long ctl = ns_lookup_self("svc");

	T_OK(ctl);
	T_OK(ft_connect(&c));
	T_RETURN_IF_FAILED();
	T_OK(fs_mkdir(c, "/camp"));
	T_OK(fs_sync(c));
	camp_kills(t, c, (handle_t)ctl, "fat", fat_kills, &k);
	T_RETURN_IF_FAILED();
	camp_kills(t, c, (handle_t)ctl, "ahci", ahci_kills, &k);
	T_RETURN_IF_FAILED();
	for (unsigned j = 0; j < k; j++)
		T_OK(camp_check(c, j, k));
	T_OK(fs_sync(c));
	printf("CAMPAIGN steps=%u fat=%u ahci=%u\n", k, fat_kills, ahci_kills);
}

TEST(campaign, fat_campaign, "30 kills of fat, then 6 of ahci, during create/write/rename/delete")
{
	campaign(t, 30, 6);
}

TEST(campaign_full, fat_campaign_full,
     "100 kills of fat, then 20 of ahci, during create/write/rename/delete")
{
	campaign(t, 100, 20);
}
