/* SPDX-License-Identifier: MIT */
/*
 * A whole file by path into a memory object (sys/vfs.h, vfs_read_object):
 * the path resolved to its mount, then the fs client library's
 * fs_read_object on that mount's client. Target only, like object.c of
 * proto/fs; the host test of that file (unit-fs_object) covers this too.
 */
#include "sys/errors.h"
#include "vfs_impl.h"

long vfs_read_object(const char *path, const struct fs_object_read *how, handle_t *image,
		     uint64_t *size)
{
	struct vfs_where w;
	long err = vfs_where(path, &w);

	*size = 0;
	if (err != E_OK)
		return err;
	if (w.mount < 0)
		return E_ISDIR; /* "/mnt", the library's own listing */
	return fs_read_object(w.c, w.rest, how, image, size);
}
