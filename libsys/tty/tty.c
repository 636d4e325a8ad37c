/* SPDX-License-Identifier: MIT */
/*
 * A terminal's shell (tty/tty.h): /bin/sh read from fs0 and started on a
 * stream pair, the back-off between failed starts, the reaping of an ended
 * sh, and the line discipline's two byte rewrites.
 */
#include "tty/tty.h"

#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/sys.h"
#include "sys/units.h"

#define FS_ENDPOINT  "fs0"
#define FS_BYTES     (64u * 1024)
#define CALL_TIMEOUT (5000 * MS)
#define RETRY_NS     (1000 * MS)
#define RETRY_MAX_NS (32000 * MS)
#define REAP_NS	     (1000 * MS)

void tty_sh_init(struct tty_sh *t, handle_t loader, uintptr_t fs_va, uintptr_t image_va)
{
	*t = (struct tty_sh){
		.loader = loader, .fs_va = fs_va, .image_va = image_va, .retry_ns = RETRY_NS};
}

/* The file of sh into a memory object of its own. */
static long load_sh(struct tty_sh *t, handle_t *image, uint64_t *size)
{
	const struct fs_object_read how = {.max = LOADER_MAX_IMAGE, .va = t->image_va};
	long err = fs_connect(&t->fs, FS_ENDPOINT, t->fs_va, FS_BYTES, CALL_TIMEOUT);

	return err != E_OK ? err : fs_read_object(&t->fs, TTY_SH_PATH, &how, image, size);
}

/* Our ends of e opened into in and out: all or none. */
static long attach(struct stream_stdio *e, struct stream *in, struct stream *out)
{
	long err = stream_open(out, e->out_rd);

	if (err != E_OK)
		return err;
	e->out_rd = HANDLE_INVALID;
	err = stream_open(in, e->in_wr);
	if (err != E_OK) {
		stream_close(out);
		return err;
	}
	e->in_wr = HANDLE_INVALID;
	return E_OK;
}

long tty_sh_start(struct tty_sh *t, struct stream *in, struct stream *out, int argc,
		  const char *const *argv)
{
	struct stream_stdio e;
	handle_t image;
	uint64_t size;
	long err = load_sh(t, &image, &size); /* first: a failed try makes no kernel objects */

	if (err != E_OK)
		return err;
	err = stream_stdio_make(&e);
	long p = err == E_OK ? stream_stdio_exec(t->loader, &e, "sh", image, size, argc, argv,
						 CALL_TIMEOUT)
			     : err;
	sys_handle_close(image);
	if (p >= 0)
		err = attach(&e, in, out);
	stream_stdio_close(&e); /* sh holds its own ends; ours would keep its streams from ending */
	if (p >= 0 && err != E_OK) {
		sys_process_kill((handle_t)p);
		sys_handle_close((handle_t)p);
		return err;
	}
	return p;
}

void tty_sh_started(struct tty_sh *t)
{
	t->told = false;
	t->retry_ns = RETRY_NS;
}

bool tty_sh_failed(struct tty_sh *t)
{
	bool tell = !t->told;

	t->told = true;
	return tell;
}

uint64_t tty_sh_next_wait(struct tty_sh *t)
{
	uint64_t wait = t->retry_ns;

	t->retry_ns = wait >= RETRY_MAX_NS / 2 ? RETRY_MAX_NS : wait * 2;
	return wait;
}

void tty_sh_back_off(struct tty_sh *t)
{
	sys_sleep(tty_sh_next_wait(t));
}

int64_t tty_sh_reap(handle_t process)
{
	int64_t code = 0;

	if (sys_process_wait(process, REAP_NS, &code) < 0) {
		sys_process_kill(
			process); /* closed its output but lives on: not a shell any more */
		sys_process_wait(process, TIMEOUT_NEVER, &code);
	}
	sys_handle_close(process);
	return code;
}

size_t tty_crlf(const char *in, size_t n, char *out, bool *last_cr)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\n' && !*last_cr)
			out[k++] = '\r';
		out[k++] = in[i];
		*last_cr = in[i] == '\r';
	}
	return k;
}

void tty_cr_to_lf(char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bytes[i] == '\r')
			bytes[i] = '\n';
}
