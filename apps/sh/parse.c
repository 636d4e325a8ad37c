/* SPDX-License-Identifier: MIT */
/*
 * sh's parser (parse.h): a scanner that turns the line into tokens (words,
 * with quoting and expansion done, and operators), and a parser that lays
 * the tokens out as pipelines of commands. No allocation: every word goes
 * into the list's store.
 */
#include "parse.h"

#include <string.h>

#include "sys/errors.h"

enum tok_kind {
	TOK_END,
	TOK_WORD,
	TOK_PIPE,
	TOK_AND,
	TOK_OR,
	TOK_SEQ,
	TOK_BG,
	TOK_IN,	     /* < */
	TOK_OUT,     /* > */
	TOK_APPEND,  /* >> */
	TOK_ERR,     /* 2> */
	TOK_ERR_APP, /* 2>> */
};

struct scan {
	const char *p;
	struct sh_list *list;
	sh_var_fn *var;
	void *ctx;
	const char *err;
	char *word; /* the word being built, in the store */
};

static int fail(struct scan *s, const char *why)
{
	if (!s->err)
		s->err = why;
	return E_INVAL;
}

static int put_char(struct scan *s, char c)
{
	if (s->list->used >= SH_STORE_MAX - 1)
		return fail(s, "line too long");
	s->list->store[s->list->used++] = c;
	return 0;
}

static int put_text(struct scan *s, const char *t)
{
	for (; t && *t; t++)
		if (put_char(s, *t))
			return E_INVAL;
	return 0;
}

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* At a '$': expand $?, $NAME or ${NAME}; a '$' before anything else is itself. */
static int expand(struct scan *s)
{
	char name[64];
	size_t n = 0;
	bool brace = s->p[1] == '{';
	const char *q = s->p + 1 + brace;

	if (*q == '?' && !brace) {
		s->p = q + 1;
		return put_text(s, s->var ? s->var(s->ctx, "?") : NULL);
	}
	while (name_char(q[n], n == 0) && n < sizeof(name) - 1)
		n++;
	if (n == 0 || (brace && q[n] != '}')) {
		if (brace)
			return fail(s, "bad ${name}");
		s->p++;
		return put_char(s, '$');
	}
	memcpy(name, q, n);
	name[n] = '\0';
	s->p = q + n + brace;
	return put_text(s, s->var ? s->var(s->ctx, name) : NULL);
}

static int single_quoted(struct scan *s)
{
	const char *end = strchr(s->p + 1, '\'');

	if (!end)
		return fail(s, "unterminated quote");
	for (const char *c = s->p + 1; c < end; c++)
		if (put_char(s, *c))
			return E_INVAL;
	s->p = end + 1;
	return 0;
}

static int double_quoted(struct scan *s)
{
	s->p++;
	while (*s->p != '"') {
		int err = 0;
		if (*s->p == '\0')
			return fail(s, "unterminated quote");
		if (*s->p == '$')
			err = expand(s);
		else if (*s->p == '\\' && strchr("\"\\$", s->p[1]) && s->p[1])
			err = put_char(s, s->p[1]), s->p += 2;
		else
			err = put_char(s, *s->p++);
		if (err)
			return err;
	}
	s->p++;
	return 0;
}

static bool ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || strchr("|&;<>", c);
}

/* A word from here to the next blank or operator, quotes and expansions done. */
static int scan_word(struct scan *s)
{
	s->word = s->list->store + s->list->used;
	while (!ends_word(*s->p)) {
		int err;
		if (*s->p == '\'')
			err = single_quoted(s);
		else if (*s->p == '"')
			err = double_quoted(s);
		else if (*s->p == '$')
			err = expand(s);
		else if (*s->p == '\\') {
			if (!s->p[1])
				return fail(s, "backslash at the end of the line");
			err = put_char(s, s->p[1]);
			s->p += 2;
		} else
			err = put_char(s, *s->p++);
		if (err)
			return err;
	}
	return put_char(s, '\0');
}

/* An operator at s->p, or TOK_END if there is none. */
static enum tok_kind scan_operator(struct scan *s)
{
	static const struct {
		const char *text;
		enum tok_kind kind;
	} ops[] = {{"2>>", TOK_ERR_APP}, {"2>", TOK_ERR}, {"||", TOK_OR}, {"&&", TOK_AND},
		   {">>", TOK_APPEND},	 {"|", TOK_PIPE}, {"&", TOK_BG},  {";", TOK_SEQ},
		   {"<", TOK_IN},	 {">", TOK_OUT}};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);
		if (strncmp(s->p, ops[i].text, n) == 0) {
			s->p += n;
			return ops[i].kind;
		}
	}
	return TOK_END;
}

static int next_token(struct scan *s, enum tok_kind *kind)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		s->p++;
	if (*s->p == '\0' || *s->p == '#') {
		*kind = TOK_END;
		return 0;
	}
	if ((*kind = scan_operator(s)) != TOK_END)
		return 0;
	*kind = TOK_WORD;
	return scan_word(s);
}

