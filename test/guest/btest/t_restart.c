/* SPDX-License-Identifier: MIT */
/*
 * The restart suite: while BT_THREADS client threads, sharing one
 * block_client and one buffer (each its own part), read the host's half of
 * disk0 in 256 KiB requests and write and read back stamps on sectors of
 * their own, so that several requests are in flight on the driver at once,
 * the test crashes the ahci driver BT_CRASHES times (svc fi, a random crash
 * kind a few requests later). The client library resends after E_RESTARTED
 * and attaches the buffer again (once) to each new instance, so every
 * request must succeed with the right data; the supervisor must count one
 * restart per crash.
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
#define BT_THREADS	     4
#define BT_SECTORS	     4096u
#define BT_READ		     512u			   /* sectors per read: 256 KiB */
#define BT_CHUNK	     128u			   /* sectors per write: 64 KiB */
#define BT_PART		     ((BT_READ + BT_CHUNK) * 512u) /* a thread's part of the buffer */
#define BT_BUF		     (BT_THREADS * BT_PART)
#define BT_BUF_VA	     0x0000510000000000ull
#define BT_BACK_MS	     5000
#define BT_SCRATCH_LBA	     3000u /* thread k's own sectors: 3000 + 128 k, in the guest's half */
#define BT_HOST_BYTE(lba, i) ((uint8_t)((lba)*7 + (i)*13 + ((lba) >> 8)))

static struct block_client client;
static struct reader {
	volatile uint64_t ok;
	uint64_t wrong, failed;
	long err;
} rd[BT_THREADS];
static volatile int stop, done;

static uint8_t *const rbuf = (uint8_t *)BT_BUF_VA;

static uint64_t total_ok(void)
{
	uint64_t n = 0;

	for (int k = 0; k < BT_THREADS; k++)
		n += rd[k].ok;
	return n;
}

static bool host_half_ok(const uint8_t *p, uint32_t lba)
{
	for (uint32_t i = 0; i < BT_READ * 512; i++)
		if (p[i] != BT_HOST_BYTE(lba + i / 512, i % 512))
			return false;
	return true;
}

/* A write of a stamp to thread k's sectors, then a read of it back: the same stamp. */
static long write_read(unsigned k, uint64_t stamp)
{
	uint64_t off = k * BT_PART + BT_READ * 512;
	uint8_t *p = rbuf + off;

	for (uint32_t i = 0; i < BT_CHUNK * 512; i += 8)
		memcpy(p + i, &stamp, 8);
	long err = block_write(&client, BT_SCRATCH_LBA + k * BT_CHUNK, BT_CHUNK, off);
	if (err == E_OK) {
		memset(p, 0, BT_CHUNK * 512);
		err = block_read(&client, BT_SCRATCH_LBA + k * BT_CHUNK, BT_CHUNK, off);
	}
	for (uint32_t i = 0; err == E_OK && i < BT_CHUNK * 512; i += 8)
		if (memcmp(p + i, &stamp, 8) != 0)
			return E_PROTO;
	return err;
}

static void reader(void *arg)
{
	unsigned k = (unsigned)(uintptr_t)arg;
	struct reader *r = &rd[k];

	for (uint64_t n = k; !stop; n++) {
		uint32_t lba = (uint32_t)(n * BT_READ) % (BT_SECTORS / 2);
		long err = block_read(&client, lba, BT_READ, k * BT_PART);
		if (err == E_OK && !host_half_ok(rbuf + k * BT_PART, lba))
			r->wrong++;
		if (err == E_OK)
			err = write_read(k, (n + 1) << 8 | k);
		if (err == E_PROTO)
			r->wrong++;
		else if (err < 0)
			r->failed++, r->err = err;
		else
			r->ok++;
	}
	__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
}

static long svc_state(handle_t ctl, struct svc_entry *e)
{
	return svc_status(ctl, "ahci", e);
}

/* Crash it once, a request or two later, and wait for a new instance. */
static void crash_once(struct test_ctx *t, handle_t ctl)
{
	struct svc_entry e;
	uint64_t ok = total_ok();

	T_OK(svc_state(ctl, &e));
	T_OK(svc_fault(ctl, "ahci", SVC_FAULT_CRASH, SVC_CRASH_RANDOM, 1 + (uint32_t)(ok % 3)));
	uint64_t old = e.pid;
	for (unsigned ms = 0; ms < BT_BACK_MS; ms += 5) {
		if (svc_state(ctl, &e) == E_OK && e.state == SVC_RUNNING && e.pid != old)
			break;
		sys_sleep(5 * MS);
	}
	T_ASSERT(e.pid != old && e.state == SVC_RUNNING);
	/*
	 * The old instance is gone, but each thread may still count one round it
	 * answered: more than that many rounds more, and the new one serves (and
	 * will take the next fault; init sends it with a 200 ms timeout).
	 */
	ok = total_ok() + BT_THREADS;
	for (unsigned ms = 0; total_ok() <= ok && ms < BT_BACK_MS; ms += 5)
		sys_sleep(5 * MS);
	T_ASSERT(total_ok() > ok);
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
	client = (struct block_client){
		.ep = (handle_t)ep, .buffer = (handle_t)m, .timeout = 60000 * MS, .attempts = 8};
	return E_OK;
}

TEST(restart, block_restart_under_io,
     "20 crashes of ahci while 4 client threads read and write: every request right")
{
	handle_t ctl = HANDLE_INVALID;
	struct svc_entry before, after;
	uint64_t wrong = 0, failed = 0;

	T_OK(setup(&ctl));
	T_RETURN_IF_FAILED();
	T_OK(svc_state(ctl, &before));
	for (uintptr_t k = 0; k < BT_THREADS; k++)
		T_OK(thread_spawn(reader, (void *)k, 10, NULL));
	T_RETURN_IF_FAILED();
	for (int i = 0; i < BT_CRASHES && !t->failed; i++)
		crash_once(t, ctl);
	stop = 1;
	while (done < BT_THREADS)
		sys_sleep(5 * MS);
	T_OK(svc_state(ctl, &after));
	T_EQ(after.restarts - before.restarts, BT_CRASHES);
	for (int k = 0; k < BT_THREADS; k++) {
		wrong += rd[k].wrong, failed += rd[k].failed;
		if (rd[k].failed)
			T_FAIL("thread %d: last error %s", k, sys_error_name(rd[k].err));
	}
	T_EQ(wrong, 0);
	T_EQ(failed, 0);
	test_note("restart_requests_ok", total_ok(), "rounds");
}
