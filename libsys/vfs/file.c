/* SPDX-License-Identifier: MIT */
/*
 * The path library's file descriptors (sys/vfs.h): a descriptor is a file
 * of one mount's fs client with an offset and the flags it was opened
 * with; read and write go through the client's buffer (proto/fs.h), which
 * also reopens the file after a server restart.
 */
#include <string.h>

#include "sys/errors.h"
#include "vfs_impl.h"

struct vfs_file *vfs_file_get(int fd, enum vfs_kind kind)
{
	if (fd < 0 || fd >= VFS_FILES || vfs_state.files[fd].kind == VFS_FREE)
		return NULL;
	struct vfs_file *f = &vfs_state.files[fd];
	return kind == VFS_FREE || f->kind == kind ? f : NULL;
}

int vfs_file_new(void)
{
	for (int i = 0; i < VFS_FILES; i++)
		if (vfs_state.files[i].kind == VFS_FREE)
			return i;
	return -1;
}

static struct fs_client *client_of(const struct vfs_file *f)
{
	return vfs_state.mounts[f->mount].c;
}

static uint32_t fs_flags(unsigned flags)
{
	return (flags & VFS_O_CREATE ? FS_O_CREATE : 0) | (flags & VFS_O_EXCL ? FS_O_EXCL : 0) |
	       (flags & VFS_O_TRUNC ? FS_O_TRUNC : 0) | (flags & VFS_O_DIR ? FS_O_DIR : 0);
}

static long check_flags(unsigned flags)
{
	if (flags & ~VFS_O_ALL)
		return E_INVAL;
	if ((flags & (VFS_O_TRUNC | VFS_O_APPEND)) && !(flags & VFS_O_WRITE))
		return E_INVAL;
	if ((flags & VFS_O_DIR) && (flags & (VFS_O_WRITE | VFS_O_CREATE)))
		return E_ISDIR;
	return E_OK;
}

/* The listing of "/mnt": a descriptor of the library's own. */
static int open_mnt_dir(int slot, unsigned flags)
{
	if (flags & (VFS_O_WRITE | VFS_O_CREATE))
		return E_ISDIR;
	vfs_state.files[slot] = (struct vfs_file){.kind = VFS_MNTDIR, .next_mount = 1};
	return slot;
}

int vfs_open(const char *path, unsigned flags)
{
	struct vfs_where w;
	struct fs_stat st;
	int slot = vfs_file_new(), fd;
	long err = check_flags(flags);

	if (err == E_OK)
		err = vfs_where(path, &w);
	if (err != E_OK)
		return (int)err;
	if (slot < 0)
		return E_NOSPACE;
	if (w.mount < 0)
		return open_mnt_dir(slot, flags);
	err = fs_open(w.c, w.rest, fs_flags(flags), &fd, &st);
	if (err != E_OK)
		return (int)err;
	bool dir = st.attr & FS_STAT_DIR;
	if (dir && (flags & VFS_O_WRITE)) {
		fs_close(w.c, fd);
		return E_ISDIR;
	}
	vfs_state.files[slot] =
		(struct vfs_file){.kind = dir ? VFS_DIR : VFS_FILE,
				  .mount = w.mount,
				  .fd = fd,
				  .flags = flags,
				  .root = dir && w.mount == 0 && !strcmp(w.rest, "/")};
	return slot;
}

long vfs_close(int fd)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FREE);
	long err = E_OK;

	if (!f)
		return E_BADHANDLE;
	if (f->kind != VFS_MNTDIR)
		err = fs_close(client_of(f), f->fd);
	f->kind = VFS_FREE;
	return err;
}

static struct vfs_file *file_for(int fd, unsigned need, long *err)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FREE);

	*err = !f		     ? E_BADHANDLE
	       : f->kind != VFS_FILE ? E_ISDIR
	       : (f->flags & need)   ? E_OK
				     : E_RIGHTS;
	return *err == E_OK ? f : NULL;
}

long vfs_pread(int fd, void *buf, size_t n, uint64_t off)
{
	long err;
	struct vfs_file *f = file_for(fd, VFS_O_READ, &err);
	uint64_t done = 0;

	if (f)
		err = fs_read(client_of(f), f->fd, off, buf, n, &done);
	return err == E_OK ? (long)done : err;
}

long vfs_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	long err;
	struct vfs_file *f = file_for(fd, VFS_O_WRITE, &err);
	uint64_t done = 0;

	if (f)
		err = fs_write(client_of(f), f->fd, off, buf, n, &done);
	return err == E_OK ? (long)done : err;
}

long vfs_read(int fd, void *buf, size_t n)
{
	long got = vfs_pread(fd, buf, n, vfs_file_get(fd, VFS_FREE) ? vfs_state.files[fd].off : 0);

	if (got > 0)
		vfs_state.files[fd].off += (uint64_t)got;
	return got;
}

long vfs_write(int fd, const void *buf, size_t n)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FILE);

	if (f && (f->flags & VFS_O_APPEND)) {
		struct fs_stat st;
		long err = fs_fstat(client_of(f), f->fd, &st);
		if (err != E_OK)
			return err;
		f->off = st.size;
	}
	long put = vfs_pwrite(fd, buf, n, f ? f->off : 0);
	if (put > 0)
		f->off += (uint64_t)put;
	return put;
}

int64_t vfs_lseek(int fd, int64_t off, int whence)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FILE);
	struct fs_stat st;
	int64_t base = 0;

	if (!f)
		return vfs_file_get(fd, VFS_FREE) ? E_ISDIR : E_BADHANDLE;
	if (whence == VFS_SEEK_CUR)
		base = (int64_t)f->off;
	else if (whence == VFS_SEEK_END) {
		long err = fs_fstat(client_of(f), f->fd, &st);
		if (err != E_OK)
			return err;
		base = (int64_t)st.size;
	} else if (whence != VFS_SEEK_SET)
		return E_INVAL;
	if (off < -base || (off > 0 && base > INT64_MAX - off))
		return E_INVAL;
	f->off = (uint64_t)(base + off);
	return (int64_t)f->off;
}

long vfs_ftruncate(int fd, uint64_t size)
{
	long err;
	struct vfs_file *f = file_for(fd, VFS_O_WRITE, &err);

	return f ? fs_truncate(client_of(f), f->fd, size) : err;
}

long vfs_fstat(int fd, struct fs_stat *st)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FREE);

	if (!f)
		return E_BADHANDLE;
	if (f->kind == VFS_MNTDIR) {
		*st = (struct fs_stat){.attr = FS_STAT_DIR};
		return E_OK;
	}
	return fs_fstat(client_of(f), f->fd, st);
}

long vfs_fsync(int fd)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FREE);

	if (!f)
		return E_BADHANDLE;
	return f->kind == VFS_MNTDIR ? E_OK : fs_fsync(client_of(f), f->fd);
}
