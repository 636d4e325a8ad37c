/* SPDX-License-Identifier: MIT */
/* Host test of kill's pid parsing (proc_parse_pid in proc.c): numbers only, no zero, no overflow.
 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "proc.h"

static void test_good(void)
{
	uint64_t pid = 0;

	CHECK(proc_parse_pid("1", &pid) && pid == 1);
	CHECK(proc_parse_pid("42", &pid) && pid == 42);
	CHECK(proc_parse_pid("007", &pid) && pid == 7);
	CHECK(proc_parse_pid("18446744073709551615", &pid) && pid == UINT64_MAX);
}

static void test_bad(void)
{
	uint64_t pid = 5;
	const char *bad[] = {"",
			     "0",
			     "-1",
			     "+3",
			     "3x",
			     "x3",
			     " 3",
			     "3 ",
			     "%1",
			     "1.5",
			     "18446744073709551616",
			     "99999999999999999999999"};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!proc_parse_pid(bad[i], &pid));
	CHECK(!proc_parse_pid(NULL, &pid));
	CHECK_EQ(pid, 5); /* untouched */
}

int main(void)
{
	test_good();
	test_bad();
	return check_summary("proc");
}
