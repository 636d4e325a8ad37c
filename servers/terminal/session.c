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
 * dead.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/fs.h"
#include "proto/loader.h"
#include "proto/stream.h"
#include "sys/fmt.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "term.h"

#define SH_PATH	     "/bin/sh"
#define FS_ENDPOINT  "fs0"
#define FS_VA	     0x0000620000000000ull
#define IMAGE_VA     0x0000630000000000ull
#define FS_BYTES     (64u * 1024)
#define PAGE	     4096u
#define CALL_TIMEOUT (5000 * MS)
#define RETRY_NS     (1000 * MS)
#define RETRY_MAX_NS                                                                               \
	(32000 * MS) /* failed starts back off to this: no disk costs next to nothing */
#define CHUNK	  2048u
#define DRAIN_MAX (64u * 1024) /* bytes taken in before a frame is drawn */

struct term_session {
	struct sys_lock lock; /* over `in`: the event thread writes, the session thread swaps it */
	struct stream in;     /* sh's stdin, our write end (ring NULL: no sh) */
	struct stream out;    /* sh's stdout and stderr, our read end */
	handle_t loader;
	struct fs_client fs;
	bool last_cr;	   /* the last byte written to the grid was CR */
	bool told;	   /* the reason sh cannot start was shown */
	uint64_t retry_ns; /* the wait after the next failed start */
	int cols, rows;	   /* the grid's size, told to each sh on its input stream */
};

static struct term_session session;

static void say(struct terminal *t, const char *text)
{
	sys_lock(&t->shared.lock);
	vt_write(&t->shared.vt, text, strlen(text));
	term_redraw(t);
	sys_unlock(&t->shared.lock);
}

/* The file of sh into a memory object of its own. */
static long load_sh(struct fs_client *c, handle_t *image, uint64_t *size)
{
	struct fs_stat st;
	uint64_t got = 0;
	int fd;
	long err = fs_connect(c, FS_ENDPOINT, FS_VA, FS_BYTES, CALL_TIMEOUT);

	if (err == E_OK)
		err = fs_open(c, SH_PATH, 0, &fd, &st);
	if (err != E_OK)
		return err;
	uint64_t pages = (st.size + PAGE - 1) / PAGE * PAGE;
	long m = st.size == 0 || st.size > LOADER_MAX_IMAGE ? E_RANGE : sys_mobj_create(pages, 0);
	if (m >= 0 && (err = sys_mobj_map(HANDLE_SELF, (handle_t)m, IMAGE_VA, 0, pages,
					  R_READ | R_WRITE)) == E_OK) {
		err = fs_read(c, fd, 0, (void *)IMAGE_VA, st.size, &got);
		sys_unmap(HANDLE_SELF, IMAGE_VA, pages);
	}
	fs_close(c, fd);
	err = m < 0 ? m : err != E_OK ? err : got != st.size ? E_IO : E_OK;
	if (err != E_OK && m >= 0)
		sys_handle_close((handle_t)m);
	*image = (handle_t)m;
	*size = st.size;
	return err;
}

/*
 * Start sh and attach our ends: the process handle or an error. The file is
 * read here, not by path through the loader: the loader is one thread, and
 * a start waiting on a disk that is not there held up every other start.
 */
static long start(struct term_session *s)
{
	struct stream_stdio e;
	handle_t image;
	uint64_t size;
	long err = load_sh(&s->fs, &image, &size); /* first: a failed try makes no kernel objects */

	if (err != E_OK)
		return err;
	err = stream_stdio_make(&e);
	long p = err == E_OK ? stream_stdio_exec(s->loader, &e, "sh", image, size, 0, NULL,
						 CALL_TIMEOUT)
			     : err;
	sys_handle_close(image);

	if (p >= 0 && (err = stream_open(&s->out, e.out_rd)) == E_OK) {
		e.out_rd = HANDLE_INVALID;
		sys_lock(&s->lock);
		err = stream_open(&s->in, e.in_wr);
		if (err == E_OK)
			stream_set_size(&s->in, (uint32_t)s->cols, (uint32_t)s->rows);
		sys_unlock(&s->lock);
		if (err == E_OK)
			e.in_wr = HANDLE_INVALID;
		else
			stream_close(&s->out);
	}
	stream_stdio_close(&e); /* sh holds its own ends; ours would keep its streams from ending */
	if (p >= 0 && err != E_OK) {
		sys_process_kill((handle_t)p);
		sys_handle_close((handle_t)p);
		return err;
	}
	return p;
}

/* Bytes sh wrote into the grid, LF as CR LF. */
static void to_grid(struct terminal *t, const char *buf, size_t n)
{
	char cooked[2 * CHUNK];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' && !session.last_cr)
			cooked[k++] = '\r';
		cooked[k++] = buf[i];
		session.last_cr = buf[i] == '\r';
	}
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
	int64_t code = 0;
	char line[80];

	sys_lock(&s->lock);
	stream_close(&s->in);
	sys_unlock(&s->lock);
	stream_close(&s->out);
	if (sys_process_wait(p, RETRY_NS, &code) < 0) {
		sys_process_kill(p); /* closed its output but lives on: not a shell any more */
		sys_process_wait(p, TIMEOUT_NEVER, &code);
	}
	sys_handle_close(p);
	snprintf(line, sizeof(line), "\r\n[sh ended with code %ld; a new one starts]\r\n",
		 (long)code);
	say(t, line);
}

static void failed(struct terminal *t, struct term_session *s, long err)
{
	char line[96];

	if (!s->told) {
		snprintf(line, sizeof(line), "terminal: cannot start %s: %s; trying again\r\n",
			 SH_PATH, sys_error_name(err));
		say(t, line);
		s->told = true;
	}
	sys_sleep(s->retry_ns);
	s->retry_ns = s->retry_ns >= RETRY_MAX_NS / 2 ? RETRY_MAX_NS : s->retry_ns * 2;
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
		s->told = false;
		s->retry_ns = RETRY_NS;
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
	session.loader = start_handle("loader", NULL);
	session.retry_ns = RETRY_NS;
	session.cols = t->shared.vt.cols;
	session.rows = t->shared.vt.rows;
	t->session = &session;
	if (session.loader == HANDLE_INVALID)
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
		for (size_t i = 0; i < k; i++)
			cooked[i] = bytes[i] == '\r' ? '\n' : bytes[i];
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
