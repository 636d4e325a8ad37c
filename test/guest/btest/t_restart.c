/* SPDX-License-Identifier: MIT */
/*
 * The restart suite: while a client thread reads the host's half of disk0
 * and writes and reads back its own sectors, the test crashes the ahci
 * driver BT_CRASHES times (svc fi, a random crash kind a few requests
 * later). The client library resends after E_RESTARTED and attaches its
 * buffer again to each new instance, so every request the client makes
 * must succeed with the right data; the supervisor must count one restart
 * per crash.
 */
#include <string.h>

#include "btest.h"
#include "proto/block.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "test/test.h"

#define BT_CRASHES	     20
#define BT_SECTORS	     4096u
#define BT_CHUNK	     128u /* sectors per request: 64 KiB */
#define BT_BUF		     (BT_CHUNK * 512u)
#define BT_BUF_VA	     0x0000510000000000ull
#define BT_BACK_MS	     5000
#define BT_SCRATCH_LBA	     3000u /* the client's own sectors, in the guest's half */
#define BT_HOST_BYTE(lba, i) ((uint8_t)((lba)*7 + (i)*13 + ((lba) >> 8)))

static struct reader {
	struct block_client c;
	volatile int stop, done;
	volatile uint64_t ok;
	uint64_t wrong, failed;
	long err;
} rd;

static uint8_t *const rbuf = (uint8_t *)BT_BUF_VA;

static bool host_half_ok(uint32_t lba)
{
	for (uint32_t i = 0; i < BT_BUF; i++)
		if (rbuf[i] != BT_HOST_BYTE(lba + i / 512, i % 512))
			return false;
	return true;
}

/* A write of a stamp, then a read of it back: the same stamp. */
static long write_read(uint64_t stamp)
{
	for (uint32_t i = 0; i < BT_BUF; i += 8)
		memcpy(rbuf + i, &stamp, 8);
	long err = block_write(&rd.c, BT_SCRATCH_LBA, BT_CHUNK, 0);
	if (err == E_OK) {
		memset(rbuf, 0, BT_BUF);
		err = block_read(&rd.c, BT_SCRATCH_LBA, BT_CHUNK, 0);
	}
	for (uint32_t i = 0; err == E_OK && i < BT_BUF; i += 8)
		if (memcmp(rbuf + i, &stamp, 8) != 0)
			return E_PROTO;
	return err;
}

static void reader(void *arg)
{
	(void)arg;
	for (uint64_t n = 0; !rd.stop; n++) {
		uint32_t lba = (uint32_t)(n * BT_CHUNK) % (BT_SECTORS / 2);
		long err = block_read(&rd.c, lba, BT_CHUNK, 0);
		if (err == E_OK && !host_half_ok(lba))
			rd.wrong++;
		if (err == E_OK)
			err = write_read(n + 1);
		if (err == E_PROTO)
			rd.wrong++;
		else if (err < 0)
			rd.failed++, rd.err = err;
		else
			rd.ok++;
	}
	rd.done = 1;
}

static long svc_state(handle_t ctl, struct svc_entry *e)
{
	return svc_status(ctl, "ahci", e);
}

/* Crash it once, a request or two later, and wait for a new instance. */
static void crash_once(struct test_ctx *t, handle_t ctl)
{
	struct svc_entry e;
	uint64_t ok = rd.ok;

	T_OK(svc_state(ctl, &e));
	T_OK(svc_fault(ctl, "ahci", SVC_FAULT_CRASH, SVC_CRASH_RANDOM, 1 + (uint32_t)(ok % 3)));
	uint64_t old = e.pid;
	for (unsigned ms = 0; ms < BT_BACK_MS; ms += 5) {
		if (svc_state(ctl, &e) == E_OK && e.state == SVC_RUNNING && e.pid != old)
			break;
		sys_sleep(5 * MS);
	}
	T_ASSERT(e.pid != old && e.state == SVC_RUNNING);
	for (unsigned ms = 0; rd.ok == ok && ms < BT_BACK_MS; ms += 5)
		sys_sleep(5 * MS); /* the client gets through to the new instance */
	T_ASSERT(rd.ok > ok);
}

static long setup(handle_t *ctl)
{
	long c = bt_start_ahci();

	c = c < 0 ? c : ns_lookup_self("svc");
	long ep = c < 0 ? c : ns_lookup_self("disk0");
	long m = ep < 0 ? ep : sys_mobj_create(BT_BUF, 0);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, BT_BUF_VA, 0, BT_BUF,
					R_READ | R_WRITE);
	if (err < 0)
		return err;
	*ctl = (handle_t)c;
	rd.c = (struct block_client){
		.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = 10000 * MS, .attempts = 8};
	return E_OK;
}

TEST(restart, block_restart_under_io,
     "20 crashes of ahci while a client reads and writes: every request right")
{
	handle_t ctl = HANDLE_INVALID;
	struct svc_entry before, after;

	T_OK(setup(&ctl));
	T_RETURN_IF_FAILED();
	T_OK(svc_state(ctl, &before));
	T_OK(thread_spawn(reader, NULL, 10, NULL));
	T_RETURN_IF_FAILED();
	for (int i = 0; i < BT_CRASHES && !t->failed; i++)
		crash_once(t, ctl);
	rd.stop = 1;
	while (!rd.done)
		sys_sleep(5 * MS);
	T_OK(svc_state(ctl, &after));
	T_EQ(after.restarts - before.restarts, BT_CRASHES);
	T_EQ(rd.wrong, 0);
	T_EQ(rd.failed, 0);
	if (rd.failed)
		T_FAIL("last error %s", sys_error_name(rd.err));
	test_note("restart_requests_ok", rd.ok, "rounds");
}
