/* SPDX-License-Identifier: MIT */
/*
 * Basic kernel types shared by every kernel file and by the host unit tests
 * that compile kernel sources natively. Only freestanding headers here.
 */
#pragma once

#include "sys/units.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* virtual address */

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)

#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#define UNUSED	    __attribute__((unused))
#define NORETURN    __attribute__((noreturn))
#define PACKED	    __attribute__((packed))
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* A half-open range of physical addresses [start, end). */
struct mem_range {
	paddr_t start;
	paddr_t end;
};
