/* SPDX-License-Identifier: MIT */
/*
 * Where the loader finds a program's image (proto/loader.h, LOADER_SPAWN):
 * a boot module by its name, else a file: the name itself when it holds a
 * '/' (a path, taken from "/" when relative), or LOADER_BIN_DIR/NAME (a
 * bare name whose /bin cannot be reached, the disk not answering, is no
 * program: E_NOENT; a path says why: E_TIMEOUT, E_RESTARTED). The
 * file is read by env->load_file (disk.c in the loader, a fake in the host
 * tests) into a memory object of its own, which the caller closes. That
 * reading reuses the loader's IPC buffer, where a request's strings are:
 * they are copied out first (loader_keep_strings).
 */
#include <string.h>

#include "loader.h"
#include "sys/errors.h"

/* A filesystem that does not answer (no disk yet, or fs0 restarting). */
static bool unreachable(long err)
{
	return err == E_TIMEOUT || err == E_RESTARTED || err == E_CLOSED;
}

const char *loader_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

long loader_find_image(const struct loader_env *env, const char *name, struct loader_image *out)
{
	char path[LOADER_PATH_MAX];
	size_t n = strlen(name);

	if (!strchr(name, '/')) {
		out->handle = env->find_module(name, &out->size);
		out->owned = false;
		if (out->handle != HANDLE_INVALID)
			return E_OK;
		if (!env->load_file || sizeof(LOADER_BIN_DIR) + 1 + n > sizeof(path))
			return E_NOENT;
		memcpy(path, LOADER_BIN_DIR "/", sizeof(LOADER_BIN_DIR));
		memcpy(path + sizeof(LOADER_BIN_DIR), name, n + 1);
	} else if (n + 2 > sizeof(path)) {
		return E_NAMETOOLONG;
	} else {
		path[0] = '/'; /* relative to the root: the loader has no current directory */
		memcpy(path + (name[0] != '/'), name, n + 1);
	}
	if (!env->load_file)
		return E_NOENT;
	out->owned = true;
	long err = env->load_file(path, &out->handle, &out->size);
	return !strchr(name, '/') && unreachable(err) ? E_NOENT : err;
}

void loader_keep_strings(const char *program, int argc, const char *const *argv,
			 struct loader_strings *out)
{
	size_t used = 0;

	for (int i = -1; i < argc; i++) {
		const char *from = i < 0 ? program : argv[i];
		size_t n = strlen(from) + 1; /* the decode checked they fit the request */
		memcpy(out->bytes + used, from, n);
		if (i < 0)
			out->program = out->bytes + used;
		else
			out->argv[i] = out->bytes + used;
		used += n;
	}
}
