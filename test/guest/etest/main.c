/* SPDX-License-Identifier: MIT */
/*
 * etest: in-guest tests of the read-only ext2 server (servers/ext2) through
 * the fs protocol (proto/fs.h) on fs1, over build/share.img (genext2fs,
 * servers/ext2/mkshare.py) that test/qemu/test_ext2.py attaches. Suites:
 * share (label, listings, symlinks, files' checksums for the host to
 * compare, E_ROFS for every change) and restart (crashes of the server in
 * the middle of reading the 20 MiB pattern, every byte checked), and novol
 * (t_novol.c, on a machine without the share: fs1 answers E_NOVOLUME while
 * ext2 probes, and the library's wait on it is bounded).
 * `etest <suite>...` runs those suites; no arguments all of them.
 */
#include "test/main.h"

int main(int argc, char **argv)
{
	return test_main("etest", argc, argv);
}
