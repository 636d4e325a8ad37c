/* SPDX-License-Identifier: MIT */
/*
 * stest's entry: the test framework's runner (test/test.h) over the suites
 * (or suite.name tests) named on the command line, all without arguments.
 */
#include "test/main.h"

int main(int argc, char **argv)
{
	return test_main("stest", argc, argv);
}
