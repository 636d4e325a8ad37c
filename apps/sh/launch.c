/* SPDX-License-Identifier: MIT */
/*
 * Starting one program for sh: a name with a '/' is a path (against PWD);
 * any other is looked for in each directory of PATH (default /bin),
 * through the path library (sys/vfs.h). Its file goes to the loader in an
 * exec session with the named handles "parent" (the loader, so it can
 * start programs too), "stdin", "stdout", "stderr" (stream ends,
 * sys/stdio.h) and "env" (the environment, stdlib.h). Errors are reported on stderr, one line each.
 *
 * A bare name that no PATH directory gives (the disk's filesystem stopped
 * or restarting, or no disk at all) is asked of the loader by name, which
 * knows its boot modules: so svc, ps and kill still work on a console whose
 * disk is gone, which is when a user needs them.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/loader.h"
#include "sh.h"
#include "sys/errors.h"
#include "sys/spawn.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define EXEC_TIMEOUT (5000 * MS)

/* Try dir/name: E_NOENT to go on to the next directory. */
static long load_in(const char *dir, const char *name, handle_t *image, uint64_t *size)
{
	char path[FS_PATH_MAX], joined[FS_PATH_MAX];

	if (strlen(dir) + strlen(name) + 2 > sizeof(joined))
		return E_RANGE;
	strlcpy(joined, dir, sizeof(joined));
	strlcat(joined, "/", sizeof(joined));
	strlcat(joined, name, sizeof(joined));
	long err = sh_path(joined, path, sizeof(path));
	return err ? err : sh_load(path, image, size);
}

static size_t strcspn_local(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

static long find_program(const char *name, handle_t *image, uint64_t *size)
{
	const char *path = getenv("PATH");
	char dir[FS_PATH_MAX];

	if (strchr(name, '/'))
		return load_in("", name, image, size);
	for (const char *p = path ? path : "/bin"; *p;) {
		size_t n = strcspn_local(p, ":");
		if (n > 0 && n < sizeof(dir)) {
			memcpy(dir, p, n);
			dir[n] = '\0';
			long err = load_in(dir, name, image, size);
			if (err != E_NOENT && err != E_NOTDIR)
				return err;
		}
		p += n + (p[n] == ':');
	}
	return E_NOENT;
}

static void report(const char *name, long err, int elf_err)
{
	if (err == E_NOENT)
		dprintf(2, "sh: %s: command not found\n", name);
	else if (err == E_INVAL && elf_err)
		dprintf(2, "sh: %s: not a program (ELF error %d)\n", name, elf_err);
	else if (err == E_ISDIR || err == E_NOEXEC)
		dprintf(2, "sh: %s: %s\n", name, vfs_strerror(err));
	else
		dprintf(2, "sh: %s: cannot start: %s\n", name, sys_error_name(err));
}

long sh_launch(const struct sh_cmd *c, const struct sh_stdio *io)
{
	static const char *const names[3] = {"stdin", "stdout", "stderr"};
	struct loader_exec_handle hs[5];
	uint32_t n = 0;
	handle_t image = HANDLE_INVALID, env = HANDLE_INVALID;
	uint64_t size = 0;
	int elf_err = 0;

	long err = find_program(c->argv[0], &image, &size);
	bool by_name = err != E_OK && !strchr(c->argv[0], '/');
	if (err != E_OK && !by_name) {
		report(c->argv[0], err, 0);
		return err;
	}
	hs[n++] = (struct loader_exec_handle){"parent", sh.loader};
	for (int i = 0; i < 3; i++)
		if (io->h[i] != HANDLE_INVALID)
			hs[n++] = (struct loader_exec_handle){names[i], io->h[i]};
	if (env_object(&env) == E_OK)
		hs[n++] = (struct loader_exec_handle){"env", env};
	const char *base = strrchr(c->argv[0], '/');
	const struct loader_exec_args x = {
		.image = image,
		.size = size,
		.program = base ? base + 1 : c->argv[0],
		.argc = c->argc - 1,
		.argv = (const char *const *)c->argv + 1,
		.priority = SPAWN_DEFAULT_PRIORITY,
		.handle_count = n,
		.handles = hs,
		.timeout = EXEC_TIMEOUT,
	};
	long p = by_name ? loader_exec_path(sh.loader, &x, &elf_err)
			 : loader_exec(sh.loader, &x, &elf_err);
	if (!by_name)
		sys_handle_close(image);
	else if (p == E_NOENT || p == E_TIMEOUT || p == E_RESTARTED)
		p = err; /* the loader knows it no better: the PATH search's error */
	if (env != HANDLE_INVALID)
		sys_handle_close(env);
	if (p < 0)
		report(c->argv[0], p, elf_err);
	return p;
}
