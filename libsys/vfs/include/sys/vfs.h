/* SPDX-License-Identifier: MIT */
/*
 * The path library (libsys/vfs): one namespace of files for every program,
 * over the fs protocol's client library (proto/fs.h). The system disk's
 * volume (fs0) is "/"; every other filesystem endpoint that answers (fs1 ..
 * fs7) is mounted at "/mnt/<its label in lower case>", or "/mnt/fs<N>" when
 * it has no label (or its label is taken). The mount table is found by the
 * library itself (name lookups and FS_STATFS: fs0 on first use, the others
 * when a path under /mnt, the table or a listing of "/" needs them, and
 * again when a path under /mnt finds no mount), so there is no mount
 * server to ask or to restart (docs/ARCHITECTURE.md, "The path namespace
 * and programs from the disk"); vfs_mount_refresh() looks again.
 *
 * Paths are UTF-8, '/'-separated; a relative path is taken against the
 * current directory ("/" at start; vfs_set_cwd sets it, e.g. from PWD).
 * "." and ".." are resolved lexically before a path reaches a server, and
 * ".." of "/" is "/". "/mnt" itself is a directory listing the mounts.
 *
 * The calls are named vfs_* so they do not clash with sys/stdio.h's
 * read/write, which are descriptors 0-2 (streams). A vfs descriptor is a
 * small number of this library's own (0 .. VFS_FILES - 1). Every call
 * returns a non-negative result or a negative sys/errors.h code; open files
 * survive a restart of their server (the fs client reopens them by path).
 * Not thread-safe: one thread of a program uses it at a time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "proto/fs.h"

#define VFS_O_READ   0x01u
#define VFS_O_WRITE  0x02u
#define VFS_O_RDWR   (VFS_O_READ | VFS_O_WRITE)
#define VFS_O_CREATE 0x04u /* create the file if the path names nothing */
#define VFS_O_EXCL   0x08u /* with VFS_O_CREATE: E_EXISTS if it exists */
#define VFS_O_TRUNC  0x10u /* cut to 0 bytes (needs VFS_O_WRITE) */
#define VFS_O_APPEND 0x20u /* every write goes to the end of the file */
#define VFS_O_DIR    0x40u /* the path must be a directory (vfs_opendir) */
#define VFS_O_ALL    0x7Fu

#define VFS_SEEK_SET 0
#define VFS_SEEK_CUR 1
#define VFS_SEEK_END 2

#define VFS_PATH_MAX   FS_PATH_MAX   /* bytes of an absolute path with its NUL */
#define VFS_NAME_BYTES FS_NAME_BYTES /* bytes of one name with its NUL */
#define VFS_FILES      32	     /* descriptors open at once */
#define VFS_MOUNTS     8	     /* fs0 .. fs7 */
#define VFS_MOUNT_DIR  "/mnt"
#define VFS_AT_MAX     32	    /* bytes of a mount point with its NUL */
#define VFS_BUFFER     (64u * 1024) /* the buffer each mount's client attaches */

/* One directory entry (vfs_readdir). */
struct vfs_dirent {
	struct fs_stat st; /* st.attr & FS_STAT_DIR for a directory */
	char name[VFS_NAME_BYTES];
};

/* One row of the mount table. */
struct vfs_mount_info {
	char at[VFS_AT_MAX]; /* "/" or "/mnt/<name>" */
	char endpoint[8];    /* "fs0", ... */
	char label[12];	     /* the volume's label as it gave it ("" for none) */
};

/* Files. vfs_open gives a descriptor; read and write move its offset. */
int vfs_open(const char *path, unsigned flags);
long vfs_close(int fd);
/* Bytes read (0 at the end of the file) or an error. */
long vfs_read(int fd, void *buf, size_t n);
/* Bytes written (all of them unless an error comes first) or an error. */
long vfs_write(int fd, const void *buf, size_t n);
/* At an offset, leaving the descriptor's offset alone. */
long vfs_pread(int fd, void *buf, size_t n, uint64_t off);
long vfs_pwrite(int fd, const void *buf, size_t n, uint64_t off);
/* The new offset, or an error (E_INVAL for a bad whence or a negative result). */
int64_t vfs_lseek(int fd, int64_t off, int whence);
long vfs_ftruncate(int fd, uint64_t size);
long vfs_fstat(int fd, struct fs_stat *st);
/* Everything written through fd (and the rest of its volume) on the medium. */
long vfs_fsync(int fd);

