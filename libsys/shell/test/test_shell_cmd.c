/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the shell's command layer (libsys/shell/shell_cmd.c): word
 * splitting edge cases from a table, lines run through the editor into a
 * command table (arguments delivered, unknown commands, usage errors, help,
 * echo, printf's CR LF), and random lines that must split without crash or
 * overflow, with every word inside the buffer.
 */
#include <stdlib.h>

#include "rng.h"
#include "shell_fixture.h"
#include "sys/units.h"

#define REC_MAX 8

static int rec_argc, rec_calls;
static char rec_argv[REC_MAX][SHELL_LINE_MAX + 1];

static int cmd_rec(struct shell *sh, int argc, char **argv)
{
	fx.bad_ctx += sh != &fx.sh || argv[argc] != NULL;
	rec_calls++;
	rec_argc = argc;
	for (int i = 0; i < argc && i < REC_MAX; i++)
		snprintf(rec_argv[i], sizeof(rec_argv[0]), "%s", argv[i]);
	return 7;
}

static int cmd_add(struct shell *sh, int argc, char **argv)
{
	if (argc != 3) {
		shell_printf(sh, "usage: add <a> <b>\n");
		return E_INVAL;
	}
	shell_printf(sh, "%d\n", atoi(argv[1]) + atoi(argv[2]));
	return 0;
}

static const struct shell_command commands[] = {
	{"rec", "record the arguments", cmd_rec},
	{"echo", "print the arguments", shell_cmd_echo},
	{"add", "add two numbers", cmd_add},
};

/* ---- splitting ---- */

struct split_case {
	const char *line;
	int err, argc;
	const char *words[4];
	const char *why;
};

static const struct split_case split_cases[] = {
	{"", E_OK, 0, {NULL}, NULL},
	{"   \t  ", E_OK, 0, {NULL}, NULL},
	{"a", E_OK, 1, {"a"}, NULL},
	{"  a  b\tc  ", E_OK, 3, {"a", "b", "c"}, NULL},
	{"\"a b\" c", E_OK, 2, {"a b", "c"}, NULL},
	{"x\"a b\"y z", E_OK, 2, {"xa by", "z"}, NULL},
	{"\"\" \"\"", E_OK, 2, {"", ""}, NULL},
	{"a\"\"b", E_OK, 1, {"ab"}, NULL},
	{"\"  \"", E_OK, 1, {"  "}, NULL},
	{"a\\ b", E_OK, 1, {"a b"}, NULL},
	{"\"say \\\"hi\\\"\"", E_OK, 1, {"say \"hi\""}, NULL},
	{"a\\\\", E_OK, 1, {"a\\"}, NULL},
	{"\"open", E_INVAL, 0, {NULL}, "unterminated quote"},
	{"a \"b c", E_INVAL, 0, {NULL}, "unterminated quote"},
	{"\"", E_INVAL, 0, {NULL}, "unterminated quote"},
	{"end\\", E_INVAL, 0, {NULL}, "backslash at the end of the line"},
};

static void test_split_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		char buf[SHELL_LINE_MAX + 1];
		char *argv[SHELL_ARGS_MAX + 1];
		const char *why = NULL;
		int argc = -1;
		snprintf(buf, sizeof(buf), "%s", c->line);
		int err = shell_split(buf, argv, SHELL_ARGS_MAX, &argc, &why);
		CHECK_EQ(err, c->err);
		if (err) {
			CHECK(why && strcmp(why, c->why) == 0);
			continue;
		}
		CHECK_EQ(argc, c->argc);
		CHECK(argv[argc] == NULL);
		for (int w = 0; w < argc && w < 4; w++)
			CHECK(strcmp(argv[w], c->words[w]) == 0);
	}
}

