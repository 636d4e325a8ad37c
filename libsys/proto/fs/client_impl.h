/* SPDX-License-Identifier: MIT */
/*
 * What the fs client library's files (client.c, readdir.c) give each other.
 */
#pragma once

#include "proto/fs.h"

/*
 * A call on open file fd (w0 becomes its server handle), resent after a
 * restart once the file is reopened; the reply must have rwords words and
 * at most rbytes bytes.
 */
long fs_file_call(struct fs_client *c, int fd, struct ipc_msg *m, uint32_t rwords, uint32_t rbytes);
