/* SPDX-License-Identifier: MIT */
/*
 * utest's entry. As init runs it (no arguments, or words that select tests:
 * run=utest:ipc) the test framework's runner (test/test.h); with a role as
 * argv[0], one of the child roles the tests start (roles.c).
 */
#include "test/main.h"
#include "utest.h"

int main(int argc, char **argv)
{
	if (argc > 0 && !test_is_selection(argc, argv))
		return ut_role_main(argc, argv);
	return test_main("utest", argc, argv);
}
