/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the test framework's core (test_core.c): a few TEST
 * cases of its own, some failing on purpose, run through test_run with a
 * port that keeps the output lines. Checked: the exact PASS, FAIL, NOTE
 * and SUMMARY lines; what T_EQ, T_OK and T_HANDLE say (error codes by
 * name, big numbers in hex); that only the first failure counts and its
 * location survives a long description; selection by `all`, suite and
 * suite.name, a word that selects nothing, and the verdict.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sys/units.h"
#include "test/test.h"

#define MAX_LINES 32

static char lines[MAX_LINES][TEST_LINE_MAX];
static int line_count;
static int after_fail; /* T_FAIL does not return: the code after it runs */

void test_port_print(const char *line)
{
	if (line_count < MAX_LINES)
		snprintf(lines[line_count++], TEST_LINE_MAX, "%s", line);
}

int test_port_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

uint64_t test_port_clock_ns(void)
{
	return 0;
}

TEST(alpha, passes, "every check holds")
{
	T_ASSERT(1 + 1 == 2);
	T_EQ(3, 3);
	T_OK(0);
	T_HANDLE(h, 7);
	T_EQ(h, 7);
	test_note("speed", 42, "ops");
}

TEST(alpha, eq_error_code, "T_EQ names error codes")
{
	long got = E_FAULT;

	T_EQ(got, E_OK);
	T_FAIL("not reached");
}

TEST(beta, eq_hex, "T_EQ shows big numbers in hex; only the first failure counts")
{
	long big = 0x12345;

	T_FAIL("first %d", 1);
	after_fail = 1;
	T_EQ(big, 1);
}

TEST(beta, handle_and_ok, "T_HANDLE wants a handle")
{
	T_OK(5);
	T_HANDLE(h, E_BADHANDLE);
	(void)h;
}

TEST(beta, long_what, "a long description gives way to the location")
{
	T_FAIL("%0300d", 0);
}

TEST(gamma, ok_fails, "T_OK wants success")
{
	T_OK(E_NOMEM);
}

static int run(int nwords, char **words)
{
	line_count = 0;
	return test_run("host", nwords, words);
}

static int has_line(const char *want)
{
	for (int i = 0; i < line_count; i++)
		if (strcmp(lines[i], want) == 0)
			return 1;
	fprintf(stderr, "no line: %s\n", want);
	return 0;
}

static void check_whole_run(void)
{
	CHECK_EQ(run(0, NULL), 1);
	CHECK_EQ(line_count, 9);	      /* 6 tests, 1 note, run_time, summary */
	CHECK(has_line("NOTE speed 42 ops")); /* the order is the compiler's here */
	CHECK(has_line("TEST alpha.passes PASS (0 ms)"));
	CHECK(has_line("TEST alpha.eq_error_code FAIL: got: got E_FAULT (-4), want 0 "
		       "(test_test_core.c:56)"));
	CHECK(has_line("TEST beta.eq_hex FAIL: first 1 (test_test_core.c:64)"));
	CHECK(after_fail);
	CHECK(has_line("TEST beta.handle_and_ok FAIL: E_BADHANDLE: got E_BADHANDLE (-2), "
		       "want a handle (test_test_core.c:72)"));
	CHECK(has_line("TEST gamma.ok_fails FAIL: E_NOMEM: got E_NOMEM (-5), want success "
		       "(test_test_core.c:83)"));
	CHECK(has_line("NOTE run_time 0 ms"));
	CHECK(strcmp(lines[8], "TEST SUMMARY host: 1 passed, 5 failed, 6 run, 6 registered") == 0);
}

static void check_long_what(void)
{
	const char *tail = "0000 (test_test_core.c:78)";
	const char *line = NULL;

	run(0, NULL);
	for (int i = 0; i < line_count; i++)
		if (strncmp(lines[i], "TEST beta.long_what FAIL: ", 26) == 0)
			line = lines[i];
	CHECK(line != NULL);
	if (!line)
		return;
	CHECK_EQ(strlen(line), 26 + TEST_WHAT_MAX - 1);
	CHECK(strcmp(line + strlen(line) - strlen(tail), tail) == 0);
}

static void check_selection(void)
{
	char *suite[] = {"alpha"}, *one[] = {"alpha.passes"}, *two[] = {"gamma", "alpha.passes"};
	char *all[] = {"all"}, *unknown[] = {"alpha.passes", "nosuch"};

	CHECK_EQ(run(1, one), 0);
	CHECK(has_line("TEST SUMMARY host: 1 passed, 0 failed, 1 run, 6 registered"));
	CHECK_EQ(run(1, suite), 1);
	CHECK(has_line("TEST SUMMARY host: 1 passed, 1 failed, 2 run, 6 registered"));
	CHECK_EQ(run(2, two), 1);
	CHECK(has_line("TEST SUMMARY host: 1 passed, 1 failed, 2 run, 6 registered"));
	CHECK_EQ(run(1, all), 1);
	CHECK(has_line("TEST SUMMARY host: 1 passed, 5 failed, 6 run, 6 registered"));
	CHECK_EQ(run(2, unknown), 1);
	CHECK(strcmp(lines[0], "TEST nosuch FAIL: selects no test") == 0);
	CHECK(has_line("TEST SUMMARY host: 1 passed, 1 failed, 2 run, 6 registered"));
}

static void check_words(void)
{
	char *good[] = {"all", "beta", "gamma.ok_fails"};
	char *near[][1] = {{"alph"}, {"alphax"}, {"alpha."}, {"alpha.pass"}, {"passes"}, {""}};

	CHECK(test_is_selection(0, NULL));
	CHECK(test_is_selection(3, good));
	for (size_t i = 0; i < ARRAY_SIZE(near); i++)
		CHECK(!test_is_selection(1, near[i]));
	CHECK_EQ(run(1, near[1]), 1);
	CHECK(has_line("TEST SUMMARY host: 0 passed, 1 failed, 1 run, 6 registered"));
}

int main(void)
{
	check_whole_run();
	check_long_what();
	check_selection();
	check_words();
	return check_summary("test_core");
}
