/* SPDX-License-Identifier: MIT */
/*
 * What fat_tool's two files share: fat_tool.c (the image device, main, and
 * the commands that build and check images) and fat_tool_work.c (the
 * workload commands: churn, spread, bulk, seqread, seqwrite, readat,
 * stale, interleave, coherent, camp).
 */
#pragma once

#include "../fat.h"

/* PATH's node, made (an empty file) if the path names nothing, as an open with create does. */
static inline long open_or_create(struct fat_vol *v, const char *path, struct fat_node *n)
{
	return fat_open(v, path, FAT_OPEN_CREATE, n);
}

/* A workload command of fat_tool_work.c (argv[0] its name); E_NOSYS: no such command. */
long tool_work(struct fat_vol *v, int argc, char **argv);
