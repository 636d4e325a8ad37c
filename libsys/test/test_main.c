/* SPDX-License-Identifier: MIT */
/*
 * The test framework's port for ring-3 programs: whole lines through
 * sys_debug_write (one write per line, so other programs' output cannot
 * split it), libsys's vsnprintf and the kernel clock; and test_main, the
 * entry of a test program.
 */
#include <string.h>

#include "sys/fmt.h"
#include "sys/sys.h"
#include "test/main.h"

void test_port_print(const char *line)
{
	char buf[TEST_LINE_MAX + 1];
	size_t n = strnlen(line, TEST_LINE_MAX);

	memcpy(buf, line, n);
	buf[n] = '\n';
	sys_debug_write(buf, n + 1);
}

int test_port_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

uint64_t test_port_clock_ns(void)
{
	return sys_clock();
}

int test_main(const char *program, int argc, char **argv)
{
	return test_run(program, argc, argv);
}
