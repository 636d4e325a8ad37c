/* SPDX-License-Identifier: MIT */
/*
 * The fs protocol (methods 0x0700-0x07FF, sys/protocols.h): files and
 * directories by path, served by a filesystem server (servers/fat on fs0;
 * a second filesystem serves the same protocol on its own endpoint, and a
 * path library mounts each under a prefix). Paths are '/'-separated and
 * relative to the volume's root, at most FS_PATH_MAX bytes with their NUL,
 * and travel in the IPC buffer's bytes. File data never travels through
 * IPC: the client attaches a memory object once (FS_ATTACH) and each read
 * or write names a byte range of the file and an offset in that buffer.
 *
 * FS_ATTACH (idempotent: attaching again replaces the buffer)
 *   request: cap = a memory object (R_READ | R_WRITE), 1 page to FS_BUFFER_MAX
 *   reply:   w0 = its size in bytes
 *   errors:  E_INVAL no capability; E_TYPE not a memory object; E_RANGE too
 *            small or large; E_NOSPACE the server's client table is full
 * FS_OPEN
 *   request: w0 = FS_O_* flags; bytes = the path
 *   reply:   w0 = a handle (this client's, never 0), w1..w5 = struct fs_stat
 *   errors:  E_NOENT (no FS_O_CREATE), E_EXISTS (FS_O_EXCL), E_NOTDIR,
 *            E_ISDIR (FS_O_TRUNC on a directory), E_INVAL (a bad name),
 *            E_NOSPACE (FS_HANDLES_MAX open, or the disk full), E_CORRUPT
 *   Idempotent without FS_O_EXCL and FS_O_TRUNC (another handle, same file).
 * FS_CLOSE: w0 = handle. E_BADHANDLE for one the server does not know.
 * FS_READ, FS_WRITE (idempotent: bytes at a fixed file offset, like pread/pwrite)
 *   request: w0 = handle, w1 = file offset, w2 = byte count (<= FS_IO_MAX),
 *            w3 = offset in the attached buffer
 *   reply:   w0 = bytes done (a read stops at the end of the file)
 *   errors:  E_BADHANDLE; E_NOENT no buffer attached; E_RANGE past the
 *            buffer or the largest file (4 GiB - 1); E_ISDIR; E_NOSPACE
 * FS_STAT (idempotent): bytes = path; reply w0..w4 = struct fs_stat
 * FS_FSTAT (idempotent): w0 = handle; reply as FS_STAT
 * FS_READDIR (idempotent): w0 = a directory's handle, w1 = cookie (0 first)
 *   reply:   w0 = the next cookie, w1..w5 = struct fs_stat, bytes = the
 *            name (UTF-8, NUL-terminated); E_NOENT past the last entry
 * FS_READDIR_MANY (idempotent): w0 = a directory's handle, w1 = cookie
 *   reply:   w0 = the cookie after the last entry sent, w1 = how many,
 *            w2 = 1 if the directory ends after them; bytes = that many
 *            records, each a struct fs_dirent_rec (the cookie after this
 *            entry, its stat, the name's bytes with its NUL) followed by
 *            the name and padded to 8 bytes: as many as fit the IPC buffer
 *            (at least one unless the directory ends). Past the last entry:
 *            0 records, w2 = 1. fs_readdir uses it and hands the records
 *            out one by one (a listing costs one call per bufferful).
 * A read-only volume (servers/ext2) answers E_ROFS to FS_WRITE, FS_TRUNCATE,
 * the methods below that change names, and FS_OPEN with FS_O_TRUNC or one
 * that would create.
 * FS_MKDIR, FS_UNLINK, FS_RMDIR: bytes = path. Not idempotent: after
 *   E_RESTARTED the stub resends, and takes E_EXISTS (mkdir) or E_NOENT
 *   (unlink, rmdir) from the resend as success.
 * FS_RENAME: bytes = from, NUL, to, NUL. Resent like mkdir; E_NOENT on the
 *   resend is success.
 * FS_TRUNCATE (idempotent): w0 = handle, w1 = size
 * FS_FSYNC (idempotent): w0 = handle. Everything written through any handle
 *   is on the medium when it returns (the whole volume is synced).
 * FS_SYNC (idempotent): everything on the medium.
 * FS_STATFS (idempotent): reply w0..w4 = struct fs_statfs, bytes = the label
 * FS_SETTIME (idempotent): w0 = the modification time as fs_stat.modified
 *   (FAT date << 16 | time) or FS_TIME_NOW (the server's clock), bytes =
 *   path. FAT sets the access date to that date too. E_INVAL for a stamp
 *   that is no real date and time, or the root (it has no times); E_ROFS
 *   on a read-only volume.
 * FS_INSTANCE (idempotent): reply w0 = a number that differs between
 *   instances of the server (never 0); E_NOSYS from one that does not say.
 *
 * Recovery: the server keeps nothing but the volume, which is on disk. A
 * new instance knows no handles and no buffers; the client library (struct
 * fs_client) remembers each open file's path and flags, and after
 * E_RESTARTED, or E_BADHANDLE/E_NOENT from a new instance, attaches its
 * buffer again, reopens the file by path (without FS_O_CREATE, FS_O_EXCL
 * and FS_O_TRUNC) and resends; offsets travel with each request, so none
 * is lost. Data written before a successful FS_FSYNC or FS_SYNC survives
 * a crash of the server; data written after it may not: so fs_fsync
 * returns E_RESTARTED when the server was restarted since the file's first
 * write after its last good fsync (the caller writes those bytes again and
 * syncs again), and E_OK only when every such write is on the medium.
 * fs_sync likewise: a restart that no call noticed (the server died while
 * the client was idle) is found by asking FS_INSTANCE before the first
 * change since the last sync and again after the sync; if the instance
 * changed, or the sync itself was resent to a new instance, fs_sync
 * returns E_RESTARTED: changes made since the last good sync (writes,
 * creates, renames, deletes, times) may be lost and must be made again.
 * A good fs_fsync (the whole volume) settles them too when the instance is
 * still the one that took them, or when they were only writes to that
 * file (its own answer then covered them).
 *
 * A server that is up but has no volume yet (ext2 probing its disks after
 * a start or restart) answers E_NOVOLUME to every call that needs one; the
 * library waits a little and resends (20 ms doubling to 320 ms, at most
 * FS_NOVOLUME_WAIT or the client's timeout), also while it reopens files
 * after a restart, so a reopen does not take "no volume yet" for "gone".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/errors.h"
#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define FS_PROTOCOL_BASE PROTOCOL_BASE(fs)
#define FS_ATTACH	 (FS_PROTOCOL_BASE + 0x01)
#define FS_OPEN		 (FS_PROTOCOL_BASE + 0x02)
#define FS_CLOSE	 (FS_PROTOCOL_BASE + 0x03)
#define FS_READ		 (FS_PROTOCOL_BASE + 0x04)
#define FS_WRITE	 (FS_PROTOCOL_BASE + 0x05)
#define FS_STAT		 (FS_PROTOCOL_BASE + 0x06)
#define FS_FSTAT	 (FS_PROTOCOL_BASE + 0x07)
#define FS_READDIR	 (FS_PROTOCOL_BASE + 0x08)
#define FS_MKDIR	 (FS_PROTOCOL_BASE + 0x09)
#define FS_UNLINK	 (FS_PROTOCOL_BASE + 0x0A)
#define FS_RMDIR	 (FS_PROTOCOL_BASE + 0x0B)
#define FS_RENAME	 (FS_PROTOCOL_BASE + 0x0C)
#define FS_TRUNCATE	 (FS_PROTOCOL_BASE + 0x0D)
#define FS_FSYNC	 (FS_PROTOCOL_BASE + 0x0E)
#define FS_SYNC		 (FS_PROTOCOL_BASE + 0x0F)
#define FS_STATFS	 (FS_PROTOCOL_BASE + 0x10)
#define FS_SETTIME	 (FS_PROTOCOL_BASE + 0x11)
#define FS_INSTANCE	 (FS_PROTOCOL_BASE + 0x12)
#define FS_READDIR_MANY	 (FS_PROTOCOL_BASE + 0x13)

#define FS_O_CREATE 0x1u /* create a file if the path names nothing */
#define FS_O_EXCL   0x2u /* with FS_O_CREATE: fail with E_EXISTS if it exists */
#define FS_O_TRUNC  0x4u /* cut the file to 0 bytes */
#define FS_O_DIR    0x8u /* the path must be a directory (E_NOTDIR otherwise) */
#define FS_O_ALL    0xFu

