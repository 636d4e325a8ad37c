/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the shell's line editor and history (libsys/
 * shell_edit.c, shell_history.c): byte sequences in, the exact output bytes
 * and the lines handed over checked; then 100,000 random bytes (fixed seed)
 * after each of which the model terminal must show exactly the prompt and
 * the line, with the cursor where the editor thinks it is. The command
 * layer has its own tests (test_shell_cmd.c).
 */
#include "rng.h"
#include "shell_fixture.h"

#define UP	 "\x1b[A"
#define DOWN	 "\x1b[B"
#define RIGHT	 "\x1b[C"
#define LEFT	 "\x1b[D"
#define HOME	 "\x1b[H"
#define END	 "\x1b[F"
#define DELETE	 "\x1b[3~"
#define SS3_UP	 "\x1bOA"
#define SS3_DOWN "\x1bOB"
#define CTRL_C	 "\x03"
#define CTRL_U	 "\x15"

static void test_init(void)
{
	struct shell sh;
	struct shell_config cfg = {0};
	static const struct shell_command bad[] = {{"x", "no function", NULL}};

	CHECK_EQ(shell_init(&sh, NULL), E_INVAL);
	CHECK_EQ(shell_init(&sh, &cfg), E_INVAL); /* no write callback */
	cfg.write = fx_write;
	cfg.commands = bad;
	cfg.command_count = 1;
	CHECK_EQ(shell_init(&sh, &cfg), E_INVAL);
	cfg.commands = NULL;
	CHECK_EQ(shell_init(&sh, &cfg), E_INVAL); /* count without a table */
	cfg.command_count = 0;
	cfg.prompt = "a prompt much longer than thirty-one bytes: cut";
	cfg.ctx = &fx;
	CHECK_EQ(shell_init(&sh, &cfg), E_OK);
	fx_clear_output();
	shell_prompt(&sh);
	CHECK_EQ(fx.out_len, SHELL_PROMPT_MAX - 1);
	fx_clear_output();
}

static void test_typing(void)
{
	fx_setup(NULL, 0);
	shell_prompt(&fx.sh);
	EXPECT_OUT("> ");
	fx_feed("ls -l");
	EXPECT_OUT("ls -l");
	EXPECT_LINE("ls -l");
	fx_feed("\r");
	EXPECT_OUT("\r\n> ");
	CHECK_EQ(fx.line_count, 1);
	CHECK(strcmp(fx.lines[0], "ls -l") == 0);
	EXPECT_LINE("");
}

static void test_enter_forms(void)
{
	fx_setup(NULL, 0);
	fx_feed("a\r\nb\nc\r\r\n\n");
	CHECK_EQ(fx.line_count, 5);
	CHECK(strcmp(fx.lines[0], "a") == 0);
	CHECK(strcmp(fx.lines[1], "b") == 0);
	CHECK(strcmp(fx.lines[2], "c") == 0);
	CHECK(strcmp(fx.lines[3], "") == 0); /* CR, then CR LF: one more Enter */
	CHECK(strcmp(fx.lines[4], "") == 0); /* LF after LF is an Enter */
	EXPECT_OUT("a\r\n> b\r\n> c\r\n> \r\n> \r\n> ");
	fx_feed("\r");
	fx_feed("\n"); /* CR and LF in separate calls: still one Enter */
	CHECK_EQ(fx.line_count, 6);
	fx_feed("\rx\n");
	CHECK_EQ(fx.line_count, 8); /* a byte between CR and LF: two Enters */
}

static void test_backspace(void)
{
	fx_setup(NULL, 0);
	fx_feed("\x7f\x08");
	EXPECT_OUT(""); /* nothing to erase at the start */
	fx_feed("abc\x7f");
	EXPECT_OUT("abc\b \b");
	fx_feed("\x08");
	EXPECT_OUT("\b \b");
	EXPECT_LINE("a");
	fx_feed("\x7f\x7f\x7f");
	EXPECT_OUT("\b \b");
	EXPECT_LINE("");
}

static void test_ctrl_u(void)
{
	fx_setup(NULL, 0);
	fx_feed(CTRL_U);
	EXPECT_OUT("");
	fx_feed("abc" CTRL_U);
	EXPECT_OUT("abc\b\b\b   \b\b\b");
	EXPECT_LINE("");
	fx_feed("xyz" LEFT LEFT CTRL_U); /* from the middle: the whole line */
	EXPECT_OUT("xyz\b\b\b   \b\b\b");
	EXPECT_LINE("");
	fx_feed("\r");
	CHECK(strcmp(fx.lines[0], "") == 0);
}

