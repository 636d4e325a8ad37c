/* SPDX-License-Identifier: MIT */
/*
 * btest: in-guest tests of block storage through the block protocol
 * (proto/block.h) against the ahci driver and a disk image made on the host
 * (test/qemu/test_ahci.py attaches it as disk0). Suites: block (geometry,
 * the host's pattern read back, a pattern written and flushed for the host
 * to check, bad requests), restart (20 crashes of the driver under I/O)
 * and part (MBR and GPT partitions as block devices; test_ahci_part.py),
 * and bench (./run bench). `btest <suite>...` runs those suites; no
 * arguments all of them. With "client" as argv[0] btest is the second
 * process of block.block_two_processes (t_clients.c).
 */
#include <string.h>

#include "btest.h"
#include "test/main.h"

int main(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "client") == 0)
		return bt_client_main(argc, argv);
	return test_main("btest", argc, argv);
}
