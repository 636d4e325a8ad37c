/* SPDX-License-Identifier: MIT */
/*
 * The terminal's session: /bin/sh from fs0, started through the loader's
 * exec session with two streams (proto/stream.h) as its "stdin" and its
 * "stdout" and "stderr", and a thread that feeds what it writes into the
 * grid. Between the two sits the line discipline a tty would add: Enter's
 * CR reaches sh as LF, and a LF sh writes becomes CR LF on the grid. A
 * Ctrl-C is the interrupt of sh's input stream (sh passes it on to the
 * program in the foreground). When sh ends (exit, or killed) the thread
 * says so on the grid and starts a fresh one; when it cannot be started
 * (no fs0 yet at boot, no /bin/sh) it says why once and tries again after
 * 1 s, then 2, 4, ... up to 32 s (a system without a disk must not pay for
 * a terminal polling for one: the benchmarks count every instruction), and meanwhile typed keys are
 * echoed on the grid (Enter a new line, Backspace erasing a character), so the window is never
 * dead. Starting sh, the back-off and the line discipline's rewrites are
 * libsys/tty's, shared with the serial console.
 */
#include <stdlib.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "term.h"
#include "tty/tty.h"

#define FS_VA	  0x0000620000000000ull
#define IMAGE_VA  0x0000630000000000ull
#define RETRY_NS  (1000 * MS) /* a shell that ends at once is restarted after this */
#define CHUNK	  2048u
#define DRAIN_MAX (64u * 1024) /* bytes taken in before a frame is drawn */

struct term_session {
	struct sys_lock lock; /* over `in`: the event thread writes, the session thread swaps it */
	struct stream in;     /* sh's stdin, our write end (ring NULL: no sh) */
	struct stream out;    /* sh's stdout and stderr, our read end */
	struct tty_sh sh;     /* how sh is started (libsys/tty) */
	bool last_cr;	      /* the last byte written to the grid was CR */
	int cols, rows;	      /* the grid's size, told to each sh on its input stream */
};

static struct term_session session;

static void say(struct terminal *t, const char *text)
{
	sys_lock(&t->shared.lock);
	vt_write(&t->shared.vt, text, strlen(text));
	term_redraw(t);
	sys_unlock(&t->shared.lock);
}

/* Start sh and attach our ends: the process handle or an error. */
static long start(struct term_session *s)
{
	struct stream in;
	long p = tty_sh_start(&s->sh, &in, &s->out, 0, NULL);

	if (p >= 0) {
		sys_lock(&s->lock);
		s->in = in;
		stream_set_size(&s->in, (uint32_t)s->cols, (uint32_t)s->rows);
		sys_unlock(&s->lock);
	}
	return p;
}

/* Bytes sh wrote into the grid, LF as CR LF. */
static void to_grid(struct terminal *t, const char *buf, size_t n)
{
	char cooked[2 * CHUNK];
	size_t k = tty_crlf(buf, n, cooked, &session.last_cr);

	vt_write(&t->shared.vt, cooked, k);
}

/* Answers the grid owes sh (a cursor position report). */
static void send_replies(struct terminal *t)
{
	char reply[VT_REPLY_MAX];
	size_t n = t->shared.vt.reply_len;

	memcpy(reply, t->shared.vt.reply, n);
	t->shared.vt.reply_len = 0;
	if (n > 0) {
		sys_unlock(&t->shared.lock);
		session_input(t, reply, n);
		sys_lock(&t->shared.lock);
	}
}

/* sh's output into the grid until every writer is gone. */
static void pump(struct terminal *t, struct term_session *s)
{
	static char buf[CHUNK];
	long n;

	while ((n = stream_read(&s->out, buf, sizeof(buf))) > 0 || n == E_INTR) {
		size_t taken = 0;
		sys_lock(&t->shared.lock);
		for (; n > 0 && taken < DRAIN_MAX; n = stream_try_read(&s->out, buf, sizeof(buf))) {
			to_grid(t, buf, (size_t)n);
			taken += (size_t)n;
		}
		send_replies(t);
		term_redraw_output(t);
		sys_unlock(&t->shared.lock);
		if (n == 0)
			break; /* end-of-stream found by try_read */
		sys_yield();   /* a flood of output must not keep the keys' thread from the grid */
	}
}

