/* SPDX-License-Identifier: MIT */
/*
 * btest: in-guest tests of block storage through the block protocol
 * (proto/block.h) against the ahci driver and a disk image made on the host
 * (test/qemu/test_ahci.py attaches it as disk0). Suites: block (geometry,
 * the host's pattern read back, a pattern written and flushed for the host
 * to check, bad requests), restart (20 crashes of the driver under I/O)
 * and part (MBR partitions as block devices; test_ahci_part.py).
 * `btest <suite>...` runs those suites; no arguments all of them.
 */
#include "test/main.h"

int main(int argc, char **argv)
{
	return test_main("btest", argc, argv);
}