static void test_ctrl_c_idle(void)
{
	fx_setup(NULL, 0);
	fx_feed("abc" CTRL_C);
	EXPECT_OUT("abc^C\r\n> ");
	EXPECT_LINE("");
	CHECK_EQ(fx.line_count, 0);
	CHECK_EQ(fx.interrupts, 0);  /* nothing was running */
	fx_feed("\x1b[" CTRL_C "A"); /* Ctrl-C also ends a half-read sequence */
	EXPECT_OUT("^C\r\n> A");
}

static int busy_calls;

/* A command that reads input while it runs, as a long one would. */
static int cmd_busy(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	busy_calls++;
	CHECK(!shell_interrupted(sh));
	fx_feed("xy\x7f" UP);
	CHECK(!shell_interrupted(sh));
	fx_feed(CTRL_C);
	CHECK(shell_interrupted(sh));
	shell_printf(sh, "stopped\n");
	return 5;
}

static int cmd_job(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	shell_job_begin(sh);
	return 0;
}

static void test_ctrl_c_running(void)
{
	static const struct shell_command cmds[] = {{"busy", "", cmd_busy}, {"job", "", cmd_job}};

	fx_setup(cmds, 2);
	fx_feed("busy\r");
	CHECK_EQ(busy_calls, 1);
	CHECK_EQ(fx.interrupts, 1);
	CHECK_EQ(shell_last_status(&fx.sh), 5);
	EXPECT_OUT("busy\r\nstopped\r\n> "); /* input while busy was not echoed */
	EXPECT_LINE("");
	CHECK_EQ(shell_history_count(&fx.sh), 1);

	fx_feed("job\r");
	EXPECT_OUT("job\r\n"); /* no prompt while the job runs */
	fx_feed("abc\r" CTRL_C);
	EXPECT_OUT("");
	CHECK_EQ(fx.interrupts, 2);
	CHECK(shell_interrupted(&fx.sh));
	shell_job_end(&fx.sh, 9);
	EXPECT_OUT("> ");
	CHECK_EQ(shell_last_status(&fx.sh), 9);
	shell_job_end(&fx.sh, 1); /* no job: nothing */
	EXPECT_OUT("");
	shell_job_begin(&fx.sh); /* outside a command: ignored */
	fx_feed("z");
	EXPECT_OUT("z");
}

static void type_lines(const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fx_feed(lines[i]);
		fx_feed("\r");
	}
	fx_clear_output();
}

static void test_history_walk(void)
{
	static const char *const lines[] = {"one", "two", "three"};

	fx_setup(NULL, 0);
	type_lines(lines, 3);
	fx_feed("pa");
	EXPECT_OUT("pa");
	fx_feed(UP);
	EXPECT_OUT("\b\bthree");
	fx_feed(UP);
	EXPECT_OUT("\b\b\b\b\btwo  \b\b");
	fx_feed(SS3_UP);
	EXPECT_OUT("\b\b\bone");
	fx_feed(UP);
	EXPECT_OUT("\a"); /* past the oldest */
	EXPECT_LINE("one");
	fx_feed(DOWN);
	EXPECT_OUT("\b\b\btwo");
	fx_feed(SS3_DOWN DOWN);
	EXPECT_OUT("\b\b\bthree\b\b\b\b\bpa   \b\b\b");
	EXPECT_LINE("pa"); /* the line typed before browsing is back */
	fx_feed(DOWN);
	EXPECT_OUT("\a"); /* past the newest */
	fx_feed(UP "!\r");
	CHECK(strcmp(fx.lines[3], "three!") == 0);
	CHECK(strcmp(shell_history_get(&fx.sh, 0), "three!") == 0);
	CHECK(strcmp(shell_history_get(&fx.sh, 1), "three") == 0);
}

