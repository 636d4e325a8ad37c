/* SPDX-License-Identifier: MIT */
/*
 * The pure half of the path library (sys/vfs.h): joining a path to the
 * current directory with "." and ".." resolved lexically, and finding the
 * mount an absolute path lies in. No system calls, so the host test runs
 * these exact functions.
 */
#include <string.h>

#include "sys/errors.h"
#include "vfs_impl.h"

/* Append one component of n bytes to the absolute path out (len bytes so far). */
static long push(char *out, size_t size, size_t *len, const char *name, size_t n)
{
	if (n == 1 && name[0] == '.')
		return E_OK;
	if (n == 2 && name[0] == '.' && name[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the '/' before the dropped name */
		out[*len] = '\0';
		return E_OK;
	}
	if (*len + 1 + n + 1 > size)
		return E_NAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, name, n);
	*len += n;
	out[*len] = '\0';
	return E_OK;
}

/* Every component of s, in order. */
static long push_all(char *out, size_t size, size_t *len, const char *s)
{
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		long err = n ? push(out, size, len, s, n) : E_OK;
		if (err != E_OK)
			return err;
		s += n + (slash != NULL);
	}
	return E_OK;
}

long vfs_path_join(const char *cwd, const char *path, char *out, size_t size)
{
	size_t len = 0;
	long err = E_OK;

	if (!path || !out || size < 2)
		return E_INVAL;
	if (!path[0])
		return E_NOENT;
	out[0] = '\0';
	if (path[0] != '/' && cwd)
		err = push_all(out, size, &len, cwd);
	if (err == E_OK)
		err = push_all(out, size, &len, path);
	if (err == E_OK && len == 0)
		vfs_copy(out, "/", size);
	return err;
}

int vfs_path_mount(const char *abs, const char *const *mounts, int count, const char **rest)
{
	int best = -1;
	size_t best_len = 0;

	for (int i = 0; i < count; i++) {
		size_t n = strlen(mounts[i]);
		bool root = n == 1 && mounts[i][0] == '/';
		if (!root && (strncmp(abs, mounts[i], n) != 0 || (abs[n] != '/' && abs[n] != '\0')))
			continue;
		if (best < 0 || n > best_len) {
			best = i;
			best_len = root ? 0 : n;
		}
	}
	if (best >= 0 && rest)
		*rest = abs[best_len] ? abs + best_len : "/";
	return best;
}
