/* SPDX-License-Identifier: MIT */
/*
 * The workload that runs between faults, one step at a time:
 *
 * - synced files: /camp/s<i>.bin (CAMP_SLOTS of them) rewritten with a new
 *   generation's bytes and fsync'ed. A write counts as durable only if the
 *   FAT server did not restart between the open and the fsync's answer (a
 *   sync that reached a new instance finds nothing of the old one's cache
 *   to write), else it is written again. Every durable file must read back
 *   exactly, whatever is crashed later: a byte that does not is synced data
 *   lost, a broken invariant.
 * - an unsynced file: /camp/u.bin written and closed without fsync, read
 *   back one step later. If it differs and fat restarted in between, its
 *   bytes count as unsynced data lost (allowed, counted); if it differs
 *   with no restart, that is a client error.
 * - a lister: "/", "/camp" and "/mnt" opened and read to the end.
 * - IPC clients: the echo server (every word must come back plus one: a
 *   wrong answer is a corrupted reply) and the counter server, whose count
 *   lives in memory the supervisor keeps, so it must never go backwards.
 *   A count above the last one plus the adds sent since cannot be: it is
 *   a corrupted reply (a fault the campaign injects), a client error, and
 *   not taken as the count.
 *
 * Calls cut off by a crash return E_RESTARTED (counted as seen, then sent
 * again); any other error the libraries' own retries did not cure is a
 * client error, reported with its code.
 */
#include <string.h>

#include "camp.h"
#include "proto/counter.h"
#include "proto/echo.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "sys/vfs.h"

#define CAMP_SLOTS     4
#define CAMP_FILE_MAX  (24u * 1024)
#define CAMP_TRIES     6
#define CALL_TIMEOUT   (5000 * MS)
#define ERRORS_PRINTED 20
#define STAMP(g, i)    ((uint8_t)((g)*131 + (i)*7 + ((i) >> 9) + 1))

struct slot {
	uint32_t gen, size;
	bool durable; /* gen's bytes were fsync'ed with no fat restart in between */
};

static struct slot slots[CAMP_SLOTS];
static struct slot unsynced;
static uint64_t unsynced_restarts;
static uint32_t next_gen = 1;
static uint64_t counter_seen, counter_adds; /* adds sent since counter_seen */
static bool counter_known;
static uint8_t wbuf[CAMP_FILE_MAX], rbuf[CAMP_FILE_MAX];

void camp_note(struct camp *c, const char *op, long err)
{
	if (err >= 0)
		return;
	if (err == E_RESTARTED) {
		c->restarted_seen++;
		return;
	}
	if (c->client_errors++ < ERRORS_PRINTED)
		printf("camp: client error: %s: %s\n", op, sys_error_name(err));
	c->last_error = err;
	strlcpy(c->last_error_op, op, sizeof(c->last_error_op));
}

static void slot_path(char *p, int i)
{
	if (i < 0)
		strlcpy(p, "/camp/u.bin", VFS_PATH_MAX);
	else
		snprintf(p, VFS_PATH_MAX, "/camp/s%d.bin", i);
}

static long write_file(const char *path, uint32_t gen, uint32_t size, bool sync)
{
	for (uint32_t i = 0; i < size; i++)
		wbuf[i] = STAMP(gen, i);
	int fd = vfs_open(path, VFS_O_WRITE | VFS_O_CREATE | VFS_O_TRUNC);
	if (fd < 0)
		return fd;
	long err = vfs_write(fd, wbuf, size);
	if (err >= 0 && sync)
		err = vfs_fsync(fd);
	long cerr = vfs_close(fd);
	return err < 0 ? err : cerr < 0 ? cerr : E_OK;
}

