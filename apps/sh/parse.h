/* SPDX-License-Identifier: MIT */
/*
 * sh's command-line parser: pure C (parse.c), tested on the host
 * (test_parse.c). A line is a list of pipelines joined by ';', '&&', '||'
 * or ended by '&' (background); a pipeline is commands joined by '|'; a
 * command is words and redirections ('<' file, '>' file, '>>' file,
 * '2>' file, '2>>' file). Words are quoted with '...' (all literal),
 * "..." (literal but for \" \\ \$ and $ expansion) or a backslash before
 * any character; $NAME, ${NAME} and $? are expanded outside single quotes
 * (through a callback), and an expansion is never split into words. '#'
 * at the start of a word comments out the rest of the line.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SH_ARGS_MAX  32	  /* words of one command */
#define SH_PIPE_MAX  8	  /* commands of one pipeline */
#define SH_LIST_MAX  16	  /* pipelines of one line */
#define SH_STORE_MAX 4096 /* bytes of every word of a line, with their NULs */

enum sh_join {
	SH_JOIN_END, /* the last pipeline, run in the foreground */
	SH_JOIN_SEQ, /* ';' */
	SH_JOIN_AND, /* '&&': the next runs if this one exited 0 */
	SH_JOIN_OR,  /* '||': the next runs if this one did not */
	SH_JOIN_BG,  /* '&': this one runs in the background */
};

struct sh_cmd {
	int argc;
	char *argv[SH_ARGS_MAX + 1]; /* argv[argc] = NULL */
	char *in, *out, *err;	     /* redirections (NULL: none) */
	bool out_append, err_append;
};

struct sh_pipeline {
	int count;
	struct sh_cmd cmds[SH_PIPE_MAX];
	enum sh_join join; /* what follows it */
};

struct sh_list {
	int count;
	struct sh_pipeline p[SH_LIST_MAX];
	char store[SH_STORE_MAX];
	size_t used;
};

/* The value of $name ("?" for $?), or NULL for an unset variable (it expands to nothing). */
typedef const char *sh_var_fn(void *ctx, const char *name);

/*
 * Parse `line` into *out: 0, or a negative error with *err saying what is
 * wrong ("unterminated quote", "syntax error near '|'", ...). An empty line
 * (or one that is only a comment) gives count 0.
 */
int sh_parse(const char *line, struct sh_list *out, sh_var_fn *var, void *ctx, const char **err);

/* The job a `%N` word names (kill %N): N (1 or more), or 0 when the word is not '%' and digits. */
int sh_job_number(const char *word);
