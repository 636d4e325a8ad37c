/* SPDX-License-Identifier: MIT */
/*
 * sh's use of fs0 (proto/fs.h): one client for the whole shell, shared by
 * its threads under a lock; paths made absolute against PWD with "." and
 * ".." folded; and a program's file read into a memory object for the
 * loader.
 */
#include <stdlib.h>
#include <string.h>

#include "../textutil/fs0.h"
#include "proto/loader.h"
#include "sh.h"
#include "sys/errors.h"
#include "sys/lock.h"
#include "sys/sys.h"

#define IMAGE_VA 0x0000630000000000ull
#define PAGE	 4096u

static struct fs_client fsc;
static struct sys_lock fs_lock;

void sh_fs_lock(void)
{
	sys_lock(&fs_lock);
}

void sh_fs_unlock(void)
{
	sys_unlock(&fs_lock);
}

/* Call with the lock held. */
long sh_fs(struct fs_client **out)
{
	*out = &fsc;
	return fs0_connect(&fsc);
}

/* Append one component to out (len used), folding "." and "..". */
static long add_part(char *out, size_t *len, size_t size, const char *part, size_t n)
{
	if (n == 0 || (n == 1 && part[0] == '.'))
		return E_OK;
	if (n == 2 && part[0] == '.' && part[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--; /* the slash before it, but never the root's */
		out[*len] = '\0';
		return E_OK;
	}
	if (*len + n + 2 > size)
		return E_RANGE;
	if (*len > 1 || out[0] != '/')
		out[(*len)++] = '/';
	memcpy(out + *len, part, n);
	*len += n;
	out[*len] = '\0';
	return E_OK;
}

static long add_path(char *out, size_t *len, size_t size, const char *p)
{
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		long err = add_part(out, len, size, p, n);
		if (err)
			return err;
		p += n + (slash ? 1 : 0);
	}
	return E_OK;
}

long sh_path(const char *name, char *out, size_t size)
{
	const char *pwd = getenv("PWD");
	size_t len = 1;

	if (size < 2)
		return E_RANGE;
	strlcpy(out, "/", size);
	long err = name[0] == '/' || !pwd ? E_OK : add_path(out, &len, size, pwd);
	return err ? err : add_path(out, &len, size, name);
}

static long read_into(struct fs_client *c, int fd, uint64_t size, handle_t *image)
{
	uint64_t bytes = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1), done = 0;
	long m = sys_mobj_create(bytes, 0);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, IMAGE_VA, 0, bytes,
					R_READ | R_WRITE);

	if (err == E_OK) {
		err = fs_read(c, fd, 0, (void *)IMAGE_VA, size, &done);
		sys_unmap(HANDLE_SELF, IMAGE_VA, bytes);
		if (err == E_OK && done != size)
			err = E_IO; /* it shrank under us */
	}
	if (err != E_OK && m >= 0)
		sys_handle_close((handle_t)m);
	if (err == E_OK)
		*image = (handle_t)m;
	return err;
}

long sh_load(const char *path, handle_t *image, uint64_t *size)
{
	struct fs_client *c;
	struct fs_stat st;
	int fd;

	sh_fs_lock();
	long err = sh_fs(&c);
	if (err == E_OK)
		err = fs_open(c, path, 0, &fd, &st);
	if (err == E_OK) {
		if (st.attr & FS_STAT_DIR)
			err = E_ISDIR;
		else if (st.size == 0 || st.size > LOADER_MAX_IMAGE)
			err = E_RANGE;
		else
			err = read_into(c, fd, st.size, image);
		fs_close(c, fd);
	}
	sh_fs_unlock();
	if (err == E_OK)
		*size = st.size;
	return err;
}
