/* SPDX-License-Identifier: MIT */
/*
 * The kernel's host for the test framework (test/test.h): its port (printk,
 * kvsnprintf, the monotonic clock) and the entry that runs the tests
 * `ktest=` names, split at commas, and exits QEMU with the verdict.
 */
#include "kernel/ktest.h"

#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "test/test.h"

#define KTEST_LIST_MAX	256
#define KTEST_WORDS_MAX 32

void test_port_print(const char *line)
{
	kprintf("%s\n", line);
}

int test_port_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	return kvsnprintf(buf, size, fmt, ap);
}

uint64_t test_port_clock_ns(void)
{
	return clock_ns();
}

/* Split `list` at commas in place; empty words are dropped. */
static int split_words(char *list, char **words, int max)
{
	int n = 0;

	for (char *p = list; *p && n < max;) {
		char *end = p;
		while (*end && *end != ',')
			end++;
		bool last = *end == '\0';
		*end = '\0';
		if (end != p)
			words[n++] = p;
		p = last ? end : end + 1;
	}
	return n;
}

void ktest_run_selected(void)
{
	char list[KTEST_LIST_MAX];
	char *words[KTEST_WORDS_MAX];

	if (!cmdline_get("ktest", list, sizeof(list)))
		return;
	int n = split_words(list, words, KTEST_WORDS_MAX);
	kernel_exit(test_run("kernel", n, words) == 0 ? KEXIT_SUCCESS : KEXIT_FAILURE);
}