#define FS_TIME_NOW UINT64_MAX /* FS_SETTIME: the server's clock now */

#define FS_PATH_MAX	 1024	       /* bytes of a path with its NUL */
#define FS_NAME_BYTES	 766	       /* a name (255 UTF-16 units) in UTF-8 with its NUL */
#define FS_IO_MAX	 (16u << 20)   /* bytes one read or write may name */
#define FS_BUFFER_MAX	 (16ull << 20) /* the largest buffer a client may attach */
#define FS_HANDLES_MAX	 32	       /* open handles per client */
#define FS_CLIENTS_MAX	 32	       /* clients with a buffer or handles at once */
#define FS_ATTEMPTS	 4	       /* how often the client library resends */
#define FS_NAME_PREFIX	 "fs"	       /* endpoints: fs0, fs1, ... */
#define FS_NOVOLUME_WAIT (3000ull * 1000 * 1000) /* how long the library resends on E_NOVOLUME */

#define FS_STAT_DIR  0x100u /* in fs_stat.attr, beside the FAT attribute bits */
#define FS_STAT_LINK 0x200u /* a symlink (ext2: FS_STAT shows it, FS_OPEN follows it) */
#define FS_TYPE_EXT2 2	    /* fs_statfs.type of an ext2 volume (FAT: 12, 16, 32) */

