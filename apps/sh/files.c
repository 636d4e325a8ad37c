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

#define IMAGE_VA 0x0000630000000000ull /* where a program's file is read into */

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

long sh_load(const char *path, handle_t *image, uint64_t *size)
{
	const struct fs_object_read how = {.max = LOADER_MAX_IMAGE, .va = IMAGE_VA};

	sh_fs_lock();
	long err = vfs_read_object(path, &how, image, size);
	sh_fs_unlock();
	return err;
}
