/* SPDX-License-Identifier: MIT */
/* Guard-paged kernel stacks for threads (see proc/kstack.c). */
#pragma once

#include "kernel/types.h"

int kstack_alloc(uintptr_t *top);
void kstack_free(uintptr_t top);
bool kstack_is_guard(vaddr_t va);
