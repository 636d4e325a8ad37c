/* SPDX-License-Identifier: MIT */
/*
 * Empty symbol table for the first kernel link. The second link replaces it
 * with the generated table; .ksyms is the last section, so nothing moves.
 */
#include "kernel/ksyms.h"

__attribute__((section(".ksyms"))) const uint64_t ksym_count = 0;
__attribute__((section(".ksyms"))) const struct ksym ksym_table[1];
__attribute__((section(".ksyms"))) const char ksym_names[1];
