/* SPDX-License-Identifier: MIT */
/*
 * Environment variables (getenv, setenv, unsetenv in stdlib.h). A program
 * gets its environment from whoever starts it as the start handle "env": a
 * memory object holding NAME=value strings, each ending in a NUL, with an
 * empty string (or the object's end) after the last. It is read at the
 * first use, every entry checked (a NAME, then '=', then a value, all
 * within ENV_BYTES); what does not fit that is skipped. env_object packs
 * the current set into a new object for a child.
 */
#include <stdlib.h>
#include <string.h>

#include "sys/errors.h"
#include "sys/lock.h"
#include "sys/start.h"
#include "sys/sys.h"

#define ENV_MAX	  64
#define ENV_BYTES 4096u
#define ENV_VA	  0x00006a0000000000ull /* where the given object is read */

static char *vars[ENV_MAX];
static int loaded;
static struct sys_lock env_lock;

static size_t name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? (size_t)(eq - entry) : strlen(entry);
}

static int find(const char *name, size_t n)
{
	for (int i = 0; i < ENV_MAX; i++)
		if (vars[i] && name_len(vars[i]) == n && strncmp(vars[i], name, n) == 0)
			return i;
	return -1;
}

/* Put a copy of entry ("NAME=value") in the table, replacing its name's old one. */
static long put(const char *entry, size_t len)
{
	int i = find(entry, name_len(entry));
	char *copy = malloc(len + 1);

	if (!copy)
		return E_NOMEM;
	for (int j = 0; i < 0 && j < ENV_MAX; j++)
		if (!vars[j])
			i = j;
	if (i < 0) {
		free(copy);
		return E_NOSPACE;
	}
	memcpy(copy, entry, len);
	copy[len] = '\0';
	free(vars[i]);
	vars[i] = copy;
	return E_OK;
}

static void load_from(const char *p, size_t size)
{
	size_t at = 0;

	while (at < size && p[at]) {
		size_t len = strnlen(p + at, size - at);
		if (at + len == size)
			return; /* no NUL before the end */
		if (len > 1 && p[at] != '=' && memchr(p + at, '=', len))
			put(p + at, len);
		at += len + 1;
	}
}

static void load(void)
{
	uint32_t size = 0;
	handle_t h;

	loaded = 1;
	if ((h = start_handle("env", &size)) == HANDLE_INVALID)
		return;
	if (size == 0 || size > ENV_BYTES)
		size = ENV_BYTES;
	if (sys_mobj_map(HANDLE_SELF, h, ENV_VA, 0, ENV_BYTES, R_READ) < 0)
		return;
	load_from((const char *)ENV_VA, size);
	sys_unmap(HANDLE_SELF, ENV_VA, ENV_BYTES);
}

static void lock_env(void)
{
	sys_lock(&env_lock);
	if (!loaded)
		load();
}

char *getenv(const char *name)
{
	lock_env();
	int i = find(name, strlen(name));
	char *v = i < 0 ? NULL : vars[i] + strlen(name) + 1;
	sys_unlock(&env_lock);
	return v;
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t n = strlen(name), v = strlen(value);

	if (n == 0 || strchr(name, '=') || n + v + 2 > ENV_BYTES)
		return E_INVAL;
	char *entry = malloc(n + v + 2);
	if (!entry)
		return E_NOMEM;
	memcpy(entry, name, n);
	entry[n] = '=';
	memcpy(entry + n + 1, value, v + 1);
	lock_env();
	long err = overwrite || find(name, n) < 0 ? put(entry, n + v + 1) : E_OK;
	sys_unlock(&env_lock);
	free(entry);
	return (int)err;
}

int unsetenv(const char *name)
{
	lock_env();
	int i = find(name, strlen(name));
	if (i >= 0) {
		free(vars[i]);
		vars[i] = NULL;
	}
	sys_unlock(&env_lock);
	return 0;
}

/* The entries one after another, each with its NUL; the bytes used (what fits in cap). */
static size_t pack(char *buf, size_t cap)
{
	size_t at = 0;

	for (int i = 0; i < ENV_MAX; i++) {
		size_t len = vars[i] ? strlen(vars[i]) + 1 : 0;
		if (!len || at + len + 1 > cap)
			continue;
		memcpy(buf + at, vars[i], len);
		at += len;
	}
	buf[at] = '\0';
	return at + 1;
}

long env_object(handle_t *out)
{
	long m = sys_mobj_create(ENV_BYTES, 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, ENV_VA, 0, ENV_BYTES, R_READ | R_WRITE);
	if (err < 0) {
		sys_handle_close((handle_t)m);
		return err;
	}
	lock_env();
	pack((char *)ENV_VA, ENV_BYTES);
	sys_unlock(&env_lock);
	sys_unmap(HANDLE_SELF, ENV_VA, ENV_BYTES);
	*out = (handle_t)m;
	return E_OK;
}
