/* SPDX-License-Identifier: MIT */
/*
 * A terminal's shell (libsys/tty): what the GUI terminal (servers/terminal)
 * and the serial console (servers/console) both do to keep /bin/sh running
 * on a stream pair, in one place.
 *
 *   tty_sh_start  read /bin/sh from fs0 into a memory object and start it
 *                 through the loader's exec session with "stdin", "stdout"
 *                 and "stderr" (proto/stream.h); our ends come back opened.
 *                 Read here, not by path through the loader: the loader is
 *                 one thread, and a start waiting on a disk that is not
 *                 there held up every other start behind it.
 *   tty_sh_failed a failed start: back off 1 s, 2 s, 4 s ... up to 32 s (a
 *                 machine without a disk pays next to nothing for a terminal
 *                 polling for one); true the first time, when to say why.
 *   tty_sh_reap   sh's output ended: its exit code (killed if it lives on).
 *   tty_crlf      the output half of the line discipline: a LF becomes CR LF.
 *   tty_cr_to_lf  the input half: Enter's CR reaches the program as LF.
 *
 * Host test: libsys/tty/test (unit-tty), over fakes of the calls around it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/fs.h"
#include "proto/stream.h"
#include "sys/handle.h"

#define TTY_SH_PATH "/bin/sh"

struct tty_sh {
	handle_t loader;     /* the start handle "loader" */
	struct fs_client fs; /* fs0, connected on the first start */
	uintptr_t fs_va;     /* where the fs client's 64 KiB buffer goes */
	uintptr_t image_va;  /* where sh's file is mapped while it is read */
	uint64_t retry_ns;   /* the wait after the next failed start */
	bool told;	     /* the reason of the failures was given */
};

/* t's loader and the two addresses set; the back-off starts at 1 s. */
void tty_sh_init(struct tty_sh *t, handle_t loader, uintptr_t fs_va, uintptr_t image_va);
/* Start sh (argc/argv: its arguments); *in (its stdin, ours to write) and *out
 * (its stdout and stderr, ours to read) opened. The process handle or an error. */
long tty_sh_start(struct tty_sh *t, struct stream *in, struct stream *out, int argc,
		  const char *const *argv);
/* A start worked: the back-off and the told flag start over. */
void tty_sh_started(struct tty_sh *t);
/* A start failed: true if the caller should say why (the first failure in a row);
 * then call tty_sh_back_off, which sleeps and doubles the wait, or wait for
 * tty_sh_next_wait (the wait, doubled for the next time) in a way of one's own. */
bool tty_sh_failed(struct tty_sh *t);
void tty_sh_back_off(struct tty_sh *t);
uint64_t tty_sh_next_wait(struct tty_sh *t);
/* sh's streams were closed: wait up to a second for its end (else kill it); the
 * handle is closed; its exit code. */
int64_t tty_sh_reap(handle_t process);

/* LF as CR LF (out holds 2 * n); *last_cr carries the last byte's CR across calls. */
size_t tty_crlf(const char *in, size_t n, char *out, bool *last_cr);
/* CR as LF, in place. */
void tty_cr_to_lf(char *bytes, size_t n);
