/* SPDX-License-Identifier: MIT */
/*
 * What file tools share beyond the single calls (sys/vfs.h): the target of
 * a copy or move ("DIR/name" when the destination is a directory) and a
 * whole file copied, across volumes too, through a buffer of the caller's.
 */
#include <string.h>

#include "sys/errors.h"
#include "vfs_impl.h"

long vfs_target(const char *src, const char *dst, char *out, size_t size)
{
	struct fs_stat st;
	char abs[VFS_PATH_MAX];
	long err = vfs_abspath(src, abs, sizeof(abs));

	if (err != E_OK)
		return err;
	if (vfs_stat(dst, &st) != E_OK || !(st.attr & FS_STAT_DIR))
		return vfs_abspath(dst, out, size);
	const char *base = strrchr(abs, '/') + 1;
	if (!*base)
		return E_INVAL; /* "/" itself */
	err = vfs_abspath(dst, out, size);
	size_t n = err == E_OK ? strlen(out) : 0, b = strlen(base);
	if (n == 1)
		n = 0; /* "/" + the name */
	if (err == E_OK && n + 1 + b + 1 > size)
		err = E_NAMETOOLONG;
	if (err == E_OK) {
		out[n] = '/';
		memcpy(out + n + 1, base, b + 1);
	}
	return err;
}

/* Bytes of in into out, from offset 0 to the end of in. */
static long pump(int in, int out, void *buf, size_t size)
{
	for (;;) {
		long got = vfs_read(in, buf, size);
		if (got <= 0)
			return got;
		long put = vfs_write(out, buf, (size_t)got);
		if (put < 0)
			return put;
	}
}

long vfs_copy_file(const char *from, const char *to, void *buf, size_t size)
{
	int in = vfs_open(from, VFS_O_READ);
	struct fs_stat st;

	if (in < 0)
		return in;
	long err = vfs_fstat(in, &st);
	if (err == E_OK && (st.attr & FS_STAT_DIR))
		err = E_ISDIR;
	int out = err == E_OK ? vfs_open(to, VFS_O_WRITE | VFS_O_CREATE | VFS_O_TRUNC) : (int)err;
	if (out < 0) {
		vfs_close(in);
		return out;
	}
	err = pump(in, out, buf, size);
	long fsync = vfs_fsync(out);
	vfs_close(in);
	vfs_close(out);
	return err != E_OK ? err : fsync;
}
