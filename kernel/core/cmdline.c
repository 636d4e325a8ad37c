/* SPDX-License-Identifier: MIT */
/*
 * Kernel command-line lookup. The line is copied into a fixed buffer at boot
 * (it lives in boot information memory that is not kept), truncated safely.
 */
#include "kernel/cmdline.h"

#include "kernel/string.h"

#define CMDLINE_MAX 512
#define VALUE_MAX   128

static char line_buf[CMDLINE_MAX];

void cmdline_set(const char *line)
{
	size_t n = 0;

	if (line)
		while (line[n] && n + 1 < CMDLINE_MAX) {
			line_buf[n] = line[n];
			n++;
		}
	line_buf[n] = '\0';
}

const char *cmdline_raw(void)
{
	return line_buf;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = line_buf;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) < klen || strncmp(word, key, klen) != 0)
			continue;
		const char *v = word + klen;
		if (v != p && *v != '=')
			continue;
		v += (*v == '=');
		size_t n = 0;
		while (v + n < p && n + 1 < size) {
			buf[n] = v[n];
			n++;
		}
		if (size)
			buf[n] = '\0';
		return true;
	}
	return false;
}

bool cmdline_list_has(const char *key, const char *item)
{
	char value[VALUE_MAX];
	size_t ilen = strlen(item);

	if (!cmdline_get(key, value, sizeof(value)))
		return false;
	for (const char *p = value; *p;) {
		const char *end = p;
		while (*end && *end != ',')
			end++;
		size_t n = (size_t)(end - p);
		if ((n == 3 && strncmp(p, "all", 3) == 0) ||
		    (n == ilen && strncmp(p, item, n) == 0))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}
