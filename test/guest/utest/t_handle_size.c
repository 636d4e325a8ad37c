/* SPDX-License-Identifier: MIT */
/*
 * SYS_HANDLE_INFO gives a memory object's size in bytes (whole pages), so a
 * server handed a buffer can check it is big enough before mapping it: for
 * objects made here, for a copy with fewer rights, for one granted into a
 * process's table; other objects give 0; and a bad pointer or handle is
 * refused as before.
 */
#include "utest.h"

static uint64_t size_of(handle_t h)
{
	struct handle_info info = {0, 0, 0, 99};

	return sys_handle_info(h, &info) == E_OK ? info.size : 99;
}

TEST(handle_size, handle_info_mobj_size,
     "a memory object's size is whole pages; other objects say 0")
{
	T_HANDLE(one, sys_mobj_create(1, 0));
	T_HANDLE(big, sys_mobj_create(5 * PAGE + 1, 0));
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(ro, sys_handle_dup(big, R_READ | R_TRANSFER));

	T_EQ(size_of(one), PAGE);
	T_EQ(size_of(big), 6 * PAGE);
	T_EQ(size_of(ro), 6 * PAGE); /* the size needs no right */
	T_HANDLE(granted, sys_handle_grant(HANDLE_SELF, ro, R_READ));
	T_EQ(size_of(granted), 6 * PAGE);
	sys_handle_close(granted);
	T_EQ(size_of(ep), 0);
	T_EQ(size_of(n), 0);
	T_EQ(sys_handle_info(big, NULL), E_FAULT);
	T_EQ(sys_handle_info(big, (struct handle_info *)UT_KERNEL_TEXT), E_FAULT);
	T_EQ(sys_handle_info(0x12345, &(struct handle_info){0}), E_BADHANDLE);
	sys_handle_close(ro);
	sys_handle_close(n);
	sys_handle_close(ep);
	sys_handle_close(big);
	sys_handle_close(one);
}
