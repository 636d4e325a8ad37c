/* SPDX-License-Identifier: MIT */
/*
 * Host test of libsys/tty: tty_sh_start over fakes of the fs client, the
 * stream calls and the process calls (each fake fails on demand and counts
 * what it made and what was given back), so every failure leaves nothing
 * behind; the back-off's doubling and cap; the reaping of a shell that
 * lives on; and the two byte rewrites of the line discipline.
 */
#include <string.h>

#include "check.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "tty/tty.h"

#define FAKE_IMAGE   0x51
#define FAKE_PROCESS 0x77

/* Which fake fails (its error), and what the fakes saw. */
static struct {
	long connect, read, make, exec, open_out, open_in, wait;
	unsigned connects, reads, images_closed, stdio_made, stdio_closed, opened, closed;
	unsigned kills, waits, sleeps;
	uint64_t slept, wait_timeout[2];
	const char *read_path;
	int argc;
	handle_t left_in_e[5]; /* e's handles at stream_stdio_close */
} fk;

long fs_connect(struct fs_client *c, const char *endpoint, uintptr_t va, uint64_t bytes,
		uint64_t timeout)
{
	(void)timeout;
	fk.connects++;
	if (fk.connect == E_OK && strcmp(endpoint, "fs0") == 0 && va && bytes)
		c->ep = 1;
	return fk.connect;
}

long fs_read_object(struct fs_client *c, const char *path, const struct fs_object_read *how,
		    handle_t *image, uint64_t *size)
{
	(void)c, (void)how;
	fk.reads++;
	fk.read_path = path;
	if (fk.read != E_OK)
		return fk.read;
	*image = FAKE_IMAGE;
	*size = 4096;
	return E_OK;
}

long stream_stdio_make(struct stream_stdio *e)
{
	if (fk.make != E_OK)
		return fk.make;
	fk.stdio_made++;
	*e = (struct stream_stdio){10, 11, 12, 13, 14};
	return E_OK;
}

void stream_stdio_close(struct stream_stdio *e)
{
	fk.stdio_closed++;
	memcpy(fk.left_in_e, e, sizeof(fk.left_in_e));
}

long stream_stdio_exec(handle_t loader, const struct stream_stdio *e, const char *path,
		       handle_t image, uint64_t size, int argc, const char *const *argv,
		       uint64_t timeout)
{
	(void)loader, (void)e, (void)path, (void)size, (void)argv, (void)timeout;
	fk.argc = argc;
	if (image != FAKE_IMAGE)
		return E_BADHANDLE;
	return fk.exec != E_OK ? fk.exec : FAKE_PROCESS;
}

long stream_open(struct stream *s, handle_t end)
{
	long err = end == 12 ? fk.open_out : fk.open_in;

	if (err == E_OK) {
		fk.opened++;
		s->end = end;
	}
	return err;
}

void stream_close(struct stream *s)
{
	(void)s;
	fk.closed++;
}

long sys_handle_close(handle_t h)
{
	if (h == FAKE_IMAGE)
		fk.images_closed++;
	return E_OK;
}

long sys_process_kill(handle_t process)
{
	fk.kills += process == FAKE_PROCESS;
	return E_OK;
}

long sys_process_wait(handle_t process, uint64_t timeout, int64_t *code)
{
	(void)process;
	fk.wait_timeout[fk.waits++ % 2] = timeout;
	if (fk.wait != E_OK && fk.waits == 1)
		return fk.wait;
	*code = 3;
	return E_OK;
}

long sys_sleep(uint64_t ns)
{
	fk.sleeps++;
	fk.slept = ns;
	return E_OK;
}

static long start(struct tty_sh *t)
{
	static const char *const argv[] = {"-i"};
	struct stream in = {0}, out = {0};

	return tty_sh_start(t, &in, &out, 1, argv);
}