static void test_history_rules(void)
{
	fx_setup(NULL, 0);
	fx_feed(UP DOWN);
	EXPECT_OUT("\a\a"); /* empty history */
	fx_feed("a\ra\r\r   \rb\ra\r");
	CHECK_EQ(shell_history_count(&fx.sh), 3); /* no repeats, no blank lines */
	CHECK(strcmp(shell_history_get(&fx.sh, 0), "a") == 0);
	CHECK(strcmp(shell_history_get(&fx.sh, 1), "b") == 0);
	CHECK(strcmp(shell_history_get(&fx.sh, 2), "a") == 0);
	CHECK(shell_history_get(&fx.sh, 3) == NULL);
	fx_feed(UP UP "x" CTRL_C UP);
	EXPECT_LINE("a"); /* Ctrl-C ends browsing: up starts from the newest */

	fx_setup(NULL, 0);
	char line[8];
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "l%d\r", i);
		fx_feed(line);
	}
	CHECK_EQ(shell_history_count(&fx.sh), SHELL_HISTORY);
	CHECK(strcmp(shell_history_get(&fx.sh, 0), "l19") == 0);
	CHECK(strcmp(shell_history_get(&fx.sh, SHELL_HISTORY - 1), "l4") == 0);
	for (int i = 0; i < SHELL_HISTORY; i++)
		fx_feed(UP);
	EXPECT_LINE("l4");
	fx_clear_output();
	fx_feed(UP);
	EXPECT_OUT("\a");
	for (int i = 0; i < SHELL_HISTORY; i++)
		fx_feed(DOWN);
	EXPECT_LINE("");
}

static void test_escape_split(void)
{
	fx_setup(NULL, 0);
	fx_feed("old\r");
	fx_clear_output();
	fx_feed("\x1b");
	fx_feed("[");
	EXPECT_OUT("");
	fx_feed("A");
	EXPECT_OUT("old");
	fx_feed("\r\x1b" CTRL_U); /* a control byte ends the sequence and counts */
	fx_feed("\x1b");
	fx_feed("O");
	fx_feed("A");
	EXPECT_LINE("old");
	fx_feed(CTRL_U);
	fx_clear_output();
	fx_feed("\x1b[200~pasted\x1b[201~"); /* bracketed paste marks are dropped */
	EXPECT_OUT("pasted");
	fx_feed("\x1b[1;5D"); /* Ctrl-Left: the modifier is ignored */
	EXPECT_OUT("\b");
	fx_feed("\x1bx\x1b[99999999999Z\x1b[?25h\x1b[ q"); /* Alt-x, unknown CSIs */
	EXPECT_OUT("");
	fx_feed("\x1b\x1b[C"); /* ESC ESC: the second starts over */
	EXPECT_OUT("d");
	fx_feed("\x1b\r");
	CHECK_EQ(fx.line_count, 3);
	CHECK(strcmp(fx.lines[2], "pasted") == 0); /* ESC then Enter: Enter */
	fx_feed("q\x1b[\x7f");
	EXPECT_LINE(""); /* DEL ends the sequence and is a backspace */
}

static void test_cursor_keys(void)
{
	fx_setup(NULL, 0);
	fx_feed("abd" LEFT);
	EXPECT_OUT("abd\b");
	fx_feed("c");
	EXPECT_OUT("cd\b");
	EXPECT_LINE("abcd");
	fx_feed(HOME DELETE);
	EXPECT_OUT("\b\b\bbcd \b\b\b\b");
	EXPECT_LINE("bcd");
	fx_feed(RIGHT "\x7f");
	EXPECT_OUT("b\bcd \b\b\b");
	EXPECT_LINE("cd");
	fx_feed(END RIGHT DELETE);
	EXPECT_OUT("cd"); /* right and delete at the end do nothing */
	fx_feed("\x01" LEFT);
	EXPECT_OUT("\b\b");
	fx_feed("\x05\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1bOH\x1bOF");
	EXPECT_OUT("cd\b\bcd\b\bcd\b\bcd");
	fx_feed(HOME "\r");
	CHECK(strcmp(fx.lines[0], "cd") == 0); /* Enter anywhere takes the whole line */
}

static void test_long_line(void)
{
	char want[SHELL_LINE_MAX + 1];

	fx_setup(NULL, 0);
	for (int i = 0; i < SHELL_LINE_MAX + 45; i++)
		fx_feed("a");
	memset(want, 'a', SHELL_LINE_MAX);
	want[SHELL_LINE_MAX] = '\0';
	CHECK_EQ(fx.out_len, SHELL_LINE_MAX + 45);
	CHECK(memcmp(fx.out, want, SHELL_LINE_MAX) == 0);
	CHECK(fx.out[SHELL_LINE_MAX] == '\a' && fx.out[SHELL_LINE_MAX + 44] == '\a');
	EXPECT_LINE(want);
	fx_clear_output();
	fx_feed(LEFT "b");
	EXPECT_OUT("\b\a"); /* full in the middle too */
	fx_feed("\r");
	CHECK_EQ(strlen(fx.lines[0]), SHELL_LINE_MAX);
}

