/* SPDX-License-Identifier: MIT */
/*
 * etest's novol suite, for a machine with no ext2 disk at all (test_ext2.py
 * boots one under -icount): ext2 probes disk1-disk3 for ever, and while it
 * does it must serve fs1, answering E_NOVOLUME, instead of leaving callers
 * to their timeouts; the client library waits on E_NOVOLUME for at most
 * FS_NOVOLUME_WAIT and then passes it on.
 */
#include "proto/fs.h"
#include "proto/ns.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/svc.h"
#include "test/test.h"

#define NV_CALLS      8
#define NV_CALL_LIMIT (1000 * MS) /* a probe of an absent disk takes 500 ms */
#define NV_BUF_VA     0x0000530000000000ull

static long fs1(handle_t *ep)
{
	long ctl = ns_lookup_self("svc");
	long err = ctl < 0 ? ctl : test_svc_start((handle_t)ctl, "ahci");
	err = err < 0 ? err : test_svc_start((handle_t)ctl, "ext2");
	long h = err < 0 ? err : ns_lookup_self("fs1");
	if (h >= 0)
		*ep = (handle_t)h;
	return h < 0 ? h : E_OK;
}

TEST(novol, answered, "with no ext2 disk, FS_STATFS to fs1 gets E_NOVOLUME within 1 s, 8 times")
{
	handle_t ep;
	unsigned novolume = 0;

	T_OK(fs1(&ep));
	for (unsigned i = 0; i < NV_CALLS; i++) {
		struct ipc_msg m = {.tag = IPC_TAG(FS_STATFS, 0, 0, 0)};
		T_OK(ipc_call(ep, &m, NV_CALL_LIMIT));
		novolume += (int16_t)IPC_TAG_LABEL(m.tag) == E_NOVOLUME;
		sys_sleep(137 * MS); /* to meet the server in the different phases of its probing */
	}
	T_EQ(novolume, NV_CALLS);
}

TEST(novol, library, "the client library waits FS_NOVOLUME_WAIT on E_NOVOLUME, then reports it")
{
	static struct fs_client c;
	struct fs_stat st;
	handle_t ep;

	T_OK(fs1(&ep));
	long m = sys_mobj_create(4096, 0);
	T_OK(m);
	T_OK(sys_mobj_map(HANDLE_SELF, (handle_t)m, NV_BUF_VA, 0, 4096, R_READ | R_WRITE));
	c = (struct fs_client){.ep = ep,
			       .buffer = (handle_t)m,
			       .data = (uint8_t *)NV_BUF_VA,
			       .timeout = 20000 * MS};
	uint64_t t0 = sys_clock();
	T_EQ(fs_stat(&c, "/README.md", &st), E_NOVOLUME);
	uint64_t waited = sys_clock() - t0;
	T_ASSERT(waited >= FS_NOVOLUME_WAIT);
	T_ASSERT(waited < FS_NOVOLUME_WAIT + 3 * NV_CALL_LIMIT); /* not the 20 s timeout */
}
