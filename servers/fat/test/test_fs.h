/* SPDX-License-Identifier: MIT */
/*
 * What test_fs.c (the harness and the protocol's requests) shares with
 * test_fs_handles.c (handles, clients and raw requests): the server under test, a client
 * on it, and the byte pattern files are written with.
 */
#pragma once

#include "../fatfs.h"
#include "fake_ipc.h"

#define BUF_BYTES (64u << 10) /* each client's attached buffer */

extern struct server srv;      /* the current instance's, for fake_ipc_endpoint */
extern unsigned unmaps;	       /* buffers the server let go */
extern struct fat_server fsrv; /* the server under test */
extern unsigned dirtied;       /* its env's dirtied calls */

void client_init(struct fs_client *c, handle_t ep);
uint8_t pattern(uint64_t i);

/* test_fs_handles.c, run in this order after test_dirs (they use its files). */
void test_two_handles(struct fs_client *c);
void test_interleaved_writes(struct fs_client *c);
/* After test_restart (which makes /kept.bin). */
void test_client_gone(void);
void test_shared_home(void);
/* After test_open_flags (it reads test_data's /Data file.bin). */
void test_dirty_tells(struct fs_client *c);
/* Requests no stub would send: ranges past the buffer, wrong shapes (the endpoint of c). */
void test_io_ranges(handle_t ep);
void test_malformed(handle_t ep);
/* The engine alone on dev, after the last server instance unmounted. */
void test_entry_line(struct fat_blockdev *dev);