struct fs_stat {
	uint64_t size;
	uint64_t attr; /* FS_STAT_DIR | FS_STAT_LINK | FAT's attribute bits; ext2: 0x01 (read-only)
			  and the inode's Unix mode in bits 16-31 */
	uint64_t modified; /* FAT date << 16 | time: bits 31-25 year-1980, 24-21 month, ... */
	uint64_t created;  /* likewise */
	uint64_t accessed; /* FAT date << 16 */
};

struct fs_statfs {
	uint64_t type; /* 12, 16, 32 for FAT, FS_TYPE_EXT2 */
	uint64_t block_size;
	uint64_t blocks;
	uint64_t free_blocks;
	uint64_t sector_size;
};

struct fs_io_request {
	uint64_t handle;
	uint64_t offset;
	uint64_t count;
	uint64_t buffer_offset;
};

/* FS_READDIR_MANY's record; the name follows, and the next record at the next 8-byte boundary. */
struct fs_dirent_rec {
	uint64_t cookie; /* the cookie after this entry */
	struct fs_stat st;
	uint64_t name_bytes; /* with its NUL, 1 .. FS_NAME_BYTES */
};
#define FS_DIRENT_SIZE(name_bytes) ((sizeof(struct fs_dirent_rec) + (name_bytes) + 7) & ~(size_t)7)

_Static_assert(sizeof(struct fs_stat) == 5 * sizeof(uint64_t), "5 words");
_Static_assert(sizeof(struct fs_dirent_rec) == 7 * sizeof(uint64_t), "7 words");
_Static_assert(FS_DIRENT_SIZE(FS_NAME_BYTES) <= IPC_BUF_BYTES, "a longest name fits a reply");
_Static_assert(sizeof(struct fs_statfs) == 5 * sizeof(uint64_t), "5 words");
_Static_assert(sizeof(struct fs_io_request) == 4 * sizeof(uint64_t), "4 words");

/* ---- the client library ---- */

#define FS_CLIENT_FILES 16 /* files one fs_client keeps open */

/* A file the client library opened: what it needs to open it again. */
struct fs_file {
	bool used;
	bool unsynced;	 /* written since its last good fsync */
	uint32_t flags;	 /* as opened, less the once-only ones */
	uint64_t remote; /* the server's handle */
	uint64_t since;	 /* the client's generation at its first unsynced write */
	char path[FS_PATH_MAX];
};

/*
 * Directory entries fetched by FS_READDIR_MANY and not yet handed out by
 * fs_readdir: for one open file (fd) of one server instance (generation),
 * the records from byte `pos` on, the first of them at cookie `at`.
 */
struct fs_dir_batch {
	bool held;
	int fd;
	uint64_t generation;
	uint64_t at;
	uint32_t pos, used;
	bool end; /* the directory ends after the last record */
	uint8_t bytes[IPC_BUF_BYTES];
};

