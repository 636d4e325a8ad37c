/* SPDX-License-Identifier: MIT */
/*
 * Starting a program from an ELF image in memory: a new process with the
 * image's segments (W^X), a stack holding its start_info (arguments and
 * named handles), and one thread at `priority`. Used by the loader server for
 * every program, and by init once, to start the loader itself.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/handle.h"

#define SPAWN_DEFAULT_PRIORITY	   10
/* The most a program the loader starts may give its threads, unless started higher. */
#define SPAWN_PROGRAM_MAX_PRIORITY 12

/*
 * A handle named "framebuffer" carries the spawner's framebuffer geometry
 * along (start_info fb), one named "ecam" its PCI ECAM geometry (pci), and
 * one named "pci.config" its PCI function (pci_fn).
 */
struct spawn_handle {
	const char *name;
	handle_t handle; /* in the spawner; the child gets a copy */
	uint32_t rights; /* rights the copy keeps (masked by the original's) */
	uint32_t size;	 /* passed through, e.g. a module's byte size */
};

struct spawn_args {
	const char *name;
	int argc;
	const char *const *argv;
	uint32_t handle_count;
	const struct spawn_handle *handles;
	unsigned priority;
	unsigned max_priority; /* for its threads; below `priority` (e.g. 0): `priority` */
};

/*
 * Returns a process handle (>= 0) or a negative error: sys/errors.h codes,
 * or E_INVAL with *elf_err set to the ELF validator's reason. What does not
 * fit a start_info is refused before anything is made, never cut off:
 * E_RANGE for more than START_MAX_ARGS arguments or START_STRINGS bytes of
 * them, or a handle name of START_NAME_MAX characters or more; E_NOSPACE
 * for more than START_MAX_HANDLES handles.
 */
long spawn_elf(const void *file, size_t size, const struct spawn_args *a, int *elf_err);
/* The same from an image in a memory object of `size` bytes (e.g. a boot module). */
long spawn_module(handle_t image, uint32_t size, const struct spawn_args *a, int *elf_err);