/* Directories: vfs_opendir gives a descriptor; vfs_readdir 1 (an entry), 0 (no more), or an error;
 * vfs_closedir (vfs_close) ends it. "." and ".." are not listed. */
int vfs_opendir(const char *path);
long vfs_readdir(int fd, struct vfs_dirent *e);
static inline long vfs_closedir(int fd)
{
	return vfs_close(fd);
}

/* By path. vfs_rename across two mounts is E_XDEV. */
long vfs_stat(const char *path, struct fs_stat *st);
long vfs_mkdir(const char *path);
long vfs_rmdir(const char *path);
long vfs_unlink(const char *path);
long vfs_rename(const char *from, const char *to);
/* A file's modification time (FAT: and access date): a FAT stamp (date << 16 | time, as
 * fs_stat.modified) or FS_TIME_NOW, the volume's clock. */
long vfs_settime(const char *path, uint64_t stamp);
/* Every mounted volume on its medium; E_RESTARTED if a server restarted since changes were made
 * (they may be lost: make them again). */
long vfs_sync(void);
/* The volume that holds path: its figures and label. */
long vfs_statfs(const char *path, struct fs_statfs *out, char label[12]);

/* The current directory: vfs_chdir checks that path is a directory; vfs_set_cwd only
 * normalises it (for a runtime or shell that sets it from PWD before main). */
long vfs_chdir(const char *path);
long vfs_set_cwd(const char *path);
/* The current directory into buf (E_RANGE if it does not fit). */
long vfs_getcwd(char *buf, size_t size);
/* path made absolute against the current directory, "." and ".." resolved, no "//";
 * E_NAMETOOLONG if it does not fit in size (at most VFS_PATH_MAX), E_NOENT for "". */
long vfs_abspath(const char *path, char *out, size_t size);

/* The mount table: how many rows, one row, look again (a volume that came or went). */
int vfs_mount_count(void);
long vfs_mount_get(int i, struct vfs_mount_info *out);
long vfs_mount_refresh(void);

/* Each fs call's timeout and how often it is sent after a restart (fs_client's timeout and
 * attempts; 0: the defaults, 10 s and FS_ATTEMPTS). A server such as the loader, which must answer
 * its own clients, keeps both short. */
void vfs_set_timeout(uint64_t timeout, int attempts);

/* The whole file at path into a new memory object (proto/fs.h, fs_read_object, on the path's
 * mount): *image holds its *size bytes; E_ISDIR, E_RANGE (empty, or over how->max), E_IO (short).
 */
long vfs_read_object(const char *path, const struct fs_object_read *how, handle_t *image,
		     uint64_t *size);

/* A short message for an error, as file tools print it ("no such file or directory"). */
const char *vfs_strerror(long err);

/* For file tools: where a copy or move of src to dst goes (dst, or dst/<src's last name> when dst
 * is a directory), absolute, into out. */
long vfs_target(const char *src, const char *dst, char *out, size_t size);
/* The file from copied to the file to (made or cut to 0 first), across volumes too, through buf;
 * synced at the end. */
long vfs_copy_file(const char *from, const char *to, void *buf, size_t size);
/* Print "tool: path: reason" (or "tool: reason" without a path) on descriptor 2; returns 1, the
 * exit code of a tool that failed. */
int vfs_fail(const char *tool, const char *path, long err);
/* cp's and mv's loop: act(src, its target) for each source of "SRC DST" or "SRC... DIR"; the
 * exit code (0, 1 if any failed, 2 for too few arguments). */
int vfs_each_target(const char *tool, int argc, char **argv,
		    long (*act)(const char *, const char *));

/* ---- below: for the library's own discovery and for host tests ---- */

/* Mount client c (connected by the caller) at "/" or "/mnt/...": E_EXISTS, E_NOSPACE, E_INVAL. */
long vfs_mount_add(const char *at, struct fs_client *c, const char *endpoint, const char *label);
/* Forget every mount, descriptor and the current directory (the clients are the caller's). */
void vfs_reset(void);
/*
 * The pure parts, host-tested: join cwd and path and resolve "." and "..";
 * the mount an absolute path lies in (the longest mount point that is a
 * prefix at a '/' boundary; -1 for none) and the path inside it ("/..." ).
 */
long vfs_path_join(const char *cwd, const char *path, char *out, size_t size);
int vfs_path_mount(const char *abs, const char *const *mounts, int count, const char **rest);
