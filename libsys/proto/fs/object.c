/* SPDX-License-Identifier: MIT */
/*
 * A whole file read into a memory object of its own (proto/fs.h,
 * fs_read_object): what a program's image is before the loader starts it.
 * The object is made the file's size rounded up to pages, mapped at the
 * caller's scratch address only while the file's bytes are read into it,
 * and handed back; any failure closes it. Target only (it makes kernel
 * objects); the host test supplies those calls.
 */
#include "proto/fs.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define PAGE 4096u

/* The open file's size bytes into the object m, mapped at how->va while they are read. */
static long fill(struct fs_client *c, int fd, handle_t m, uint64_t size,
		 const struct fs_object_read *how)
{
	uint64_t bytes = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1), got = 0;
	long err = sys_mobj_map(HANDLE_SELF, m, how->va, 0, bytes, R_READ | R_WRITE);

	if (err != E_OK)
		return err;
	err = fs_read(c, fd, 0, (void *)how->va, size, &got);
	if (err == E_OK && got != size)
		err = E_IO; /* shorter than it said: it changed under us */
	if (err == E_OK && how->check)
		err = how->check((const void *)how->va, size);
	sys_unmap(HANDLE_SELF, how->va, bytes);
	return err;
}

/* A new object for the open file of size bytes, filled. */
static long read_open(struct fs_client *c, int fd, uint64_t size, const struct fs_object_read *how,
		      handle_t *image)
{
	if (size == 0 || size > how->max)
		return E_RANGE;
	long m = sys_mobj_create((size + PAGE - 1) & ~(uint64_t)(PAGE - 1), 0);
	if (m < 0)
		return m;
	long err = fill(c, fd, (handle_t)m, size, how);
	if (err != E_OK) {
		sys_handle_close((handle_t)m);
		return err;
	}
	*image = (handle_t)m;
	return E_OK;
}

long fs_read_object(struct fs_client *c, const char *path, const struct fs_object_read *how,
		    handle_t *image, uint64_t *size)
{
	struct fs_stat st;
	int fd;
	long err = fs_open(c, path, 0, &fd, &st);

	*size = 0;
	if (err != E_OK)
		return err;
	*size = st.size;
	err = st.attr & FS_STAT_DIR ? E_ISDIR : read_open(c, fd, st.size, how, image);
	fs_close(c, fd);
	return err;
}