static const char *token_text(enum tok_kind k)
{
	static const char *const text[] = {
		[TOK_END] = "end of line", [TOK_WORD] = "word", [TOK_PIPE] = "'|'",
		[TOK_AND] = "'&&'",	   [TOK_OR] = "'||'",	[TOK_SEQ] = "';'",
		[TOK_BG] = "'&'",	   [TOK_IN] = "'<'",	[TOK_OUT] = "'>'",
		[TOK_APPEND] = "'>>'",	   [TOK_ERR] = "'2>'",	[TOK_ERR_APP] = "'2>>'",
	};
	return text[k];
}

static int syntax_error(struct scan *s, enum tok_kind k)
{
	static const char head[] = "syntax error near ";
	static char msg[48];
	const char *t = token_text(k);

	memcpy(msg, head, sizeof(head) - 1);
	memcpy(msg + sizeof(head) - 1, t, strlen(t) + 1); /* the longest fits: "end of line" */
	return fail(s, msg);
}

/* A redirection operator k: its file is the next word. */
static int redirect(struct scan *s, struct sh_cmd *c, enum tok_kind k)
{
	enum tok_kind w;
	int err = next_token(s, &w);

	if (err)
		return err;
	if (w != TOK_WORD)
		return syntax_error(s, w);
	if (k == TOK_IN)
		c->in = s->word;
	else if (k == TOK_OUT || k == TOK_APPEND)
		c->out = s->word, c->out_append = k == TOK_APPEND;
	else
		c->err = s->word, c->err_append = k == TOK_ERR_APP;
	return 0;
}

static bool is_redirect(enum tok_kind k)
{
	return k == TOK_IN || k == TOK_OUT || k == TOK_APPEND || k == TOK_ERR || k == TOK_ERR_APP;
}

/* One command's words and redirections; *k is the token after it. */
static int parse_cmd(struct scan *s, struct sh_cmd *c, enum tok_kind *k)
{
	int err;

	*c = (struct sh_cmd){0};
	while ((err = next_token(s, k)) == 0 && (*k == TOK_WORD || is_redirect(*k))) {
		if (*k != TOK_WORD)
			err = redirect(s, c, *k);
		else if (c->argc == SH_ARGS_MAX)
			err = fail(s, "too many words");
		else
			c->argv[c->argc++] = s->word;
		if (err)
			return err;
	}
	if (err)
		return err;
	return c->argc == 0 ? syntax_error(s, *k) : 0;
}

static int parse_pipeline(struct scan *s, struct sh_pipeline *p, enum tok_kind *k)
{
	*p = (struct sh_pipeline){0};
	do {
		if (p->count == SH_PIPE_MAX)
			return fail(s, "too many commands in a pipeline");
		int err = parse_cmd(s, &p->cmds[p->count++], k);
		if (err)
			return err;
	} while (*k == TOK_PIPE);
	return 0;
}

static enum sh_join join_of(enum tok_kind k)
{
	switch (k) {
	case TOK_SEQ:
		return SH_JOIN_SEQ;
	case TOK_AND:
		return SH_JOIN_AND;
	case TOK_OR:
		return SH_JOIN_OR;
	case TOK_BG:
		return SH_JOIN_BG;
	default:
		return SH_JOIN_END;
	}
}

/* Whether the rest of the line is empty (a trailing ';' or '&' may end it). */
static bool at_end(struct scan *s)
{
	const char *p = s->p;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return *p == '\0' || *p == '#';
}

int sh_parse(const char *line, struct sh_list *out, sh_var_fn *var, void *ctx, const char **err)
{
	struct scan s = {.p = line, .list = out, .var = var, .ctx = ctx};
	enum tok_kind k = TOK_END;
	int e = 0;

	out->count = 0;
	out->used = 0;
	while (!e && !at_end(&s)) {
		if (out->count == SH_LIST_MAX) {
			e = fail(&s, "too many commands");
			break;
		}
		struct sh_pipeline *p = &out->p[out->count++];
		if ((e = parse_pipeline(&s, p, &k)) != 0 || k == TOK_END)
			break;
		p->join = join_of(k);
		if ((k == TOK_AND || k == TOK_OR) && at_end(&s))
			e = syntax_error(&s, TOK_END); /* "a &&" lacks its second half */
	}
	*err = s.err;
	if (e)
		return e;
	if (out->count && out->p[out->count - 1].join != SH_JOIN_BG)
		out->p[out->count - 1].join = SH_JOIN_END;
	return 0;
}

int sh_job_number(const char *word)
{
	int n = 0;

	if (!word || word[0] != '%' || !word[1])
		return 0;
	for (const char *p = word + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > 100000)
			return 0; /* junk, or more jobs than a shell ever has */
		n = n * 10 + (*p - '0');
	}
	return n;
}
