/* SPDX-License-Identifier: MIT */
/*
 * Tab completion for sh's editor (shell_config.complete): the word before
 * the cursor is a command when it comes first (after the start, '|', ';'
 * or '&'): builtins and the programs in PATH's directories; otherwise a
 * path, whose directory part is listed through the path library (any
 * volume, /mnt too). One candidate is completed (with a space after a
 * name, '/' after a directory); several give their common beginning, or,
 * when that adds nothing, a list and the line again.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"
#include "shell/shell.h"
#include "sys/errors.h"

#define CANDIDATES_MAX 64
#define NAME_MAX_SH    64

struct candidates {
	const char *prefix;
	size_t prefix_len;
	int count;
	char names[CANDIDATES_MAX][NAME_MAX_SH];
};

static void offer(struct candidates *c, const char *name, bool dir)
{
	size_t n = strlen(name);

	if (c->count == CANDIDATES_MAX || n + 2 > NAME_MAX_SH ||
	    strncmp(name, c->prefix, c->prefix_len) != 0)
		return;
	for (int i = 0; i < c->count; i++)
		if (strncmp(c->names[i], name, n) == 0 &&
		    (c->names[i][n] == '\0' || c->names[i][n] == '/'))
			return; /* in two PATH directories: once */
	memcpy(c->names[c->count], name, n);
	c->names[c->count][n] = dir ? '/' : '\0';
	c->names[c->count][n + dir] = '\0';
	c->count++;
}

/* Every entry of directory `dir` (absolute, on any volume) that starts with the prefix. */
static void offer_dir(struct candidates *c, const char *dir, bool dirs_too)
{
	static struct vfs_dirent e;

	sh_fs_lock();
	int fd = vfs_opendir(dir);
	while (fd >= 0 && vfs_readdir(fd, &e) == 1)
		if (e.name[0] != '.' && (dirs_too || !(e.st.attr & FS_STAT_DIR)))
			offer(c, e.name, e.st.attr & FS_STAT_DIR);
	if (fd >= 0)
		vfs_closedir(fd);
	sh_fs_unlock();
}

static void offer_commands(struct candidates *c)
{
	const char *path = getenv("PATH");
	char dir[FS_PATH_MAX];

	for (int i = 0; sh_builtin_name(i); i++)
		offer(c, sh_builtin_name(i), false);
	for (const char *p = path ? path : "/bin"; *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char rel[FS_PATH_MAX];
		if (n > 0 && n < sizeof(rel)) {
			memcpy(rel, p, n);
			rel[n] = '\0';
			if (sh_path(rel, dir, sizeof(dir)) == E_OK)
				offer_dir(c, dir, false);
		}
		p += n + (colon != NULL);
	}
}

/* Where the word before the cursor starts, and whether it names a command. */
static size_t word_start(const char *line, size_t cursor, bool *command)
{
	size_t start = cursor, before;

	while (start > 0 && !strchr(" \t|;&<>", line[start - 1]))
		start--;
	for (before = start; before > 0 && (line[before - 1] == ' ' || line[before - 1] == '\t');)
		before--;
	*command = before == 0 || strchr("|;&", line[before - 1]);
	return start;
}

/* The characters all candidates share after the prefix (with a ' ' for a single name). */
static void common_tail(const struct candidates *c, char *out, size_t size)
{
	size_t n = strlen(c->names[0]);

	for (int i = 1; i < c->count; i++) {
		size_t k = 0;
		while (k < n && c->names[i][k] == c->names[0][k])
			k++;
		n = k;
	}
	while (n > c->prefix_len && ((uint8_t)c->names[0][n] & 0xC0) == 0x80)
		n--; /* the names differ inside a UTF-8 character: not half of it */
	size_t tail = n > c->prefix_len ? n - c->prefix_len : 0;
	if (tail + 2 > size)
		tail = size - 2;
	memcpy(out, c->names[0] + c->prefix_len, tail);
	out[tail] = '\0';
	if (c->count == 1 && c->names[0][n - 1] != '/')
		strlcat(out, " ", size);
}

static void show_list(struct shell *ed, const struct candidates *c)
{
	shell_write(ed, "\r\n", 2);
	for (int i = 0; i < c->count; i++) {
		shell_write(ed, c->names[i], strlen(c->names[i]));
		shell_write(ed, "  ", 2);
	}
	shell_write(ed, "\r\n", 2);
	shell_prompt(ed);
}

void sh_complete(struct shell *ed, const char *line, size_t cursor)
{
	static struct candidates c;
	char word[FS_PATH_MAX], dir[FS_PATH_MAX], prefix[FS_PATH_MAX], tail[NAME_MAX_SH + 1];
	bool command;
	size_t start = word_start(line, cursor, &command);

	if (cursor - start >= sizeof(word))
		return;
	memcpy(word, line + start, cursor - start);
	word[cursor - start] = '\0';
	char *slash = strrchr(word, '/');
	strlcpy(prefix, slash ? slash + 1 : word, sizeof(prefix));
	c = (struct candidates){.prefix = prefix, .prefix_len = strlen(prefix)};
	if (command && !slash) {
		offer_commands(&c);
	} else {
		if (slash)
			slash[1] = '\0';
		if (sh_path(slash ? word : ".", dir, sizeof(dir)) == E_OK)
			offer_dir(&c, dir, true);
	}
	if (c.count == 0) {
		shell_write(ed, "\a", 1);
		return;
	}
	common_tail(&c, tail, sizeof(tail));
	if (tail[0])
		shell_insert(ed, tail);
	else
		show_list(ed, &c);
}
