/* SPDX-License-Identifier: MIT */
/*
 * The path library's calls by path (sys/vfs.h): each resolves its path to
 * a mount and a path inside it and makes one fs call. A mount point itself
 * cannot be removed or renamed (E_BUSY), "/mnt" is the library's own
 * directory, and a rename between two volumes is E_XDEV.
 */
#include <string.h>

#include "sys/errors.h"
#include "vfs_impl.h"

/* Whether w names a mount point or "/mnt", which only the library changes. */
static bool fixed(const struct vfs_where *w)
{
	return w->mount < 0 || !strcmp(w->rest, "/");
}

long vfs_stat(const char *path, struct fs_stat *st)
{
	struct vfs_where w;
	long err = vfs_where(path, &w);

	if (err != E_OK)
		return err;
	if (w.mount < 0) {
		*st = (struct fs_stat){.attr = FS_STAT_DIR};
		return E_OK;
	}
	return fs_stat(w.c, w.rest, st);
}

/* One fs call on path; on a mount point or "/mnt" the answer is `fixed_err` instead. */
static long on_path(const char *path, long (*call)(struct fs_client *, const char *),
		    long fixed_err)
{
	struct vfs_where w;
	long err = vfs_where(path, &w);

	if (err != E_OK)
		return err;
	return fixed(&w) ? fixed_err : call(w.c, w.rest);
}

long vfs_mkdir(const char *path)
{
	return on_path(path, fs_mkdir, E_EXISTS);
}

long vfs_rmdir(const char *path)
{
	return on_path(path, fs_rmdir, E_BUSY);
}

long vfs_unlink(const char *path)
{
	return on_path(path, fs_unlink, E_ISDIR);
}

long vfs_rename(const char *from, const char *to)
{
	static struct vfs_where a, b; /* two paths: kept off the stack */
	long err = vfs_where(from, &a);

	if (err == E_OK)
		err = vfs_where(to, &b);
	if (err != E_OK)
		return err;
	if (fixed(&a) || fixed(&b))
		return E_BUSY;
	if (a.mount != b.mount)
		return E_XDEV;
	return fs_rename(a.c, a.rest, b.rest);
}

long vfs_settime(const char *path, uint64_t stamp)
{
	struct vfs_where w;
	long err = vfs_where(path, &w);

	if (err != E_OK)
		return err;
	return fixed(&w) ? E_BUSY : fs_settime(w.c, w.rest, stamp);
}

long vfs_sync(void)
{
	long first = E_OK;

	if (vfs_mount_count() == 0)
		return E_NOENT;
	for (int i = 0; i < vfs_state.count; i++) {
		long err = fs_sync(vfs_state.mounts[i].c);
		if (first == E_OK)
			first = err;
	}
	return first;
}

long vfs_statfs(const char *path, struct fs_statfs *out, char label[12])
{
	struct vfs_where w;
	long err = vfs_where(path, &w);

	if (err != E_OK)
		return err;
	return w.mount < 0 ? E_ISDIR : fs_statfs(w.c, out, label);
}

long vfs_chdir(const char *path)
{
	struct vfs_where w;
	struct fs_stat st;
	long err = vfs_where(path, &w);

	if (err == E_OK && w.mount >= 0)
		err = fs_stat(w.c, w.rest, &st);
	if (err == E_OK && w.mount >= 0 && !(st.attr & FS_STAT_DIR))
		err = E_NOTDIR;
	if (err == E_OK)
		vfs_copy(vfs_state.cwd, w.abs, sizeof(vfs_state.cwd));
	return err;
}
