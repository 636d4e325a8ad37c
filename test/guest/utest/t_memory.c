/* SPDX-License-Identifier: MIT */
/*
 * Tests of memory objects and mappings: sizes that cannot be made, every
 * argument check of map and unmap (alignment, ranges, overlaps, W^X), pages
 * that start zeroed and are shared between mappings, memory that lives as
 * long as a handle or a mapping holds it, and the IPC buffer registration.
 */
#include <string.h>

#include "sys/thread.h"
#include "utest.h"

#define VA  UT_SCRATCH_VA
#define VA2 (UT_SCRATCH_VA + 0x100000)

static bool is_no_memory(long err)
{
	return err == E_INVAL || err == E_NOMEM;
}

TEST(memory, mobj_create_sizes, "impossible sizes are refused and leave nothing behind")
{
	struct kinfo before, after;
	long huge[] = {
		sys_mobj_create(0, 0),
		sys_mobj_create(1ull << 40, 0),
		sys_mobj_create((1ull << 30) + 1, 0),
		sys_mobj_create(~0ull, 0),	      /* rounds up past the top */
		sys_mobj_create(~0ull - PAGE + 2, 0), /* so does this */
	};

	T_EQ(huge[0], E_INVAL);
	T_EQ(huge[3], E_INVAL); /* not a zero-page object */
	T_EQ(huge[4], E_INVAL);
	for (size_t i = 1; i < 3; i++)
		if (!is_no_memory(huge[i]))
			T_FAIL("size #%zu: got %ld, want E_INVAL or E_NOMEM", i, huge[i]);
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	long more_than_free = sys_mobj_create((before.frames_free + 16) * PAGE, 0);
	T_OK(test_kinfo(&after));
	T_EQ(more_than_free, E_NOMEM);
	T_KINFO_SAME(&before, &after);
}

TEST(memory, mobj_rounding_and_release, "a 1-byte object is one page; its frames return on close")
{
	struct kinfo before, after;

	/* twice: the first round may leave page tables for VA, which stay */
	for (int round = 0; round < 2; round++) {
		T_OK(test_kinfo(&before));
		T_HANDLE(m, sys_mobj_create(1, 0));
		T_EQ(sys_mobj_map(HANDLE_SELF, m, VA, 0, 2 * PAGE, R_READ), E_INVAL);
		T_OK(sys_mobj_map(HANDLE_SELF, m, VA, 0, PAGE, R_READ | R_WRITE));
		((volatile uint8_t *)VA)[PAGE - 1] = 0x5A;
		T_OK(sys_unmap(HANDLE_SELF, VA, PAGE));
		T_OK(sys_handle_close(m));
		T_OK(test_kinfo(&after));
	}
	T_KINFO_SAME(&before, &after);
}

TEST(memory, mobj_zeroed_and_shared, "new pages read as zero; two mappings of one object share it")
{
	handle_t m;

	T_OK(ut_map_new(VA, 4, &m));
	for (size_t i = 0; i < 4 * PAGE; i++)
		T_EQ(((volatile uint8_t *)VA)[i], 0);
	T_OK(sys_mobj_map(HANDLE_SELF, m, VA2, PAGE, 2 * PAGE, R_READ | R_WRITE));
	ut_fill((void *)(VA + PAGE), 2 * PAGE, 11);
	T_ASSERT(ut_check((void *)VA2, 2 * PAGE, 11)); /* offset PAGE in the object */
	ut_fill((void *)VA2, 2 * PAGE, 12);
	T_ASSERT(ut_check((void *)(VA + PAGE), 2 * PAGE, 12));
	T_OK(sys_unmap(HANDLE_SELF, VA2, 2 * PAGE));
	T_OK(sys_unmap(HANDLE_SELF, VA, 4 * PAGE));
	T_OK(sys_handle_close(m));
}

TEST(memory, map_bad_arguments,
     "map checks alignment, ranges, overlaps and W^X before mapping anything")
{
	const uint32_t rw = R_READ | R_WRITE;
	handle_t m;

	T_OK(ut_map_new(VA, 2, &m));
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2 + 1, 0, PAGE, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2 + 0x800, 0, PAGE, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 1, PAGE, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 0, 100, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 0, 0, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, PAGE, 2 * PAGE, rw), E_INVAL); /* past its end */
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 0, 3 * PAGE, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, ~0ull - PAGE + 1, PAGE, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 0, ~0ull - PAGE + 1, rw), E_INVAL);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, 0, 0, PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, PAGE, 0, PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, UT_USER_SPACE_END - PAGE, 0, 2 * PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, UT_USER_SPACE_END, 0, PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, UT_DIRECT_MAP, 0, PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, UT_KERNEL_TEXT, 0, PAGE, R_READ), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, ~0ull - PAGE + 1, 0, 2 * PAGE, rw), E_RANGE);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA, 0, PAGE, rw), E_EXISTS);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA - PAGE, 0, 2 * PAGE, rw), E_EXISTS);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA + PAGE, 0, 2 * PAGE, rw), E_EXISTS);
	T_EQ(sys_mobj_map(HANDLE_SELF, m, VA2, 0, PAGE, R_READ | R_WRITE | R_EXEC), E_RIGHTS);
	/* none of that mapped anything: the first free address is still free */
	T_EQ(sys_unmap(HANDLE_SELF, VA2, 0x100000), E_NOENT);
	T_EQ(sys_unmap(HANDLE_SELF, 0, 0x10000), E_NOENT);
	T_OK(sys_mobj_map(HANDLE_SELF, m, UT_USER_SPACE_END - 2 * PAGE, 0, 2 * PAGE, rw));
	T_OK(sys_unmap(HANDLE_SELF, UT_USER_SPACE_END - 2 * PAGE, 2 * PAGE));
	T_OK(sys_unmap(HANDLE_SELF, VA, 2 * PAGE));
	T_OK(sys_handle_close(m));
}

