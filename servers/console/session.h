/* SPDX-License-Identifier: MIT */
/*
 * The console's shell session (session.c): /bin/sh on the serial line,
 * with the rescue shell (the console's shell core) while it cannot start.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The session thread at `priority`; `rescue` is called (on that thread) when
 * the rescue shell takes the line: the host prints its prompt. */
long session_start(unsigned priority, void (*rescue)(void));
/* Typed bytes: to sh when it has the line (true), else false (the rescue shell's). */
bool session_input(const uint8_t *bytes, size_t n);
/* The rescue shell's `sh`: try now instead of at the end of the back-off. */
void session_retry_now(void);
