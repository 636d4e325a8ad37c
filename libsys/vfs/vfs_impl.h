/* SPDX-License-Identifier: MIT */
/*
 * The path library's state, shared by its files: the mount table, the
 * descriptors and the current directory (one set per program). mount.c
 * keeps the table and resolves paths, file.c and dir.c are descriptors,
 * ops.c the calls by path, discover.c fills the table in a real program.
 */
#pragma once

#include <stdbool.h>
#include <string.h>

#include "sys/vfs.h"

enum vfs_kind { VFS_FREE, VFS_FILE, VFS_DIR, VFS_MNTDIR };

struct vfs_mount {
	char at[VFS_AT_MAX];
	char endpoint[8];
	char label[12];
	struct fs_client *c;
};

struct vfs_file {
	enum vfs_kind kind;
	int mount;
	int fd; /* the fs client's */
	unsigned flags;
	uint64_t off;	/* a file's offset; a directory's cookie */
	bool root;	/* the root directory of "/": "mnt" is listed after its entries */
	bool mnt_done;	/* that "mnt" was listed (or found on the volume) */
	int next_mount; /* in VFS_MNTDIR: the next row to list */
};

struct vfs_state {
	struct vfs_mount mounts[VFS_MOUNTS];
	int count;
	bool discovered;     /* fs0 was looked for */
	bool all_discovered; /* and fs1 .. fs7 */
	struct vfs_file files[VFS_FILES];
	char cwd[VFS_PATH_MAX];
	bool cwd_known;	  /* cwd was taken from PWD, or set */
	uint64_t timeout; /* of each fs call (0: VFS_TIMEOUT) */
	int attempts;
};

extern struct vfs_state vfs_state;

/* A path resolved: absolute, its mount and the path inside it. */
struct vfs_where {
	char abs[VFS_PATH_MAX];
	int mount; /* -1: the directory VFS_MOUNT_DIR that lists the mounts */
	const char *rest;
	struct fs_client *c;
};

/* Give client c the timeout and attempts of vfs_set_timeout. */
void vfs_client_limits(struct fs_client *c);
/* Copy the string src into dst of size bytes, cut to fit; whether it fitted (strlcpy, which the
 * host's C library of the host tests may lack). */
static inline bool vfs_copy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);
	bool fits = n < size;

	if (!fits)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return fits;
}

/* Resolve path (discovering the mounts on first use). */
long vfs_where(const char *path, struct vfs_where *w);
/* The descriptor fd if it is open as kind (VFS_FREE: any kind), else NULL. */
struct vfs_file *vfs_file_get(int fd, enum vfs_kind kind);
/* A free descriptor, or -1. */
int vfs_file_new(void);
/* Whether the mount table lists more than "/": then "/mnt" lists them. */
bool vfs_has_mnt(void);
/* Look for every volume once (fs1 .. fs7 are asked only when a caller needs more than "/"). */
void vfs_mounts_all(void);

/*
 * Add to the table the endpoints fs0 .. fs<upto - 1> that answer and are not in it yet:
 * discover.c in a program; a host test mounts its own clients and provides its own.
 */
long vfs_discover(int upto);
