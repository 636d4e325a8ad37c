/* SPDX-License-Identifier: MIT */
/*
 * The process's own heap: malloc and friends over one struct heap that grows
 * by mapping fresh memory objects upwards from USER_HEAP_BASE and shrinks by
 * unmapping them. Each process has its own instance in its own address space.
 */
#include <stdlib.h>

#include "sys/heap.h"
#include "sys/start.h"
#include "sys/sys.h"

static struct heap heap;
static bool heap_ready;
static uintptr_t heap_next = USER_HEAP_BASE;

static void *heap_grow(void *ctx, size_t bytes)
{
	(void)ctx;
	long m = sys_mobj_create(bytes, 0);
	if (m < 0)
		return NULL;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, heap_next, 0, bytes, R_READ | R_WRITE);
	sys_handle_close((handle_t)m);
	if (err < 0)
		return NULL;
	void *p = (void *)heap_next;
	heap_next += bytes;
	return p;
}

static void heap_shrink(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	sys_unmap(HANDLE_SELF, (uintptr_t)p, bytes);
}

static struct heap *the_heap(void)
{
	static const struct heap_ops ops = {heap_grow, heap_shrink, NULL};

	if (!heap_ready) {
		heap_init(&heap, &ops);
		heap_ready = true;
	}
	return &heap;
}

void *malloc(size_t n)
{
	return heap_alloc(the_heap(), n);
}

void *calloc(size_t n, size_t m)
{
	return heap_calloc(the_heap(), n, m);
}

void *realloc(void *p, size_t n)
{
	return heap_realloc(the_heap(), p, n);
}

void free(void *p)
{
	if (p)
		heap_free(the_heap(), p);
}

void malloc_stats(struct heap_stats *out)
{
	heap_stats(the_heap(), out);
}