/* The file read whole into rbuf: its length, or an error. */
static long read_file(const char *path)
{
	int fd = vfs_open(path, VFS_O_READ);
	long total = 0, n = 1;

	if (fd < 0)
		return fd;
	while (n > 0 && total < (long)sizeof(rbuf)) {
		n = vfs_read(fd, rbuf + total, sizeof(rbuf) - (size_t)total);
		total += n > 0 ? n : 0;
	}
	vfs_close(fd);
	return n < 0 ? n : total;
}

/* Bytes of s's generation that the file does not hold (its whole size if it is short). */
static uint32_t differing(const struct slot *s, long len)
{
	uint32_t bad = 0;

	if (len != (long)s->size)
		return s->size;
	for (uint32_t i = 0; i < s->size; i++)
		bad += rbuf[i] != STAMP(s->gen, i);
	return bad;
}

/* Slot i rewritten and synced, again until durable. */
static void synced_step(struct camp *c, int i)
{
	char p[VFS_PATH_MAX];
	struct slot *s = &slots[i];

	slot_path(p, i);
	s->durable = false;
	s->gen = next_gen++;
	s->size = 1 + camp_rng_below(&c->rng, CAMP_FILE_MAX);
	for (int t = 0; t < CAMP_TRIES && !s->durable; t++) {
		uint64_t before = camp_restarts(c, "fat");
		long err = write_file(p, s->gen, s->size, true);
		camp_note(c, "write+fsync", err);
		s->durable = err == E_OK && camp_restarts(c, "fat") == before;
	}
}

static void verify_slot(struct camp *c, int i)
{
	char p[VFS_PATH_MAX];
	struct slot *s = &slots[i];

	if (!s->durable)
		return;
	slot_path(p, i);
	long len = read_file(p);
	if (len < 0) {
		camp_note(c, "read synced", len);
		return;
	}
	uint32_t bad = differing(s, len);
	if (bad) {
		printf("camp: FAIL %s: %u of its %u fsync'ed bytes lost (read %ld)\n", p, bad,
		       s->size, len);
		c->synced_lost += bad;
		s->durable = false; /* counted once */
	}
}

void camp_workload_verify(struct camp *c)
{
	for (int i = 0; i < CAMP_SLOTS; i++)
		verify_slot(c, i);
}

/* Check the last unsynced file, then write the next one. */
static void unsynced_step(struct camp *c)
{
	char p[VFS_PATH_MAX];

	slot_path(p, -1);
	if (unsynced.gen) {
		long len = read_file(p);
		uint32_t bad = len < 0 ? unsynced.size : differing(&unsynced, len);
		if (bad && camp_restarts(c, "fat") != unsynced_restarts)
			c->unsynced_lost += bad;
		else if (bad)
			camp_note(c, "unsynced read back", len < 0 ? len : E_CORRUPT);
	}
	unsynced.gen = next_gen++;
	unsynced.size = 1 + camp_rng_below(&c->rng, CAMP_FILE_MAX);
	unsynced_restarts = camp_restarts(c, "fat");
	long err = write_file(p, unsynced.gen, unsynced.size, false);
	if (err != E_OK)
		unsynced.gen = 0; /* nothing to expect */
	camp_note(c, "write unsynced", err == E_RESTARTED ? E_OK : err);
}

static void list_dir(struct camp *c, const char *path)
{
	struct vfs_dirent e;
	int fd = vfs_opendir(path);
	long err = fd;

	if (fd >= 0) {
		while ((err = vfs_readdir(fd, &e)) > 0)
			;
		vfs_closedir(fd);
	}
	camp_note(c, "list", err);
}

static void echo_step(struct camp *c, handle_t ep)
{
	struct echo_request rq;
	struct echo_reply rp;
	long err = E_RESTARTED;

	for (int i = 0; i < 5; i++)
		rq.w[i] = camp_rng_next(&c->rng);
	for (int t = 0; t < CAMP_TRIES && err == E_RESTARTED; t++) {
		err = echo_echo_retry(ep, &rq, 0, &rp, CALL_TIMEOUT, 1);
		camp_note(c, "echo", err);
	}
	for (int i = 0; err == E_OK && i < 5; i++)
		if (rp.w[i] != rq.w[i] + 1) {
			camp_note(c, "echo answer", E_CORRUPT);
			break;
		}
}

