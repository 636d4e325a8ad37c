/* SPDX-License-Identifier: MIT */
/* What ftest's suites share (t_files.c). */
#pragma once

#include <stdint.h>

#include "proto/fs.h"
#include "sys/handle.h"

#define FT_BUF	  (256u << 10) /* the buffer attached to the server */
#define FT_BUF_VA 0x0000520000000000ull

/* The host's pattern file (test_fat.py writes the same bytes). */
#define FT_PATTERN(i)	 ((uint8_t)((i)*7 + ((i) >> 9) + 3))
#define FT_PATTERN_BYTES (1u << 20)
/* What the guest writes into its pattern file. */
#define FT_GUEST(i)	 ((uint8_t)((i)*13 + ((i) >> 11) + 1))

/* ahci and fat started, fs0 found and a buffer of `bytes` (sys_mobj_create flags) at va
 * attached to c. */
long ft_client(struct fs_client *c, uint64_t va, uint64_t bytes, uint32_t mobj_flags);
/* ahci and fat started, fs0 found and a buffer attached: the shared client. */
long ft_connect(struct fs_client **out);
/* Read a whole file into buf (at most max bytes); its size in *len. */
long ft_read_all(struct fs_client *c, const char *path, uint8_t *buf, uint64_t max, uint64_t *len);