static void test_ignored_bytes(void)
{
	static const char ignored[] = {0x00, 0x02, 0x04, 0x09, 0x0B, 0x0C, 0x1C, 0x1F};

	fx_setup(NULL, 0);
	fx_feed("ab");
	fx_clear_output();
	fx_feedn(ignored, sizeof(ignored));
	for (int b = 0x80; b <= 0xFF; b++)
		shell_input(&fx.sh, (uint8_t)b);
	EXPECT_OUT("");
	EXPECT_LINE("ab");
}

#define NIHON	"\xE6\x97\xA5\xE6\x9C\xAC" /* 日本: two wide characters */
#define GO	"\xE8\xAA\x9E"		   /* 語 */
#define E_ACUTE "e\xCC\x81"		   /* e and a combining acute accent */

/* UTF-8 typed in: inserted whole, erased and moved over by character, redrawn by column. */
static void test_utf8(void)
{
	fx_setup(NULL, 0);
	fx_feed(NIHON);
	EXPECT_OUT(NIHON);
	EXPECT_LINE(NIHON);
	fx_feed("\x7f");
	EXPECT_OUT("\b\b  \b\b"); /* one character, two columns */
	EXPECT_LINE("\xE6\x97\xA5");
	fx_feed(LEFT "a");
	EXPECT_OUT("\b\ba\xE6\x97\xA5\b\b");
	EXPECT_LINE("a\xE6\x97\xA5");
	fx_feed(RIGHT DELETE);
	EXPECT_OUT("\xE6\x97\xA5"); /* right over the whole character; delete at the end: nothing */
	fx_feed("\xE6\x97x\x9C\xAC\xFF\xC3\xA9");
	EXPECT_LINE("a\xE6\x97\xA5x\xC3\xA9"); /* a cut sequence and stray bytes dropped */
	CHECK(fx_screen_matches());
	fx_feed(CTRL_U E_ACUTE "\x7f");
	EXPECT_LINE(""); /* the accent goes with its letter */
	CHECK(fx_screen_matches());
	fx_feed("\xCC\x81" HOME "\xCC\x81");
	EXPECT_LINE(""); /* an accent with no letter before it: dropped, not put on the prompt */
	CHECK(fx_screen_matches());
	fx_feed("e" HOME "\xCC\x81");
	EXPECT_LINE("e");
	fx_feed(CTRL_U);
	fx_clear_output();
	shell_insert(&fx.sh, GO ".txt");
	fx_feed(HOME);
	EXPECT_OUT(GO ".txt\b\b\b\b\b\b");
	fx_feed("\r");
	CHECK(strcmp(fx.lines[0], GO ".txt") == 0);
	fx_feed(UP);
	EXPECT_LINE(GO ".txt");
	CHECK(fx_screen_matches());
}

static void test_utf8_units(void)
{
	static const char s[] = "a" NIHON E_ACUTE;
	size_t used = 0, len = strlen(s);

	CHECK_EQ(shell_utf8_decode((const uint8_t *)NIHON, 6, &used), 0x65E5);
	CHECK_EQ(used, 3);
	CHECK_EQ(shell_utf8_decode((const uint8_t *)"\xC0\xAF", 2, &used), -1);	    /* overlong */
	CHECK_EQ(shell_utf8_decode((const uint8_t *)"\xED\xA0\x80", 3, &used), -1); /* surrogate */
	CHECK_EQ(shell_utf8_decode((const uint8_t *)"\xF4\x90\x80\x80", 4, &used), -1);
	CHECK_EQ(shell_utf8_decode((const uint8_t *)"\xF0\x9F\x98\x80", 4, &used), 0x1F600);
	CHECK_EQ(shell_utf8_columns(s, 0, len), 1 + 4 + 1);
	CHECK_EQ(shell_utf8_next(s, 1, len), 4);
	CHECK_EQ(shell_utf8_next(s, 7, len), len);
	CHECK_EQ(shell_utf8_prev(s, len), 7);
	CHECK_EQ(shell_utf8_prev(s, 7), 4);
	CHECK_EQ(shell_utf8_prev(s, 1), 0);
}

/* The host's Tab: "hel" before the cursor becomes "hello"; anything else lists two words. */
static void fx_complete(struct shell *sh, const char *line, size_t cursor)
{
	if (cursor == 3 && strncmp(line, "hel", 3) == 0) {
		shell_insert(sh, "lo");
		return;
	}
	shell_write(sh, "\r\nhelp hello\r\n", 14);
	shell_prompt(sh);
}

