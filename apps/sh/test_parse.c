/* SPDX-License-Identifier: MIT */
/*
 * Host test of sh's parser (parse.c): quoting, expansion, operators and
 * redirections, and the errors (each with its message, never a crash),
 * `kill %N`'s job numbers (sh_job_number), plus random lines that must
 * parse or fail cleanly under the sanitizers.
 */
#include <string.h>

#include "check.h"
#include "parse.h"
#include "rng.h"
#include "sys/errors.h"

static struct sh_list list;
static const char *why;

static const char *vars(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "?") == 0)
		return "3";
	if (strcmp(name, "HOME") == 0)
		return "/home/me";
	if (strcmp(name, "SP") == 0)
		return "a b";
	return NULL;
}

static int parse(const char *line)
{
	return sh_parse(line, &list, vars, NULL, &why);
}

static const char *word(int p, int c, int w)
{
	return list.p[p].cmds[c].argv[w];
}

static void test_words_and_quotes(void)
{
	CHECK_EQ(parse("  echo  'a  b' \"c $HOME\" d\\ e f'g'\"h\"  "), 0);
	CHECK_EQ(list.count, 1);
	CHECK_EQ(list.p[0].cmds[0].argc, 5);
	CHECK(strcmp(word(0, 0, 1), "a  b") == 0);
	CHECK(strcmp(word(0, 0, 2), "c /home/me") == 0);
	CHECK(strcmp(word(0, 0, 3), "d e") == 0);
	CHECK(strcmp(word(0, 0, 4), "fgh") == 0);
	CHECK(word(0, 0, 5) == NULL);
	CHECK_EQ(parse("echo '$HOME' \"\\$HOME \\\" \\\\\" $? ${HOME}x $NOPE. $SP $"), 0);
	CHECK(strcmp(word(0, 0, 1), "$HOME") == 0);
	CHECK(strcmp(word(0, 0, 2), "$HOME \" \\") == 0);
	CHECK(strcmp(word(0, 0, 3), "3") == 0);
	CHECK(strcmp(word(0, 0, 4), "/home/mex") == 0);
	CHECK(strcmp(word(0, 0, 5), ".") == 0);
	CHECK(strcmp(word(0, 0, 6), "a b") == 0); /* an expansion is one word */
	CHECK(strcmp(word(0, 0, 7), "$") == 0);
	CHECK_EQ(parse("echo '' \"\" x"), 0);
	CHECK_EQ(list.p[0].cmds[0].argc, 4);
	CHECK(strcmp(word(0, 0, 1), "") == 0);
	CHECK_EQ(parse("echo 'a|b;c&d>e' x\\|y"), 0);
	CHECK_EQ(list.count, 1);
	CHECK(strcmp(word(0, 0, 1), "a|b;c&d>e") == 0);
	CHECK(strcmp(word(0, 0, 2), "x|y") == 0);
}

static void test_operators(void)
{
	CHECK_EQ(parse("a | b|c ; d && e || f & g"), 0);
	CHECK_EQ(list.count, 5);
	CHECK_EQ(list.p[0].count, 3);
	CHECK(strcmp(word(0, 2, 0), "c") == 0);
	CHECK_EQ(list.p[0].join, SH_JOIN_SEQ);
	CHECK_EQ(list.p[1].join, SH_JOIN_AND);
	CHECK_EQ(list.p[2].join, SH_JOIN_OR);
	CHECK_EQ(list.p[3].join, SH_JOIN_BG);
	CHECK_EQ(list.p[4].join, SH_JOIN_END);
	CHECK_EQ(parse("sleep 1 &"), 0);
	CHECK_EQ(list.count, 1);
	CHECK_EQ(list.p[0].join, SH_JOIN_BG);
	CHECK_EQ(parse("true;"), 0);
	CHECK_EQ(list.count, 1);
	CHECK_EQ(list.p[0].join, SH_JOIN_END);
	CHECK_EQ(parse("   # only a comment"), 0);
	CHECK_EQ(list.count, 0);
	CHECK_EQ(parse("echo a#b # c"), 0);
	CHECK_EQ(list.p[0].cmds[0].argc, 2);
	CHECK(strcmp(word(0, 0, 1), "a#b") == 0);
}

