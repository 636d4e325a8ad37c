/* SPDX-License-Identifier: MIT */
/*
 * The loader's handler (loader.c): the ops of proto/loader.h over the boot
 * modules and the ELF spawn path. What it needs of the system comes in
 * struct loader_env, so the host test gives it a fake module table and a
 * fake spawn.
 */
#pragma once

#include <stdint.h>

#include "proto/loader.h"
#include "sys/spawn.h"

struct loader_env {
	handle_t ns; /* given to every program but a service (HANDLE_INVALID: none) */
	/* The image called `name` (a boot module) and its byte size, or HANDLE_INVALID. */
	handle_t (*find_module)(const char *name, uint32_t *size);
	/* spawn_module (sys/spawn.h). */
	long (*spawn)(handle_t image, uint32_t size, const struct spawn_args *a, int *elf_err);
};

/* The ops, with a struct loader_env as their ctx. */
extern const struct loader_ops loader_ops;