/*
 * A client's connection to one filesystem: its endpoint, the buffer it
 * attaches (mapped at `data` in the client, `buffer_size` bytes) and its
 * open files. Stubs attach on first use and again after a restart.
 */
struct fs_client {
	handle_t ep;
	handle_t buffer;
	uint8_t *data;
	uint64_t buffer_size;
	bool attached;
	uint64_t timeout;
	int attempts;	     /* FS_ATTEMPTS unless set */
	uint64_t reopened;   /* files opened again after a restart (for tests) */
	uint64_t generation; /* server instances seen to restart */
	bool changed;	     /* something was changed since the last good fs_sync */
	bool changed_other;  /* and not only by writes to files still open */
	uint64_t instance;   /* FS_INSTANCE before that first change (0: unknown) */
	struct fs_file files[FS_CLIENT_FILES];
	struct fs_dir_batch dir; /* readdir.c */
};

/*
 * The stubs: E_OK or an error (E_PROTO for a reply of the wrong shape).
 * A file is a small number `fd` in c->files.
 */
long fs_attach(struct fs_client *c);
/*
 * Set c up for the filesystem `endpoint` (looked up through "ns"), with a
 * buffer of `bytes` made and mapped at va; a connected client (c->ep set)
 * is left as it is. connect.c, target only.
 */
long fs_connect(struct fs_client *c, const char *endpoint, uintptr_t va, uint64_t bytes,
		uint64_t timeout);
long fs_open(struct fs_client *c, const char *path, uint32_t flags, int *fd, struct fs_stat *st);
long fs_close(struct fs_client *c, int fd);
/*
 * Bytes at a file offset, through the attached buffer, in as many requests as needed.
 * With dst (src) the buffer itself, c->data, and len at most its size, nothing is copied.
 */
long fs_read(struct fs_client *c, int fd, uint64_t off, void *dst, uint64_t len, uint64_t *done);
long fs_write(struct fs_client *c, int fd, uint64_t off, const void *src, uint64_t len,
	      uint64_t *done);
long fs_stat(struct fs_client *c, const char *path, struct fs_stat *st);
long fs_fstat(struct fs_client *c, int fd, struct fs_stat *st);
/*
 * The entry at *cookie (0: the first) and the cookie after it; E_NOENT past
 * the last. Served from a batch (FS_READDIR_MANY), so a listing made by
 * this client sees the directory as it was when the batch was read; any
 * change through this client drops the batch.
 */
long fs_readdir(struct fs_client *c, int fd, uint64_t *cookie, struct fs_stat *st,
		char name[FS_NAME_BYTES]);
long fs_mkdir(struct fs_client *c, const char *path);
long fs_unlink(struct fs_client *c, const char *path);
long fs_rmdir(struct fs_client *c, const char *path);
long fs_rename(struct fs_client *c, const char *from, const char *to);
long fs_truncate(struct fs_client *c, int fd, uint64_t size);
long fs_fsync(struct fs_client *c, int fd);
long fs_sync(struct fs_client *c);
long fs_statfs(struct fs_client *c, struct fs_statfs *out, char label[12]);
/* The file's modification (and FAT access) time: a FAT stamp or FS_TIME_NOW. */
long fs_settime(struct fs_client *c, const char *path, uint64_t stamp);
long fs_instance(struct fs_client *c, uint64_t *instance);

/*
 * A whole file into a memory object of its own (object.c, target only): how
 * fs_read_object reads. The object is mapped at va (a free range of the
 * caller's, max rounded up to pages) only while it is filled; check, if set,
 * sees the bytes there and its error refuses the file (the loader's ELF magic).
 */
struct fs_object_read {
	uint64_t max; /* the largest file taken */
	uintptr_t va;
	long (*check)(const void *bytes, uint64_t size);
};
/*
 * The file at path (opened for reading and closed again) into a new memory
 * object, *image, holding its *size bytes. E_ISDIR for a directory, E_RANGE
 * for an empty file or one over how->max, E_IO when it reads shorter than
 * it said (it changed under us); on an error no object is left. *size is the
 * file's size whenever the file could be opened (0 otherwise).
 */
