/* SPDX-License-Identifier: MIT */
/*
 * ftest: in-guest tests of the FAT server through the fs protocol
 * (proto/fs.h), on a volume the host made (test/qemu/test_fat.py: an MBR
 * disk whose first partition mkfs.fat formatted and mtools filled). Suites:
 * read (the host's files and names, byte for byte), write (files and
 * directories with long and Japanese names, rename, unlink, truncate, sync,
 * for the host to check with mtools and fsck.fat) and restart (crashes of
 * the server between and inside reads and writes).
 * `ftest <suite>...` runs those suites; no arguments all of them.
 */
#include "test/main.h"

int main(int argc, char **argv)
{
	return test_main("ftest", argc, argv);
}
