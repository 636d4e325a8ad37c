/* SPDX-License-Identifier: MIT */
/* kill's pid parsing (proc.h), pure C for the host test test_proc.c. */
#include "proc.h"

bool proc_parse_pid(const char *s, uint64_t *pid)
{
	uint64_t v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		uint64_t d = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v == 0)
		return false;
	*pid = v;
	return true;
}
