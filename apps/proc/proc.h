/* SPDX-License-Identifier: MIT */
/*
 * What ps and kill share (proc.c): the process table as a user sees it,
 * the services from the supervisor (proto/svc.h) and the programs from the
 * loader (proto/loader.h, LOADER_LIST), and the pid parsing kill needs
 * (pid.c: pure, with its host test test_proc.c), and ending a program by
 * its pid (killpid.c), which sh's kill builtin uses too.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/handle.h"

/* A decimal pid (1 or more, no sign, no junk, no overflow) from s; false if it is none. */
bool proc_parse_pid(const char *s, uint64_t *pid);

/* End the program with the pid written in word (LOADER_KILL); 0, or 1 after a line on stderr. */
int proc_kill_pid(handle_t loader, const char *word);

/* The name of the service whose running instance has this pid into name (size bytes), or false. */
bool proc_service_of(handle_t svc, uint64_t pid, char *name, uint32_t size);

/* The loader and the supervisor's control endpoint, from the name service (HANDLE_INVALID: none).
 */
handle_t proc_loader(void);
handle_t proc_svc(void);

/* Print the table: services, then programs; 0, or 1 when a source could not be asked. */
int proc_print(handle_t svc, handle_t loader);
