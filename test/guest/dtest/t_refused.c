/* SPDX-License-Identifier: MIT */
/*
 * A program without hardware handles gets none of it (suite refused):
 * creating IRQs, ports or device memory fails on the missing handle, and
 * touching a port faults even while its parent has that very port open.
 */
#include <stdbool.h>
#include <string.h>

#include "dtest.h"
#include "proto/loader.h"
#include "sys/exit.h"

static long run_child(const char *role, int64_t *code)
{
	const char *argv[] = {"child", role};
	long p = loader_spawn(dt_handle("parent"), "dtest", 2, argv, 10, HANDLE_INVALID, NULL);

	if (p < 0)
		return p;
	long err = sys_process_wait((handle_t)p, 5000 * MS, code);
	sys_handle_close((handle_t)p);
	return err;
}

TEST(refused, refused_without_handles,
     "a child without hardware handles is refused each of them and faults on a port")
{
	int64_t code = 0;
	long io = sys_ioport_create(dt_handle("ioport"), 0x70, 2);

	T_ASSERT(io > 0 && sys_ioport_enable((handle_t)io) == E_OK); /* open in the parent */
	T_ASSERT(run_child("caps", &code) == E_OK);
	T_ASSERT(code == 0);
	T_ASSERT(run_child("port", &code) == E_OK);
	T_ASSERT(code == EXIT_FAULT_CODE(13)); /* #GP */
	sys_handle_close((handle_t)io);
}

/* The child side: no resource handles at all. */
int dtest_child(int argc, char **argv)
{
	if (argc < 2)
		return 99;
	if (strcmp(argv[1], "port") == 0)
		return port_in8(0x71); /* must fault */
	bool all_refused =
		sys_irq_create(dt_handle("irq"), 10, 0) == E_BADHANDLE &&
		sys_ioport_create(dt_handle("ioport"), 0x70, 2) == E_BADHANDLE &&
		sys_devmem_create(dt_handle("devmem"), 0xFD000000, 4096) == E_BADHANDLE &&
		sys_mobj_phys(dt_handle("dma"), 1, 0) == E_BADHANDLE &&
		sys_irq_create(0x12345, 10, 0) == E_BADHANDLE;
	return all_refused ? 0 : 1;
}
