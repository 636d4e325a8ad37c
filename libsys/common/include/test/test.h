/* SPDX-License-Identifier: MIT */
/*
 * The in-guest test framework: one for the kernel's self-tests and for every
 * ring-3 test program (utest, stest, dtest).
 *
 * TEST(suite, name, "what it shows") defines a test and registers it: a
 * pointer in the `test_cases` section, which the runner walks in link order
 * (files in the order the build lists them; -fno-toplevel-reorder keeps the
 * order inside a file). In the test body `t` is the test's context; the T_*
 * checks record the first failure, and all of them but T_FAIL then return
 * from the function that uses them.
 *
 * test_run runs what a list of words selects: `all`, a suite, or suite.name
 * (no words: all). It prints one line per test and a summary:
 *
 *     TEST <suite>.<name> PASS (<ms> ms)
 *     TEST <suite>.<name> FAIL: <what> (<file>:<line>)
 *     TEST SUMMARY <program>: <p> passed, <f> failed, <r> run, <n> registered
 *
 * A word that selects no test is a failed entry of its own,
 * `TEST <word> FAIL: selects no test`, so r is always p + f. The run passes
 * only if r > 0, f == 0 and every selected test passed. Measurements are
 * lines `NOTE <key> <value> <unit>` (test_note).
 *
 * The core (libsys/common/test_core.c) is compiled into the kernel and into
 * libsys's runtime; each host implements the port at the end of this file:
 * the kernel in kernel/core/ktest.c, user space in libsys/test (test_lib).
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/errors.h"
#include "sys/handle.h"

#define TEST_WHAT_MAX 200 /* a failure's description, with its (file:line) */
#define TEST_LINE_MAX 320 /* one output line */

struct test_ctx {
	bool failed;
	char what[TEST_WHAT_MAX]; /* the first failure */
};

struct test_case {
	const char *suite;
	const char *name;
	const char *description;
	void (*fn)(struct test_ctx *t);
};

/*
 * The section holds pointers, not the structs: the compiler may over-align
 * larger objects, and the runner walks the section as an array. Its name is
 * a C identifier so that GNU ld gives user programs __start_/__stop_
 * symbols for it; the kernel's linker script defines the same two.
 */
#define TEST(suite_, name_, desc_)                                                                 \
	static void test_fn_##suite_##_##name_(struct test_ctx *t);                                \
	static const struct test_case test_case_##suite_##_##name_ = {#suite_, #name_, desc_,      \
								      test_fn_##suite_##_##name_}; \
	__attribute__((section("test_cases"),                                                      \
		       used)) static const struct test_case *const test_ptr_##suite_##_##name_ =   \
		&test_case_##suite_##_##name_;                                                     \
	static void test_fn_##suite_##_##name_(struct test_ctx *t)

/* Record a failure (only the first one of a test is kept); does not return. */
#define T_FAIL(...) test_fail(t, __FILE_NAME__, __LINE__, __VA_ARGS__)

/* cond must hold. */
#define T_ASSERT(cond)                                                                             \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			T_FAIL("%s", #cond);                                                       \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* expr must give exactly `want` (numbers or E_* codes; both are shown on failure). */
#define T_EQ(expr, want)                                                                           \
	do {                                                                                       \
		long t_got_ = (long)(expr), t_want_ = (long)(want);                                \
		if (t_got_ != t_want_) {                                                           \
			test_fail_eq(t, __FILE_NAME__, __LINE__, #expr, t_got_, t_want_);          \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* expr must succeed (>= 0); it is evaluated once. */
#define T_OK(expr)                                                                                 \
	do {                                                                                       \
		long t_r_ = (long)(expr);                                                          \
		if (t_r_ < 0) {                                                                    \
			test_fail_want(t, __FILE_NAME__, __LINE__, #expr, t_r_, "success");        \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* Declare `var` as a handle and set it from expr, which must give one (> 0). */
#define T_HANDLE(var, expr)                                                                        \
	handle_t var;                                                                              \
	do {                                                                                       \
		long t_h_ = (long)(expr);                                                          \
		if (t_h_ <= 0) {                                                                   \
			test_fail_want(t, __FILE_NAME__, __LINE__, #expr, t_h_, "a handle");       \
			return;                                                                    \
		}                                                                                  \
		var = (handle_t)t_h_;                                                              \
	} while (0)

/* Stop the test if a helper that was given `t` has failed it. */
#define T_RETURN_IF_FAILED()                                                                       \
	do {                                                                                       \
		if (t->failed)                                                                     \
			return;                                                                    \
	} while (0)

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "<expr>: got <got>, want <want>", error codes by name, big numbers in hex. */
void test_fail_eq(struct test_ctx *t, const char *file, int line, const char *expr, long got,
		  long want);
/* "<expr>: got <got>, want <what>". */
void test_fail_want(struct test_ctx *t, const char *file, int line, const char *expr, long got,
		    const char *what);

/*
 * Run the tests `words` select (all when nwords is 0) under the name
 * `program`; 0 if the run passed, 1 if not.
 */
int test_run(const char *program, int nwords, char *const *words);
/* Whether each word is `all`, a suite or suite.name of a registered test. */
bool test_is_selection(int nwords, char *const *words);
/* Print a measurement: `NOTE <key> <value> <unit>`; key and unit are single words. */
void test_note(const char *key, uint64_t value, const char *unit);

/* --- the port: what the host (kernel or user space) provides --- */

/* Print `line` and a newline in one piece, so other output cannot split it. */
void test_port_print(const char *line);
/* vsnprintf with the host's formatter: %d %u %x %s %c %p, l and z; returns the full length. */
int test_port_vformat(char *buf, size_t size, const char *fmt, va_list ap);
/* A monotonic clock in nanoseconds. */
uint64_t test_port_clock_ns(void);