static void test_tab(void)
{
	fx_setup(NULL, 0);
	fx.sh.cfg.complete = fx_complete;
	fx_feed("hel\t");
	EXPECT_OUT("hello");
	EXPECT_LINE("hello");
	fx_feed(CTRL_U "x\t");
	CHECK(strstr(fx.out, "help hello\r\n> x") != NULL); /* the list, then the line again */
	EXPECT_LINE("x");
	fx_feed("\r");
	CHECK(strcmp(fx.lines[0], "x") == 0);
}

/*
 * Random input, biased to the bytes that matter. In the calm phases the
 * line-ending keys become letters, so lines grow to the limit. After every
 * byte the model screen must agree with the editor, which never overflows.
 */
static uint8_t random_byte(uint32_t *seed, bool calm)
{
	static const char special[] = "\x1b[[OAABBCDHF~3\x7f\x08\r\n\x03\x15\x01\x05";
	uint32_t r = xorshift32(seed);
	uint8_t b = (uint8_t)(0x20 + (r >> 8) % 0x5F);

	if (r % 4 == 0)
		b = (uint8_t)special[(r >> 8) % (sizeof(special) - 1)];
	else if (r % 4 == 1)
		b = (uint8_t)(r >> 8);
	if (calm && (b == '\r' || b == '\n' || b == 0x03 || b == 0x15))
		b = 'x';
	return b;
}

static bool random_step(uint32_t *seed, bool calm, size_t *max_len)
{
	shell_input(&fx.sh, random_byte(seed, calm));
	size_t cursor;
	size_t len = strlen(shell_line(&fx.sh, &cursor));
	if (len > *max_len)
		*max_len = len;
	if (fx.out_len > FX_OUT_MAX / 2)
		fx_clear_output();
	return len <= SHELL_LINE_MAX && cursor <= len && fx_screen_matches() && !fx.bs_at_col0;
}

static void test_random_bytes(void)
{
	uint32_t seed = 0x5eed1234;
	size_t max_len = 0;
	int bad_at = -1;

	fx_setup(NULL, 0);
	for (int i = 0; i < 100000 && bad_at < 0; i++)
		if (!random_step(&seed, (i / 5000) % 2 == 1, &max_len))
			bad_at = i;
	if (bad_at >= 0) {
		fprintf(stderr, "random: screen and line differ after byte %d\n", bad_at);
		fx_print_escaped("row ", fx_row_text());
		fx_print_escaped("line", shell_line(&fx.sh, NULL));
	}
	CHECK_EQ(bad_at, -1);
	CHECK_EQ(max_len, SHELL_LINE_MAX);
	CHECK(fx.line_count > 100);
	CHECK_EQ(shell_history_count(&fx.sh), SHELL_HISTORY);
	CHECK_EQ(fx.bad_ctx, 0);
}

static size_t ten_columns(void *ctx)
{
	(void)ctx;
	return 10;
}

/* A terminal 10 columns wide (shell_config.columns): moves across the wrapped rows. */
static void test_wrap(void)
{
	fx_setup(NULL, 0);
	fx.sh.cfg.columns = ten_columns;
	fx_feed("abcdefgh"); /* "> abcdefgh" fills the first row */
	EXPECT_OUT("abcdefgh \b");
	fx_feed(LEFT);
	EXPECT_OUT("\x1b[1A\r\x1b[9C"); /* up to the row above, its last column */
	fx_feed(LEFT LEFT "X");
	EXPECT_OUT("\b\bXfgh\x1b[1A\r\x1b[8C"); /* the tail redrawn onto row 2, back up */
	EXPECT_LINE("abcdeXfgh");
	fx_feed(END);
	EXPECT_OUT("\x1b[1B\r\x1b[1C");
	fx_feed("\x7f\x7f");
	EXPECT_OUT("\b \b"		  /* on row 2: as without a width */
		   "\x1b[1A\r\x1b[9C  \b" /* up; the blank ends the row: settled */
		   "\x1b[1A\r\x1b[9C");
	fx_feed(HOME);
	EXPECT_OUT("\b\b\b\b\b\b\b");
	fx_feed("\r"); /* below the line's last row first */
	EXPECT_OUT("\x1b[7C\r\n> ");
	CHECK(strcmp(fx.lines[0], "abcdeXf") == 0);
}

int main(void)
{
	test_init();
	test_typing();
	test_enter_forms();
	test_backspace();
	test_ctrl_u();
	test_ctrl_c_idle();
	test_ctrl_c_running();
	test_history_walk();
	test_history_rules();
	test_escape_split();
	test_cursor_keys();
	test_long_line();
	test_wrap();
	test_ignored_bytes();
	test_tab();
	test_utf8();
	test_utf8_units();
	test_random_bytes();
	return check_summary("shell");
}