TEST(memory, unmap_bad_arguments, "unmap checks alignment and wrap, and removes only whole regions")
{
	handle_t m;

	T_OK(ut_map_new(VA, 2, &m));
	ut_fill((void *)VA, 2 * PAGE, 3);
	T_EQ(sys_unmap(HANDLE_SELF, VA + 1, PAGE), E_INVAL);
	T_EQ(sys_unmap(HANDLE_SELF, VA, 0), E_INVAL);
	T_EQ(sys_unmap(HANDLE_SELF, ~0ull - PAGE + 1, 2 * PAGE), E_INVAL);
	T_EQ(sys_unmap(HANDLE_SELF, VA, PAGE), E_NOENT); /* half a region */
	T_EQ(sys_unmap(HANDLE_SELF, VA + PAGE, PAGE), E_NOENT);
	T_EQ(sys_unmap(HANDLE_SELF, UT_DIRECT_MAP, PAGE), E_NOENT);
	T_ASSERT(ut_check((void *)VA, 2 * PAGE, 3)); /* still there, unchanged */
	T_OK(sys_mobj_map(HANDLE_SELF, m, VA2, 0, PAGE, R_READ));
	T_OK(sys_unmap(HANDLE_SELF, VA, VA2 + PAGE - VA)); /* both regions at once */
	T_EQ(sys_unmap(HANDLE_SELF, VA, 2 * PAGE), E_NOENT);
	T_EQ(sys_unmap(HANDLE_SELF, VA2, PAGE), E_NOENT);
	T_OK(sys_handle_close(m));
}

TEST(memory, mobj_lifetime, "memory lives while a handle or a mapping holds it, and no longer")
{
	struct kinfo before, mapped, after;
	handle_t m;

	for (int round = 0; round < 2; round++) { /* the first round makes page tables */
		T_OK(test_kinfo(&before));
		T_OK(ut_map_new(VA, 2, &m));
		ut_fill((void *)VA, 2 * PAGE, 5);
		T_OK(sys_handle_close(m)); /* the mapping keeps it */
		T_OK(test_kinfo(&mapped));
		T_EQ(mapped.mobjs, before.mobjs + 1);
		T_ASSERT(ut_check((void *)VA, 2 * PAGE, 5));
		T_OK(sys_unmap(HANDLE_SELF, VA, 2 * PAGE));
		T_OK(test_kinfo(&after));
	}
	T_KINFO_SAME(&before, &after);
}

TEST(memory, ipcbuf_register_checks, "set_ipcbuf needs an aligned, mapped, writable user page")
{
	struct ipc_buffer *mine = ipc_buffer();
	handle_t m;

	T_OK(ut_map_new(VA, 1, &m));
	T_OK(sys_mobj_map(HANDLE_SELF, m, VA2, 0, PAGE, R_READ));
	T_EQ(sys_thread_set_ipcbuf((void *)(VA + 8)), E_INVAL);
	T_EQ(sys_thread_set_ipcbuf((void *)(VA + 2048)), E_INVAL);
	T_EQ(sys_thread_set_ipcbuf((void *)VA2), E_FAULT); /* read-only */
	T_EQ(sys_thread_set_ipcbuf((void *)(VA + PAGE)), E_FAULT);
	T_EQ(sys_thread_set_ipcbuf(NULL), E_FAULT);
	T_EQ(sys_thread_set_ipcbuf((void *)UT_DIRECT_MAP), E_FAULT);
	T_EQ(sys_thread_set_ipcbuf((void *)UT_KERNEL_TEXT), E_FAULT);
	T_OK(sys_thread_set_ipcbuf((void *)VA));
	T_OK(sys_thread_set_ipcbuf(mine)); /* and back */
	T_OK(sys_unmap(HANDLE_SELF, VA2, PAGE));
	T_OK(sys_unmap(HANDLE_SELF, VA, PAGE));
	T_OK(sys_handle_close(m));
}

struct bytes_sender {
	handle_t ep;
	long result;
	volatile int done;
};

static void send_bytes(void *arg)
{
	struct bytes_sender *s = arg;
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, IPC_BUF_BYTES)};

	memset(ipc_buffer()->data, 0x77, IPC_BUF_BYTES);
	s->result = ipc_send(s->ep, &m, TIMEOUT_NEVER);
	s->done = 1;
}

TEST(memory, ipcbuf_unmapped_while_registered,
     "a registered IPC buffer that is unmapped stays safe")
{
	struct ipc_buffer *mine = ipc_buffer();
	struct ipc_msg m;
	handle_t page;
	T_HANDLE(ep, sys_ep_create());
	struct bytes_sender s = {ep, 1, 0};

	T_OK(ut_map_new(VA, 1, &page));
	T_OK(sys_thread_set_ipcbuf((void *)VA));
	T_OK(sys_unmap(HANDLE_SELF, VA, PAGE));
	T_OK(sys_handle_close(page)); /* only the registration holds the page now */
	T_OK(thread_spawn(send_bytes, &s, UT_PRIO, NULL));
	long err = ipc_recv(ep, &m, 1000 * MS); /* the kernel writes 2 KiB into that page */
	T_OK(sys_thread_set_ipcbuf(mine));
	T_EQ(err, E_OK);
	T_EQ(IPC_TAG_BYTES(m.tag), IPC_BUF_BYTES);
	T_ASSERT(ut_wait_flag(&s.done, 1000));
	T_EQ(s.result, E_OK);
	T_OK(sys_handle_close(ep));
}
