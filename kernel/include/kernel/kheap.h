/* SPDX-License-Identifier: MIT */
/*
 * Kernel object allocator: size classes up to 2 KiB on slab pages taken from
 * the frame allocator through the direct map. Never called from interrupt
 * context. kheap_stats exposes the leak counters (live objects, pages held).
 */
#pragma once

#include "kernel/types.h"
#include "mm/slab.h"

void kheap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
void kheap_stats(struct slab_stats *out);

/* Any size: slab objects up to SLAB_MAX_SIZE, whole zeroed pages above; free with the size. */
void *kmem_zalloc(size_t size);
void kmem_free(void *p, size_t size);
uint64_t kmem_pages_live(void);