static void ended(struct terminal *t, struct term_session *s, handle_t p)
{
	char line[80];

	sys_lock(&s->lock);
	stream_close(&s->in);
	sys_unlock(&s->lock);
	stream_close(&s->out);
	int64_t code = tty_sh_reap(p);
	snprintf(line, sizeof(line), "\r\n[sh ended with code %ld; a new one starts]\r\n",
		 (long)code);
	say(t, line);
}

static void failed(struct terminal *t, struct term_session *s, long err)
{
	char line[96];

	if (tty_sh_failed(&s->sh)) {
		snprintf(line, sizeof(line), "terminal: cannot start %s: %s; trying again\r\n",
			 TTY_SH_PATH, sys_error_name(err));
		say(t, line);
	}
	tty_sh_back_off(&s->sh);
}

static void session_thread(void *arg)
{
	struct terminal *t = arg;
	struct term_session *s = t->session;

	for (;;) {
		long p = start(s);
		if (p < 0) {
			failed(t, s, p);
			continue;
		}
		tty_sh_started(&s->sh);
		uint64_t began = sys_clock();
		pump(t, s);
		ended(t, s, (handle_t)p);
		if (sys_clock() - began < RETRY_NS)
			sys_sleep(RETRY_NS); /* a shell that ends at once is not restarted in a loop
					      */
	}
}

long session_start(struct terminal *t)
{
	handle_t loader = start_handle("loader", NULL);

	tty_sh_init(&session.sh, loader, FS_VA, IMAGE_VA);
	session.cols = t->shared.vt.cols;
	session.rows = t->shared.vt.rows;
	t->session = &session;
	if (loader == HANDLE_INVALID)
		return E_NOENT;
	return thread_spawn(session_thread, t, t->priority, NULL);
}

/* No shell: typed keys go straight to the grid. */
static void echo(struct terminal *t, const char *bytes, size_t n)
{
	sys_lock(&t->shared.lock);
	for (size_t i = 0; i < n; i++) {
		if (bytes[i] == '\r')
			vt_write(&t->shared.vt, "\r\n", 2);
		else if (bytes[i] == 0x7F)
			vt_write(&t->shared.vt, "\b \b", 3);
		else
			vt_write(&t->shared.vt, bytes + i, 1);
	}
	term_redraw_output(t);
	sys_unlock(&t->shared.lock);
}

void session_input(struct terminal *t, const char *bytes, size_t n)
{
	char cooked[TERM_KEY_MAX * 4];
	struct term_session *s = t->session;

	while (n > 0) {
		size_t k = n < sizeof(cooked) ? n : sizeof(cooked);
		memcpy(cooked, bytes, k);
		tty_cr_to_lf(cooked, k);
		sys_lock(&s->lock);
		bool shell = s->in.ring != NULL;
		if (shell)
			stream_write(&s->in, cooked, k); /* E_PIPE: sh is ending; the key is lost */
		sys_unlock(&s->lock);
		if (!shell)
			echo(t, bytes, k);
		bytes += k;
		n -= k;
	}
}

void session_resized(struct terminal *t, int cols, int rows)
{
	struct term_session *s = t->session;

	sys_lock(&s->lock);
	s->cols = cols;
	s->rows = rows;
	if (s->in.ring)
		stream_set_size(&s->in, (uint32_t)cols, (uint32_t)rows);
	sys_unlock(&s->lock);
}

void session_interrupt(struct terminal *t)
{
	struct term_session *s = t->session;

	sys_lock(&s->lock);
	if (s->in.ring)
		stream_interrupt(&s->in);
	sys_unlock(&s->lock);
}