/* A count below one seen before: adds the kept state forgot. */
static void counter_saw(struct camp *c, uint64_t count)
{
	if (counter_known && count - counter_seen > counter_adds && count > counter_seen) {
		camp_note(c, "counter answer", E_CORRUPT);
		return;
	}
	counter_known = true;
	counter_adds = 0;
	if (count < counter_seen) {
		printf("camp: FAIL counter went back from %lu to %lu\n",
		       (unsigned long)counter_seen, (unsigned long)count);
		c->counter_lost += counter_seen - count;
	}
	counter_seen = count;
}

static void counter_step(struct camp *c, handle_t ep)
{
	struct counter_add_reply add;
	struct counter_get_reply get;
	long err = counter_add(ep, 1, &add, CALL_TIMEOUT);

	counter_adds++;
	camp_note(c, "counter add", err);
	if (err == E_OK) {
		counter_saw(c, add.count);
		return;
	}
	err = counter_get_retry(ep, &get, CALL_TIMEOUT, CAMP_TRIES);
	camp_note(c, "counter get", err);
	if (err == E_OK)
		counter_saw(c, get.count);
}

static handle_t endpoint_of(struct camp *c, const char *name)
{
	struct camp_target *t = camp_target_named(c, name);
	return t ? t->ep : HANDLE_INVALID;
}

long camp_workload_init(struct camp *c)
{
	long err = vfs_mkdir("/camp");

	if (err < 0 && err != E_EXISTS)
		return err;
	for (int i = 0; i < CAMP_SLOTS; i++)
		synced_step(c, i);
	list_dir(c, "/mnt"); /* mounts every volume: their clients' buffers are in the baseline */
	return E_OK;
}

void camp_workload_step(struct camp *c)
{
	handle_t echo = endpoint_of(c, "echo"), counter = endpoint_of(c, "counter");
	uint32_t what = camp_rng_below(&c->rng, 6);

	c->ops++;
	if (what == 0)
		synced_step(c, (int)camp_rng_below(&c->rng, CAMP_SLOTS));
	else if (what == 1)
		verify_slot(c, (int)camp_rng_below(&c->rng, CAMP_SLOTS));
	else if (what == 2)
		unsynced_step(c);
	else if (what == 3)
		list_dir(c, (const char *[]){"/", "/camp", "/mnt"}[camp_rng_below(&c->rng, 3)]);
	else if (what == 4 && echo != HANDLE_INVALID)
		echo_step(c, echo);
	else if (counter != HANDLE_INVALID)
		counter_step(c, counter);
}

/* The workload's own call to t (fat2 and ext2 through "/mnt" only if mounts); false if none. */
static bool call_of(struct camp *c, struct camp_target *t, bool mounts)
{
	if (strcmp(t->name, "echo") == 0)
		echo_step(c, t->ep);
	else if (strcmp(t->name, "counter") == 0)
		counter_step(c, t->ep);
	else if (strcmp(t->name, "fat") == 0)
		verify_slot(c, (int)camp_rng_below(&c->rng, CAMP_SLOTS));
	else if (mounts && (strcmp(t->name, "fat2") == 0 || strcmp(t->name, "ext2") == 0))
		list_dir(c, "/mnt");
	else
		return false;
	c->ops++;
	return true;
}

bool camp_workload_call(struct camp *c, struct camp_target *t)
{
	return call_of(c, t, true);
}

/* A ping where the workload has no call of its own: it surely reaches t. */
bool camp_workload_poke(struct camp *c, struct camp_target *t)
{
	if (call_of(c, t, false))
		return true;
	if (t->ep == HANDLE_INVALID)
		return false;
	c->ops++;
	camp_note(c, "ping", svc_ping(t->ep, CALL_TIMEOUT));
	return true;
}