static void test_redirections(void)
{
	CHECK_EQ(parse("sort <in >out 2>err x"), 0);
	const struct sh_cmd *c = &list.p[0].cmds[0];
	CHECK_EQ(c->argc, 2);
	CHECK(strcmp(c->in, "in") == 0 && strcmp(c->out, "out") == 0 && strcmp(c->err, "err") == 0);
	CHECK(!c->out_append && !c->err_append);
	CHECK_EQ(parse("echo a >> '/my file' 2>>/e"), 0);
	c = &list.p[0].cmds[0];
	CHECK(c->out_append && c->err_append);
	CHECK(strcmp(c->out, "/my file") == 0);
	CHECK_EQ(parse("echo 2 x2>y"), 0); /* "2>" only at the start of a word */
	c = &list.p[0].cmds[0];
	CHECK_EQ(c->argc, 3);
	CHECK(strcmp(c->out, "y") == 0);
	CHECK(c->err == NULL);
}

static void expect_error(const char *line, const char *message)
{
	CHECK_EQ(parse(line), E_INVAL);
	CHECK(why != NULL);
	if (why && strcmp(why, message) != 0) {
		fprintf(stderr, "for %s: %s (wanted %s)\n", line, why, message);
		CHECK(!"the right message");
	}
}

static void test_errors(void)
{
	expect_error("echo 'abc", "unterminated quote");
	expect_error("echo \"abc", "unterminated quote");
	expect_error("echo abc\\", "backslash at the end of the line");
	expect_error("| a", "syntax error near '|'");
	expect_error("a || | b", "syntax error near '|'");
	expect_error("a ;; b", "syntax error near ';'");
	expect_error("a &&", "syntax error near end of line");
	expect_error("a >", "syntax error near end of line");
	expect_error("a > | b", "syntax error near '|'");
	expect_error("a < ; b", "syntax error near ';'");
	expect_error("echo ${HOME", "bad ${name}");
	expect_error("a|b|c|d|e|f|g|h|i", "too many commands in a pipeline");
	char many[200] = "x";
	for (int i = 0; i < 40; i++)
		strcat(many, " y");
	expect_error(many, "too many words");
	static char huge[SH_STORE_MAX + 64];
	memset(huge, 'z', sizeof(huge) - 1);
	expect_error(huge, "line too long");
}

/* `kill %N`'s job numbers: '%' and decimal digits, anything else is none (0). */
static void test_job_numbers(void)
{
	CHECK_EQ(sh_job_number("%1"), 1);
	CHECK_EQ(sh_job_number("%7"), 7);
	CHECK_EQ(sh_job_number("%012"), 12);
	const char *bad[] = {"1", "%", "%x", "%1x", "% 1", "%-1", "%+1", "", "%99999999999", "1%"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(sh_job_number(bad[i]), 0);
	CHECK_EQ(sh_job_number(NULL), 0);
}

/* Random bytes from the operator and quote alphabet: a clean parse or a clean error. */
static void test_random(void)
{
	static const char alphabet[] = "ab |&;<>2'\"\\$?{}# \t";
	uint32_t seed = 14;
	char line[64];

	for (int round = 0; round < 20000; round++) {
		size_t n = xorshift32(&seed) % (sizeof(line) - 1);
		for (size_t i = 0; i < n; i++)
			line[i] = alphabet[xorshift32(&seed) % (sizeof(alphabet) - 1)];
		line[n] = '\0';
		int e = parse(line);
		CHECK(e == 0 || (e == E_INVAL && why));
	}
}

int main(void)
{
	test_words_and_quotes();
	test_operators();
	test_redirections();
	test_errors();
	test_job_numbers();
	test_random();
	return check_summary("sh_parse");
}
