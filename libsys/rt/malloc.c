/* SPDX-License-Identifier: MIT */
/*
 * The process's own heap: malloc and friends over one struct heap that grows
 * by mapping fresh memory objects upwards from USER_HEAP_BASE and shrinks by
 * unmapping them. Each process has its own instance in its own address space.
 */
#include <stdlib.h>

#include "fault_inject.h"
#include "sys/heap.h"
#include "sys/lock.h"
#include "sys/start.h"
#include "sys/sys.h"

static struct heap heap;
static bool heap_ready;
static struct sys_lock heap_lock; /* threads of one process share the heap */
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

/* Take the heap lock (and set the heap up on first use). */
static struct heap *heap_acquire(void)
{
	static const struct heap_ops ops = {heap_grow, heap_shrink, NULL};

	sys_lock(&heap_lock);
	if (!heap_ready) {
		heap_init(&heap, &ops);
		heap_ready = true;
	}
	return &heap;
}

static void heap_release(void)
{
	sys_unlock(&heap_lock);
}

unsigned char *malloc_byte_at(uint64_t r)
{
	unsigned char *p = heap_byte_at(heap_acquire(), r);
	heap_release();
	return p;
}

void *malloc(size_t n)
{
	void *p = heap_alloc(heap_acquire(), n);
	heap_release();
	return p;
}

void *calloc(size_t n, size_t m)
{
	void *p = heap_calloc(heap_acquire(), n, m);
	heap_release();
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q = heap_realloc(heap_acquire(), p, n);
	heap_release();
	return q;
}

void free(void *p)
{
	if (!p)
		return;
	heap_free(heap_acquire(), p);
	heap_release();
}

void malloc_stats(struct heap_stats *out)
{
	heap_stats(heap_acquire(), out);
	heap_release();
}
