/* SPDX-License-Identifier: MIT */
/*
 * The test framework's core (test/test.h), the same in the kernel and in
 * user space: failure recording, selection of tests by words, the runner
 * with its one output format, and measurement notes. It reaches its host
 * only through the port: test_port_print, test_port_vformat and
 * test_port_clock_ns.
 */
#include <string.h>

#include "sys/units.h"
#include "test/test.h"

/* Bounds of the `test_cases` section: GNU ld's in user space, linker.ld's in the kernel. */
extern const struct test_case *const __start_test_cases[], *const __stop_test_cases[];

struct tally {
	unsigned passed, failed, selected, registered;
};

static int format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = test_port_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* One output line. */
static void say(const char *fmt, ...)
{
	char line[TEST_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	test_port_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	test_port_print(line);
}

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
{
	char where[64];
	va_list ap;

	if (t->failed)
		return;
	t->failed = true;
	/* the location always fits: the description gives way to it */
	format(where, sizeof(where), " (%s:%d)", file, line);
	va_start(ap, fmt);
	test_port_vformat(t->what, sizeof(t->what) - strlen(where), fmt, ap);
	va_end(ap);
	memcpy(t->what + strlen(t->what), where, strlen(where) + 1);
}

/* A value as the reader wants it: error codes by name, big numbers in hex. */
static void describe(char *buf, size_t size, long v)
{
	const char *error = sys_error_name(v);

	if (v < 0 && strcmp(error, "E_UNKNOWN") != 0)
		format(buf, size, "%s (%ld)", error, v);
	else if (v > 0xFFFF || v < -0xFFFF)
		format(buf, size, "0x%lx", (unsigned long)v);
	else
		format(buf, size, "%ld", v);
}

void test_fail_eq(struct test_ctx *t, const char *file, int line, const char *expr, long got,
		  long want)
{
	char g[40], w[40];

	describe(g, sizeof(g), got);
	describe(w, sizeof(w), want);
	test_fail(t, file, line, "%s: got %s, want %s", expr, g, w);
}

void test_fail_want(struct test_ctx *t, const char *file, int line, const char *expr, long got,
		    const char *what)
{
	char g[40];

	describe(g, sizeof(g), got);
	test_fail(t, file, line, "%s: got %s, want %s", expr, g, what);
}

/* `all`, the test's suite, or suite.name. */
static bool word_selects(const char *word, const struct test_case *c)
{
	size_t n = strlen(c->suite);

	if (strcmp(word, "all") == 0 || strcmp(word, c->suite) == 0)
		return true;
	return strncmp(word, c->suite, n) == 0 && word[n] == '.' &&
	       strcmp(word + n + 1, c->name) == 0;
}

static bool selected(const struct test_case *c, int nwords, char *const *words)
{
	if (nwords == 0)
		return true;
	for (int i = 0; i < nwords; i++)
		if (word_selects(words[i], c))
			return true;
	return false;
}

static bool word_known(const char *word)
{
	for (const struct test_case *const *p = __start_test_cases; p < __stop_test_cases; p++)
		if (word_selects(word, *p))
			return true;
	return false;
}

bool test_is_selection(int nwords, char *const *words)
{
	for (int i = 0; i < nwords; i++)
		if (!word_known(words[i]))
			return false;
	return true;
}

/* A word that selects nothing is a failed entry: a misspelt selection must not pass. */
static void check_words(struct tally *n, int nwords, char *const *words)
{
	for (int i = 0; i < nwords; i++) {
		if (word_known(words[i]))
			continue;
		say("TEST %s FAIL: selects no test", words[i]);
		n->failed++;
	}
}

static void run_one(struct tally *n, const struct test_case *c)
{
	struct test_ctx ctx = {0};
	uint64_t start = test_port_clock_ns();

	c->fn(&ctx);
	unsigned long ms = (unsigned long)((test_port_clock_ns() - start) / NS_PER_MS);
	if (ctx.failed) {
		n->failed++;
		say("TEST %s.%s FAIL: %s", c->suite, c->name, ctx.what);
	} else {
		n->passed++;
		say("TEST %s.%s PASS (%lu ms)", c->suite, c->name, ms);
	}
}

int test_run(const char *program, int nwords, char *const *words)
{
	struct tally n = {0};
	uint64_t start = test_port_clock_ns();

	check_words(&n, nwords, words);
	for (const struct test_case *const *p = __start_test_cases; p < __stop_test_cases; p++) {
		n.registered++;
		if (!selected(*p, nwords, words))
			continue;
		n.selected++;
		run_one(&n, *p);
	}
	test_note("run_time", (test_port_clock_ns() - start) / NS_PER_MS, "ms");
	unsigned run = n.passed + n.failed;
	say("TEST SUMMARY %s: %u passed, %u failed, %u run, %u registered", program, n.passed,
	    n.failed, run, n.registered);
	return run > 0 && n.failed == 0 && n.passed == n.selected ? 0 : 1;
}

void test_note(const char *key, uint64_t value, const char *unit)
{
	say("NOTE %s %lu %s", key, (unsigned long)value, unit);
}
