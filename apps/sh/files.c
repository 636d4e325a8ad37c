/* SPDX-License-Identifier: MIT */
/*
 * sh's files, through the path library (sys/vfs.h), so every volume is
 * reachable: "/" is fs0 and the others are under /mnt. The library is
 * not thread-safe and sh has threads (the redirection pumps), so every
 * vfs call is made under sh_fs_lock. Paths are made absolute against PWD
 * here, since PWD (not the library's own directory) is what cd changes.
 * A program's file is read into a memory object for the loader.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/loader.h"
#include "sh.h"
#include "sys/errors.h"
#include "sys/lock.h"
#include "sys/sys.h"

#define IMAGE_VA 0x0000630000000000ull
#define PAGE	 4096u

static struct sys_lock fs_lock;

void sh_fs_lock(void)
{
	sys_lock(&fs_lock);
}

void sh_fs_unlock(void)
{
	sys_unlock(&fs_lock);
}

long sh_path(const char *name, char *out, size_t size)
{
	const char *pwd = getenv("PWD");

	return vfs_path_join(pwd && pwd[0] == '/' ? pwd : "/", name, out, size);
}

long sh_stat(const char *path, struct fs_stat *st)
{
	sh_fs_lock();
	long err = vfs_stat(path, st);
	sh_fs_unlock();
	return err;
}

/* Call with the lock held. */
static long read_into(int fd, uint64_t size, handle_t *image)
{
	uint64_t bytes = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	long m = sys_mobj_create(bytes, 0);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, IMAGE_VA, 0, bytes,
					R_READ | R_WRITE);

	if (err == E_OK) {
		long done = vfs_pread(fd, (void *)IMAGE_VA, size, 0);
		sys_unmap(HANDLE_SELF, IMAGE_VA, bytes);
		err = done < 0 ? done : (uint64_t)done != size ? E_IO : E_OK; /* E_IO: it shrank */
	}
	if (err != E_OK && m >= 0)
		sys_handle_close((handle_t)m);
	if (err == E_OK)
		*image = (handle_t)m;
	return err;
}

long sh_load(const char *path, handle_t *image, uint64_t *size)
{
	struct fs_stat st;

	sh_fs_lock();
	long err = vfs_open(path, VFS_O_READ);
	int fd = (int)err;
	if (fd >= 0) {
		err = vfs_fstat(fd, &st);
		if (err == E_OK && (st.attr & FS_STAT_DIR))
			err = E_ISDIR;
		else if (err == E_OK && (st.size == 0 || st.size > LOADER_MAX_IMAGE))
			err = E_RANGE;
		else if (err == E_OK)
			err = read_into(fd, st.size, image);
		vfs_close(fd);
	}
	sh_fs_unlock();
	if (err == E_OK)
		*size = st.size;
	return err;
}
