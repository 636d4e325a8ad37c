/* SPDX-License-Identifier: MIT */
/*
 * The console's shell: /bin/sh on the serial line, started at boot and
 * again after every exit (libsys/tty, as the GUI terminal does), with the
 * line as its terminal. A tty's line discipline sits between the two: the
 * CR of Enter reaches sh as LF, a LF sh writes goes out as CR LF, and
 * Ctrl-C (byte 0x03) is no byte but the interrupt of sh's input stream,
 * which sh passes on to the program in the foreground (and kills it at the
 * second). sh's line editor echoes what is typed.
 *
 * The session thread starts sh and copies its output to the UART until it
 * ends. When sh cannot start (no fs0 yet, no /bin/sh, no disk at all) the
 * console's own shell core takes the line as the rescue shell, which says so
 * once; the thread tries again after 1 s, 2 s, 4 s ... up to 32 s, or at
 * once when the rescue shell's `sh` asks, and takes the line back from the
 * rescue shell when sh starts.
 */
#include <string.h>

#include "session.h"
#include "sys/fmt.h"
#include "sys/lock.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "tty/tty.h"
#include "uart.h"

#define FS_VA	      0x0000620000000000ull
#define IMAGE_VA      0x0000630000000000ull
#define RETRY_NS      (1000 * MS) /* a shell that ends at once is restarted after this */
#define CHUNK	      512u
#define KEY_INTERRUPT 0x03

static struct {
	struct sys_lock lock; /* over in and active: the console thread writes, we swap */
	struct stream in;     /* sh's stdin, our write end */
	struct stream out;    /* sh's stdout and stderr, our read end */
	bool active;	      /* sh has the line (else the rescue shell) */
	bool last_cr;
	struct tty_sh sh;
	handle_t wake; /* signalled by session_retry_now */
	void (*rescue)(void);
} session;

static void say(const char *line)
{
	uart_write(line, strlen(line));
}

/* sh's output to the UART until every writer is gone. */
static void pump(void)
{
	static char buf[CHUNK], cooked[2 * CHUNK];
	long n;

	while ((n = stream_read(&session.out, buf, sizeof(buf))) > 0 || n == E_INTR)
		if (n > 0)
			uart_write(cooked, tty_crlf(buf, (size_t)n, cooked, &session.last_cr));
}

static void ended(handle_t p)
{
	char line[80];

	sys_lock(&session.lock);
	session.active = false;
	stream_close(&session.in);
	sys_unlock(&session.lock);
	stream_close(&session.out);
	snprintf(line, sizeof(line), "\r\n[sh ended with code %ld; a new one starts]\r\n",
		 (long)tty_sh_reap(p));
	say(line);
}

static void failed(long err)
{
	char line[120];

	if (tty_sh_failed(&session.sh)) {
		snprintf(line, sizeof(line),
			 "console: cannot start %s: %s; this is the rescue shell (sh tries "
			 "again)\r\n",
			 TTY_SH_PATH, sys_error_name(err));
		say(line);
		session.rescue();
	}
	/* a timeout, or the rescue shell's `sh` */
	sys_ntfn_wait(session.wake, tty_sh_next_wait(&session.sh));
}

static void started(handle_t p, struct stream *in)
{
	sys_lock(&session.lock);
	bool rescued = session.sh.told;
	session.in = *in;
	session.active = true;
	sys_unlock(&session.lock);
	if (rescued)
		say("\r\nconsole: /bin/sh started; the rescue shell ends\r\n");
	tty_sh_started(&session.sh);
	(void)p;
}

static void session_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct stream in;
		long p = tty_sh_start(&session.sh, &in, &session.out, 0, NULL);
		if (p < 0) {
			failed(p);
			continue;
		}
		started((handle_t)p, &in);
		uint64_t began = sys_clock();
		pump();
		ended((handle_t)p);
		if (sys_clock() - began < RETRY_NS)
			sys_sleep(RETRY_NS); /* a shell that ends at once is not restarted in a loop
					      */
	}
}

long session_start(unsigned priority, void (*rescue)(void))
{
	handle_t loader = start_handle("loader", NULL);
	long wake = sys_ntfn_create();

	if (wake < 0)
		return wake;
	session.wake = (handle_t)wake;
	session.rescue = rescue;
	tty_sh_init(&session.sh, loader, FS_VA, IMAGE_VA);
	return thread_spawn(session_thread, NULL, priority, NULL);
}

void session_retry_now(void)
{
	sys_ntfn_signal(session.wake, 1);
}

bool session_input(const uint8_t *bytes, size_t n)
{
	char cooked[64];
	size_t k = 0;

	sys_lock(&session.lock);
	bool active = session.active;
	for (size_t i = 0; active && i < n; i++) {
		if (bytes[i] != KEY_INTERRUPT)
			cooked[k++] = bytes[i] == '\r' ? '\n' : (char)bytes[i];
		if (k && (k == sizeof(cooked) || bytes[i] == KEY_INTERRUPT || i == n - 1)) {
			stream_write(&session.in, cooked, k); /* E_PIPE: sh is ending */
			k = 0;
		}
		if (bytes[i] == KEY_INTERRUPT)
			stream_interrupt(&session.in);
	}
	sys_unlock(&session.lock);
	return active;
}