static void test_split_limits(void)
{
	char buf[SHELL_LINE_MAX + 1], *argv[SHELL_ARGS_MAX + 1];
	int argc;
	const char *why = NULL;

	buf[0] = '\0';
	for (int i = 0; i < SHELL_ARGS_MAX; i++)
		strcat(buf, "w ");
	CHECK_EQ(shell_split(buf, argv, SHELL_ARGS_MAX, &argc, &why), E_OK);
	CHECK_EQ(argc, SHELL_ARGS_MAX);
	CHECK(argv[SHELL_ARGS_MAX] == NULL);
	buf[0] = '\0';
	for (int i = 0; i <= SHELL_ARGS_MAX; i++)
		strcat(buf, "w ");
	CHECK_EQ(shell_split(buf, argv, SHELL_ARGS_MAX, &argc, &why), E_NOSPACE);
	CHECK(strcmp(why, "too many words") == 0);
	CHECK_EQ(argc, 0);
	strcpy(buf, "a b");
	CHECK_EQ(shell_split(buf, argv, 1, &argc, NULL), E_NOSPACE); /* err is optional */
}

/* ---- running lines ---- */

static void test_run_commands(void)
{
	fx_setup(commands, 3);
	fx_feed("  rec   one \"two three\"  \"\"\r");
	CHECK_EQ(rec_calls, 1);
	CHECK_EQ(rec_argc, 4);
	CHECK(strcmp(rec_argv[0], "rec") == 0 && strcmp(rec_argv[1], "one") == 0);
	CHECK(strcmp(rec_argv[2], "two three") == 0 && strcmp(rec_argv[3], "") == 0);
	CHECK_EQ(shell_last_status(&fx.sh), 7);
	EXPECT_OUT("  rec   one \"two three\"  \"\"\r\n> ");

	fx_feed("\r   \r");
	EXPECT_OUT("\r\n>    \r\n> "); /* empty and blank lines: nothing to run */
	CHECK_EQ(shell_last_status(&fx.sh), 0);
	CHECK_EQ(rec_calls, 1);

	fx_feed("frobnicate now\r");
	EXPECT_OUT("frobnicate now\r\nunknown command 'frobnicate' (try help)\r\n> ");
	CHECK_EQ(shell_last_status(&fx.sh), E_NOENT);
	fx_feed("rec \"oops\r");
	EXPECT_OUT("rec \"oops\r\nsyntax error: unterminated quote\r\n> ");
	CHECK_EQ(shell_last_status(&fx.sh), E_INVAL);
	CHECK_EQ(rec_calls, 1);
	fx_feed("REC\r"); /* names are case-sensitive */
	EXPECT_OUT("REC\r\nunknown command 'REC' (try help)\r\n> ");
}