long fs_read_object(struct fs_client *c, const char *path, const struct fs_object_read *how,
		    handle_t *image, uint64_t *size);

/* ---- the server side: requests checked, then the ops ---- */

enum fs_dir { FS_DIR_READ, FS_DIR_WRITE };

struct fs_ops {
	long (*attach)(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size);
	/* The size of badge's buffer, 0 if it has none. */
	uint64_t (*buffer_size)(void *ctx, uint64_t badge);
	long (*open)(void *ctx, uint64_t badge, const char *path, uint32_t flags, uint64_t *handle,
		     struct fs_stat *st);
	long (*close)(void *ctx, uint64_t badge, uint64_t handle);
	/* The range is inside badge's buffer (checked); *done bytes moved. */
	long (*io)(void *ctx, uint64_t badge, enum fs_dir dir, const struct fs_io_request *rq,
		   uint64_t *done);
	/*
	 * Optional, in place of buffer_size and io for FS_READ and FS_WRITE: one
	 * look-up of badge's client for both. Before anything else it must put
	 * rq through fs_check_io against that client's buffer (0: none) and fail
	 * with its error; then as io.
	 */
	long (*io_checking)(void *ctx, uint64_t badge, enum fs_dir dir,
			    const struct fs_io_request *rq, uint64_t *done);
	long (*stat)(void *ctx, const char *path, struct fs_stat *st);
	long (*fstat)(void *ctx, uint64_t badge, uint64_t handle, struct fs_stat *st);
	long (*readdir)(void *ctx, uint64_t badge, uint64_t handle, uint64_t *cookie,
			struct fs_stat *st, char name[FS_NAME_BYTES]);
	/*
	 * FS_READDIR_MANY's records from *cookie on in one go (NULL: readdir is
	 * called per entry): put with fs_dirent_put into out (cap bytes), *count
	 * of them in *used bytes, *cookie after the last. E_OK: out is full;
	 * E_NOENT: the directory ends after them; an error ends the batch.
	 */
	long (*readdir_many)(void *ctx, uint64_t badge, uint64_t handle, uint64_t *cookie,
			     uint8_t *out, uint32_t cap, uint32_t *used, uint64_t *count);
	long (*mkdir)(void *ctx, const char *path);
	long (*unlink)(void *ctx, const char *path);
	long (*rmdir)(void *ctx, const char *path);
	long (*rename)(void *ctx, const char *from, const char *to);
	long (*truncate)(void *ctx, uint64_t badge, uint64_t handle, uint64_t size);
	long (*fsync)(void *ctx, uint64_t badge, uint64_t handle);
	long (*sync)(void *ctx);
	long (*statfs)(void *ctx, struct fs_statfs *out, char label[12]);
	/* The client with this badge is gone: free its handles and buffer. */
	void (*client_gone)(void *ctx, uint64_t badge);
	/* FS_SETTIME (NULL: E_NOSYS). */
	long (*settime)(void *ctx, const char *path, uint64_t stamp);
};

struct fs_server {
	const struct fs_ops *ops;
	void *ctx;
	uint64_t instance; /* FS_INSTANCE's answer, set by the server at start (0: E_NOSYS) */
	/* A notification bound to the endpoint arrived with these bits (NULL: ignored). */
	void (*on_notify)(void *ctx, uint64_t bits);
};

/* A server for ep dispatching into fs (which must outlive it). */
struct server fs_server(handle_t ep, struct fs_server *fs);
/* Append a FS_READDIR_MANY record (name: len bytes, no NUL) at *used if it fits in cap. */
bool fs_dirent_put(uint8_t *out, uint32_t cap, uint32_t *used, uint64_t cookie,
		   const struct fs_stat *st, const char *name, size_t len);
/*
 * The check the decode makes of a read or write against a buffer of
 * buffer_size (an io_checking op makes it itself). Inline: it is on every
 * request's path.
 */
static inline long fs_check_io(uint64_t buffer_size, const struct fs_io_request *rq)
{
	if (rq->count > FS_IO_MAX)
		return E_INVAL;
	if (buffer_size == 0)
		return E_NOENT;
	if (rq->buffer_offset > buffer_size || rq->count > buffer_size - rq->buffer_offset)
		return E_RANGE;
	return E_OK;
}
