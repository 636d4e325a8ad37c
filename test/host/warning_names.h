/* SPDX-License-Identifier: MIT */
/*
 * A shared check for the parsers' warning-name tables (acpi_warning_name,
 * mb2_warning_name): no two single warning bits share a name. Include it
 * after check.h; its CHECKs count towards the including test program.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#include "check.h"

/* CHECK that the single bits' names all differ; return how many bits have a name. */
static inline int check_distinct_warning_names(const char *(*name_of)(uint32_t bit))
{
	const char *seen[32] = {0};
	int named = 0;
	for (int i = 0; i < 32; i++) {
		const char *n = name_of(1u << i);
		if (strcmp(n, "unknown warning") == 0)
			continue;
		for (int j = 0; j < named; j++)
			CHECK(strcmp(seen[j], n) != 0);
		seen[named++] = n;
	}
	return named;
}