static void test_usage_and_echo(void)
{
	fx_setup(commands, 3);
	fx_feed("add 1\r");
	EXPECT_OUT("add 1\r\nusage: add <a> <b>\r\n> ");
	CHECK_EQ(shell_last_status(&fx.sh), E_INVAL);
	fx_feed("add 40 2\r");
	EXPECT_OUT("add 40 2\r\n42\r\n> ");
	CHECK_EQ(shell_execute(&fx.sh, "echo  hello   \"big world\""), 0);
	EXPECT_OUT("hello big world\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "echo"), 0);
	EXPECT_OUT("\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "echo -n a b"), 0);
	EXPECT_OUT("a b");
	CHECK_EQ(shell_execute(&fx.sh, "echo \"a\nb\""), 0);
	EXPECT_OUT("a\r\nb\r\n");
}

static void test_help(void)
{
	fx_setup(commands, 3);
	CHECK_EQ(shell_execute(&fx.sh, "help"), 0);
	EXPECT_OUT("commands:\r\n"
		   "  rec          record the arguments\r\n"
		   "  echo         print the arguments\r\n"
		   "  add          add two numbers\r\n"
		   "  help         list the commands, or explain one: help [command]\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "help add"), 0);
	EXPECT_OUT("add: add two numbers\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "help help"), 0);
	EXPECT_OUT("help: list the commands, or explain one: help [command]\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "help nope"), E_NOENT);
	EXPECT_OUT("help: no command 'nope'\r\n");
	CHECK_EQ(shell_execute(&fx.sh, "help a b"), E_INVAL);
	EXPECT_OUT("usage: help [command]\r\n");

	static const struct shell_command own_help[] = {{"help", NULL, cmd_rec}};
	fx_setup(own_help, 1); /* the host's help wins over the built-in */
	rec_calls = 0;
	CHECK_EQ(shell_execute(&fx.sh, "help"), 7);
	CHECK_EQ(rec_calls, 1);
	CHECK_EQ(shell_cmd_help(&fx.sh, 1, NULL), 0);
	EXPECT_OUT("commands:\r\n  help         \r\n"); /* listed once, no text */

	fx_setup(NULL, 0);
	CHECK_EQ(shell_execute(&fx.sh, "help"), 0);
	EXPECT_OUT("commands:\r\n"
		   "  help         list the commands, or explain one: help [command]\r\n");
}

static void test_execute_limits(void)
{
	char line[SHELL_LINE_MAX + 2];

	fx_setup(commands, 3);
	memset(line, ' ', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	CHECK_EQ(shell_execute(&fx.sh, line), E_INVAL);
	EXPECT_OUT("syntax error: line longer than 255 characters\r\n");
	line[SHELL_LINE_MAX] = '\0';
	CHECK_EQ(shell_execute(&fx.sh, line), 0);
	EXPECT_OUT("");
	line[0] = '\0';
	for (int i = 0; i <= SHELL_ARGS_MAX; i++)
		strcat(line, "x ");
	CHECK_EQ(shell_execute(&fx.sh, line), E_NOSPACE);
	EXPECT_OUT("syntax error: too many words (at most 32)\r\n");
}

static void test_printf(void)
{
	fx_setup(NULL, 0);
	CHECK_EQ(shell_printf(&fx.sh, "a\nb%d\n\n", 5), 6);
	EXPECT_OUT("a\r\nb5\r\n\r\n");
	CHECK_EQ(shell_printf(&fx.sh, "%s|%-4s|%03x", "", "ab", 10), 9);
	EXPECT_OUT("|ab  |00a");
	shell_write(&fx.sh, "raw\n", 4); /* shell_write sends bytes as they are */
	EXPECT_OUT("raw\n");
	CHECK(shell_context(&fx.sh) == &fx);
}

/* ---- random lines ---- */

static void test_random_split(void)
{
	static const char alphabet[] = "ab \t\"\\\"  x";
	uint32_t seed = 0xc0ffee;
	bool ok = true;

	for (int round = 0; round < 20000; round++) {
		char buf[SHELL_LINE_MAX + 1], *argv[SHELL_ARGS_MAX + 1];
		size_t n = xorshift32(&seed) % (SHELL_LINE_MAX + 1);
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[xorshift32(&seed) % (sizeof(alphabet) - 1)];
		buf[n] = '\0';
		int argc = -1;
		const char *why = NULL;
		int err = shell_split(buf, argv, SHELL_ARGS_MAX, &argc, &why);
		ok &= err == E_OK || (why != NULL && argc == 0);
		ok &= argc >= 0 && argc <= SHELL_ARGS_MAX;
		for (int w = 0; err == E_OK && w < argc; w++)
			ok &= argv[w] >= buf && argv[w] + strlen(argv[w]) <= buf + n;
	}
	CHECK(ok);
}

static void test_random_commands(void)
{
	static const char *const words[] = {"rec", "echo", "add", "help", "nope", "\"",
					    " ",   "1",	   "\\",  "\r",	  "\x03", "\x7f"};
	uint32_t seed = 42;
	bool screen_ok = true;

	fx_setup(commands, 3);
	rec_calls = 0;
	for (int i = 0; i < 30000; i++) {
		fx_feed(words[xorshift32(&seed) % (ARRAY_SIZE(words))]);
		screen_ok &= fx_screen_matches();
		fx_clear_output();
	}
	CHECK(screen_ok);
	CHECK(rec_calls > 10);
	CHECK_EQ(fx.bad_ctx, 0);
}

int main(void)
{
	test_split_table();
	test_split_limits();
	test_run_commands();
	test_usage_and_echo();
	test_help();
	test_execute_limits();
	test_printf();
	test_random_split();
	test_random_commands();
	return check_summary("shell_cmd");
}