static void starts(void)
{
	struct tty_sh t;

	tty_sh_init(&t, 5, 0x1000, 0x2000);
	memset(&fk, 0, sizeof(fk));
	CHECK_EQ(start(&t), FAKE_PROCESS); /* all goes well: both our ends open, the image closed */
	CHECK(strcmp(fk.read_path, TTY_SH_PATH) == 0);
	CHECK_EQ(fk.argc, 1);
	CHECK_EQ(fk.opened, 2);
	CHECK_EQ(fk.images_closed, 1);
	CHECK_EQ(fk.stdio_closed, 1);
	CHECK_EQ(fk.left_in_e[1], HANDLE_INVALID); /* in_wr and out_rd went to our streams */
	CHECK_EQ(fk.left_in_e[2], HANDLE_INVALID);
	CHECK_EQ(fk.left_in_e[0], 10); /* the child's ends are still closed by us */

	memset(&fk, 0, sizeof(fk)); /* no disk: nothing made, the error passed on */
	fk.connect = E_TIMEOUT;
	tty_sh_init(&t, 5, 0x1000, 0x2000);
	CHECK_EQ(start(&t), E_TIMEOUT);
	CHECK_EQ(fk.reads, 0);
	CHECK_EQ(fk.stdio_made, 0);

	memset(&fk, 0, sizeof(fk)); /* no /bin/sh */
	fk.read = E_NOENT;
	CHECK_EQ(start(&t), E_NOENT);
	CHECK_EQ(fk.stdio_made, 0);

	memset(&fk, 0, sizeof(fk)); /* no streams: the image is still given back */
	fk.make = E_NOMEM;
	CHECK_EQ(start(&t), E_NOMEM);
	CHECK_EQ(fk.images_closed, 1);

	memset(&fk, 0, sizeof(fk)); /* the loader refuses: everything given back, nothing opened */
	fk.exec = E_NOEXEC;
	CHECK_EQ(start(&t), E_NOEXEC);
	CHECK_EQ(fk.images_closed, 1);
	CHECK_EQ(fk.stdio_closed, 1);
	CHECK_EQ(fk.opened, 0);
	CHECK_EQ(fk.kills, 0);

	memset(&fk, 0, sizeof(fk)); /* our second end fails: the first closed, sh killed */
	fk.open_in = E_NOMEM;
	CHECK_EQ(start(&t), E_NOMEM);
	CHECK_EQ(fk.opened, 1);
	CHECK_EQ(fk.closed, 1);
	CHECK_EQ(fk.kills, 1);
	CHECK_EQ(fk.stdio_closed, 1);

	memset(&fk, 0, sizeof(fk)); /* the first end fails: nothing opened stays open */
	fk.open_out = E_NOMEM;
	CHECK_EQ(start(&t), E_NOMEM);
	CHECK_EQ(fk.opened, 0);
	CHECK_EQ(fk.closed, 0);
	CHECK_EQ(fk.kills, 1);
}

static void back_off(void)
{
	struct tty_sh t;
	static const uint64_t want[] = {1, 2, 4, 8, 16, 32, 32, 32};

	tty_sh_init(&t, 5, 0, 0);
	CHECK(tty_sh_failed(&t)); /* the first failure in a row is told, the next ones not */
	CHECK(!tty_sh_failed(&t));
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_EQ(tty_sh_next_wait(&t), want[i] * 1000000000ull);
	memset(&fk, 0, sizeof(fk));
	tty_sh_back_off(&t);
	CHECK_EQ(fk.sleeps, 1);
	CHECK_EQ(fk.slept, 32000000000ull);
	tty_sh_started(&t); /* a start worked: 1 s again, and the next failure told again */
	CHECK(tty_sh_failed(&t));
	CHECK_EQ(tty_sh_next_wait(&t), 1000000000ull);
}

static void reaping(void)
{
	memset(&fk, 0, sizeof(fk)); /* sh ends within the second */
	CHECK_EQ(tty_sh_reap(FAKE_PROCESS), 3);
	CHECK_EQ(fk.kills, 0);
	CHECK_EQ(fk.waits, 1);
	CHECK_EQ(fk.wait_timeout[0], 1000000000ull);

	memset(&fk, 0, sizeof(fk)); /* it closed its output but lives on: killed, then waited for */
	fk.wait = E_TIMEOUT;
	CHECK_EQ(tty_sh_reap(FAKE_PROCESS), 3);
	CHECK_EQ(fk.kills, 1);
	CHECK_EQ(fk.waits, 2);
	CHECK_EQ(fk.wait_timeout[1], TIMEOUT_NEVER);
}

static void line_discipline(void)
{
	char out[32];
	bool cr = false;
	size_t n = tty_crlf("a\nb\r\n", 5, out, &cr);

	CHECK_EQ(n, 6); /* the bare LF gains a CR, the CR LF stays as it is */
	CHECK(memcmp(out, "a\r\nb\r\n", 6) == 0);
	cr = false; /* a CR at the end of one write and its LF at the start of the next */
	CHECK_EQ(tty_crlf("x\r", 2, out, &cr), 2);
	CHECK(cr);
	CHECK_EQ(tty_crlf("\ny\n", 3, out, &cr), 4);
	CHECK(memcmp(out, "\ny\r\n", 4) == 0);
	CHECK(!cr);
	CHECK_EQ(tty_crlf("", 0, out, &cr), 0);

	char in[] = "ls\r\rpwd\n";
	tty_cr_to_lf(in, sizeof(in) - 1);
	CHECK(strcmp(in, "ls\n\npwd\n") == 0);
}

int main(void)
{
	starts();
	back_off();
	reaping();
	line_discipline();
	return check_summary("tty");
}
