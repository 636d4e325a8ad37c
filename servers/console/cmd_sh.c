/* SPDX-License-Identifier: MIT */
/*
 * sh: the shell program (apps/sh) on the serial line. `sh [args]` has the
 * loader start /bin/sh with two streams (proto/stream.h): the
 * console writes what arrives on the UART into sh's stdin (Ctrl-C, byte
 * 0x03, becomes an interrupt on that stream instead), and a thread copies
 * sh's stdout and stderr to the UART, turning a lone "\n" into "\r\n" as
 * a terminal's line discipline would. sh is the console's job (cmd_run.c)
 * until it ends; then the console's own prompt comes back.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proto/loader.h"
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/spawn.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "uart.h"

#define SH_PATH	      "/bin/sh"
#define EXEC_TIMEOUT  (5000 * MS)
#define DRAIN_WAIT_NS (10 * MS)
#define DRAIN_ROUNDS  100 /* at most a second for the output of a session to end */
#define KEY_INTERRUPT 0x03

struct sh_output {
	struct stream s;
	int done;
};

static struct {
	bool active;
	struct stream in;
	struct sh_output *out;
} session;

/* sh's output to the UART until every writer is gone. */
static void output_thread(void *arg)
{
	struct sh_output *o = arg;
	char buf[512], cooked[1024];
	char last = 0;
	long n;

	while ((n = stream_read(&o->s, buf, sizeof(buf))) != 0 && n != E_PIPE) {
		size_t k = 0;
		if (n < 0)
			break;
		for (long i = 0; i < n; i++) {
			if (buf[i] == '\n' && last != '\r')
				cooked[k++] = '\r';
			cooked[k++] = last = buf[i];
		}
		uart_write(cooked, k);
	}
	stream_close(&o->s);
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
}

/* Our ends attached: stdin's writer here, stdout's reader in the output thread. */
static long attach(struct stream_stdio *e, unsigned priority)
{
	struct sh_output *o = calloc(1, sizeof(*o));
	long err = o ? stream_open(&session.in, e->in_wr) : E_NOMEM;

	if (err == E_OK) {
		e->in_wr = HANDLE_INVALID;
		err = stream_open(&o->s, e->out_rd);
	}
	if (err == E_OK) {
		e->out_rd = HANDLE_INVALID;
		err = thread_spawn(output_thread, o, priority, NULL);
	}
	if (err != E_OK) {
		if (o && o->s.ring)
			stream_close(&o->s);
		free(o);
		stream_close(&session.in);
		return err;
	}
	session.out = o;
	return E_OK;
}

int cmd_sh(struct shell *sh, int argc, char **argv)
{
	struct cmd_env *env = cmd_env_of(sh);
	struct stream_stdio e = {0};

	if (session.active || session.out) {
		shell_printf(sh, "sh: the last session's output is still open\n");
		return E_BUSY;
	}
	long err = stream_stdio_make(&e);
	long p = err == E_OK
			 ? stream_stdio_exec(env->loader, &e, SH_PATH, HANDLE_INVALID, 0, argc - 1,
					     (const char *const *)argv + 1, EXEC_TIMEOUT)
			 : err;
	if (p >= 0 && (err = attach(&e, env->priority)) != E_OK)
		sys_process_kill((handle_t)p);
	stream_stdio_close(&e); /* sh holds its own ends now; ours would keep them from ending */
	if (p < 0 || err != E_OK) {
		shell_printf(sh, "sh: cannot start %s: %s\n", SH_PATH,
			     sys_error_name(p < 0 ? p : err));
		return (int)(p < 0 ? p : err);
	}
	session.active = true;
	return cmd_job_watch(sh, "sh", "sh", (handle_t)p);
}

bool cmd_sh_active(void)
{
	return session.active;
}

void cmd_sh_input(const uint8_t *bytes, size_t n)
{
	uint8_t cooked[64];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (bytes[i] != KEY_INTERRUPT)
			cooked[k++] = bytes[i] == '\r' ? '\n' : bytes[i];
		if (k && (k == sizeof(cooked) || bytes[i] == KEY_INTERRUPT || i == n - 1)) {
			stream_write(&session.in, cooked, k); /* E_PIPE: sh is ending */
			k = 0;
		}
		if (bytes[i] == KEY_INTERRUPT)
			stream_interrupt(&session.in);
	}
}

void cmd_sh_finished(void)
{
	if (!session.active)
		return;
	session.active = false;
	stream_close(&session.in);
	for (int i = 0; i < DRAIN_ROUNDS && !__atomic_load_n(&session.out->done, __ATOMIC_ACQUIRE);
	     i++)
		sys_sleep(DRAIN_WAIT_NS);
	if (__atomic_load_n(&session.out->done, __ATOMIC_ACQUIRE)) {
		free(session.out);
		session.out = NULL;
	} /* else a background program still holds sh's output: it goes on to the line */
}
