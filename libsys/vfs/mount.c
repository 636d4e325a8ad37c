/* SPDX-License-Identifier: MIT */
/*
 * The path library's mount table and path resolution (sys/vfs.h): mounts
 * are added by discover.c (or a host test): fs0 on first use, the others
 * when a caller needs them (a path under /mnt, the table, "/" listed), a path is made absolute
 * against the current directory and given to the mount with the longest matching mount point.
 * "/mnt" itself, while other volumes are mounted, is the library's own directory listing them
 * (mount -1). A program starts in the directory its PWD names (sh passes
 * it to every child), or "/".
 */
#include <stdlib.h>
#include <string.h>

#include "sys/errors.h"
#include "sys/units.h"
#include "vfs_impl.h"

#define VFS_TIMEOUT (10000 * MS) /* of each fs call unless vfs_set_timeout says */

struct vfs_state vfs_state = {.cwd = "/"};

/* The current directory as the program was started: PWD if absolute (not on the host). */
static const char *cwd(void)
{
	if (!vfs_state.cwd_known) {
		vfs_state.cwd_known = true;
#ifndef HOST_TEST
		const char *pwd = getenv("PWD");
		if (pwd && pwd[0] == '/')
			vfs_set_cwd(pwd);
#endif
	}
	return vfs_state.cwd;
}

/* fs0, looked for on first use: most paths need nothing else. */
static long ensure_mounts(void)
{
	if (vfs_state.count == 0 && !vfs_state.discovered) {
		vfs_state.discovered = true;
		vfs_discover(1);
	}
	return vfs_state.count ? E_OK : E_NOENT;
}

void vfs_mounts_all(void)
{
	ensure_mounts();
	if (!vfs_state.all_discovered) {
		vfs_state.all_discovered = true;
		vfs_discover(VFS_MOUNTS);
	}
}

bool vfs_has_mnt(void)
{
	return vfs_state.count > 1;
}

long vfs_mount_add(const char *at, struct fs_client *c, const char *endpoint, const char *label)
{
	size_t n = at ? strnlen(at, VFS_AT_MAX) : VFS_AT_MAX;

	if (n == VFS_AT_MAX || !c || at[0] != '/' ||
	    (n > 1 && (strncmp(at, VFS_MOUNT_DIR "/", 5) != 0 || n == 5 || strchr(at + 5, '/'))))
		return E_INVAL;
	if (vfs_state.count == VFS_MOUNTS)
		return E_NOSPACE;
	for (int i = 0; i < vfs_state.count; i++)
		if (!strcmp(vfs_state.mounts[i].at, at))
			return E_EXISTS;
	struct vfs_mount *m = &vfs_state.mounts[vfs_state.count++];
	vfs_copy(m->at, at, sizeof(m->at));
	vfs_copy(m->endpoint, endpoint ? endpoint : "", sizeof(m->endpoint));
	vfs_copy(m->label, label ? label : "", sizeof(m->label));
	m->c = c;
	return E_OK;
}

void vfs_reset(void)
{
	memset(&vfs_state, 0, sizeof(vfs_state));
	vfs_copy(vfs_state.cwd, "/", sizeof(vfs_state.cwd));
}

int vfs_mount_count(void)
{
	vfs_mounts_all();
	return vfs_state.count;
}

long vfs_mount_get(int i, struct vfs_mount_info *out)
{
	vfs_mounts_all();
	if (i < 0 || i >= vfs_state.count || !out)
		return E_RANGE;
	const struct vfs_mount *m = &vfs_state.mounts[i];
	vfs_copy(out->at, m->at, sizeof(out->at));
	vfs_copy(out->endpoint, m->endpoint, sizeof(out->endpoint));
	vfs_copy(out->label, m->label, sizeof(out->label));
	return E_OK;
}

void vfs_client_limits(struct fs_client *c)
{
	c->timeout = vfs_state.timeout ? vfs_state.timeout : VFS_TIMEOUT;
	c->attempts = vfs_state.attempts;
}

void vfs_set_timeout(uint64_t timeout, int attempts)
{
	vfs_state.timeout = timeout;
	vfs_state.attempts = attempts;
	for (int i = 0; i < vfs_state.count; i++)
		vfs_client_limits(vfs_state.mounts[i].c);
}

long vfs_mount_refresh(void)
{
	vfs_state.discovered = vfs_state.all_discovered = true;
	return vfs_discover(VFS_MOUNTS);
}

/* Whether abs is "/mnt" or below it: where a volume that came after the discovery would be. */
static bool under_mnt(const char *abs)
{
	size_t n = sizeof(VFS_MOUNT_DIR) - 1;

	return !strncmp(abs, VFS_MOUNT_DIR, n) && (abs[n] == '\0' || abs[n] == '/');
}

/* The mount of w->abs (or -1 for the listing of "/mnt"); false if there is none. */
static bool resolve(struct vfs_where *w)
{
	const char *points[VFS_MOUNTS];

	w->mount = -1, w->rest = w->abs, w->c = NULL;
	if (vfs_has_mnt() && !strcmp(w->abs, VFS_MOUNT_DIR))
		return true;
	for (int i = 0; i < vfs_state.count; i++)
		points[i] = vfs_state.mounts[i].at;
	w->mount = vfs_path_mount(w->abs, points, vfs_state.count, &w->rest);
	w->c = w->mount >= 0 ? vfs_state.mounts[w->mount].c : NULL;
	return w->mount >= 0;
}

long vfs_where(const char *path, struct vfs_where *w)
{
	long err = vfs_path_join(cwd(), path, w->abs, sizeof(w->abs));

	if (err == E_OK)
		err = ensure_mounts();
	if (err != E_OK)
		return err;
	bool mnt = under_mnt(w->abs), looked = mnt && !vfs_state.all_discovered;
	if (looked)
		vfs_mounts_all();
	bool found = resolve(w);
	if (mnt && !looked && w->mount <= 0) { /* a volume started since we looked? */
		vfs_discover(VFS_MOUNTS);
		found = resolve(w);
	}
	return found ? E_OK : E_NOENT;
}

long vfs_abspath(const char *path, char *out, size_t size)
{
	return vfs_path_join(cwd(), path, out, size);
}

long vfs_set_cwd(const char *path)
{
	char abs[VFS_PATH_MAX];
	long err = vfs_path_join(cwd(), path, abs, sizeof(abs));

	if (err == E_OK)
		vfs_copy(vfs_state.cwd, abs, sizeof(vfs_state.cwd));
	return err;
}

long vfs_getcwd(char *buf, size_t size)
{
	if (!buf || !vfs_copy(buf, cwd(), size))
		return E_RANGE;
	return E_OK;
}
