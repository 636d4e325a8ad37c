/* SPDX-License-Identifier: MIT */
/*
 * Redirections: a program only ever reads and writes streams, so for
 * '< file' sh makes a stream, gives the program its read end and copies
 * the file into the write end from a thread; for '>', '>>' and '2>' the
 * other way round, from the read end into the file, until end-of-stream
 * (every writer gone: the program ended, and sh closed its own copy).
 * sh_pumps_wait waits for every copy to finish, so a file written by
 * `echo a > f` is complete when the next command runs.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"

#define CHUNK	      4096u
#define PUMP_PRIORITY 11 /* above the programs it serves (10) */

struct pump {
	struct stream s;
	int file;
	uint64_t offset;
	bool to_file;
	char name[48];
};

static int pumps_running;
static handle_t pumps_done = HANDLE_INVALID; /* a notification: a pump finished */

/*
 * n bytes of the file at p->offset, read into or written from buf: the
 * bytes moved (a read gives 0 at the file's end) or an error.
 */
static long file_io(struct pump *p, uint8_t *buf, uint64_t n)
{
	sh_fs_lock();
	long done = p->to_file ? vfs_pwrite(p->file, buf, n, p->offset)
			       : vfs_pread(p->file, buf, n, p->offset);
	sh_fs_unlock();
	if (done > 0)
		p->offset += (uint64_t)done;
	return done;
}

static void run_pump(struct pump *p)
{
	uint8_t buf[CHUNK];
	long n;

	if (p->to_file) {
		while ((n = stream_read(&p->s, buf, sizeof(buf))) > 0 || n == E_INTR) {
			long put = n > 0 ? file_io(p, buf, (uint64_t)n) : 0;
			if (put != n && n > 0) {
				dprintf(2, "sh: %s: %s\n", p->name,
					vfs_strerror(put < 0 ? put : E_IO));
				break;
			}
		}
	} else {
		while ((n = file_io(p, buf, sizeof(buf))) > 0)
			if (stream_write(&p->s, buf, (size_t)n) < 0)
				break; /* E_PIPE: the program stopped reading */
	}
}

static void pump_main(void *arg)
{
	struct pump *p = arg;

	run_pump(p);
	stream_close(&p->s);
	sh_fs_lock();
	vfs_close(p->file);
	sh_fs_unlock();
	free(p);
	__atomic_sub_fetch(&pumps_running, 1, __ATOMIC_SEQ_CST);
	sys_ntfn_signal(pumps_done, 1);
}

/* Open `name` for fd 0 (read), 1 or 2 (write, appending or cut): the vfs file and its offset. */
static long open_file(const char *name, int fd, bool append, int *file, uint64_t *offset)
{
	char path[FS_PATH_MAX];
	struct fs_stat st;
	unsigned flags =
		fd == 0 ? VFS_O_READ : VFS_O_WRITE | VFS_O_CREATE | (append ? 0 : VFS_O_TRUNC);

	long err = sh_path(name, path, sizeof(path));
	if (err == E_OK) {
		sh_fs_lock();
		err = *file = vfs_open(path, flags);
		if (*file >= 0 && (err = vfs_fstat(*file, &st)) == E_OK && (st.attr & FS_STAT_DIR))
			err = E_ISDIR;
		if (*file >= 0 && err != E_OK)
			vfs_close(*file);
		sh_fs_unlock();
	}
	if (err != E_OK)
		dprintf(2, "sh: %s: %s\n", name, vfs_strerror(err));
	else
		*offset = append ? st.size : 0;
	return err;
}

/* A stream for fd of a program: its end in *given, ours pumped by a thread. */
static long start_pump(const char *name, int fd, bool append, handle_t *given)
{
	struct pump *p = calloc(1, sizeof(*p));
	handle_t rd, wr;
	long err = p ? E_OK : E_NOMEM;

	if (pumps_done == HANDLE_INVALID) {
		long n = sys_ntfn_create();
		pumps_done = n < 0 ? HANDLE_INVALID : (handle_t)n;
	}
	if (err == E_OK)
		err = open_file(name, fd, append, &p->file, &p->offset);
	if (err != E_OK) {
		free(p);
		return err;
	}
	strlcpy(p->name, name, sizeof(p->name));
	p->to_file = fd != 0;
	err = stream_pair(sh.streams, &rd, &wr);
	if (err == E_OK && (err = stream_open(&p->s, p->to_file ? rd : wr)) != E_OK)
		sys_handle_close(p->to_file ? wr : rd);
	if (err == E_OK) {
		*given = p->to_file ? wr : rd;
		__atomic_add_fetch(&pumps_running, 1, __ATOMIC_SEQ_CST);
		if ((err = thread_spawn(pump_main, p, PUMP_PRIORITY, NULL)) == E_OK)
			return E_OK;
		__atomic_sub_fetch(&pumps_running, 1, __ATOMIC_SEQ_CST);
		sys_handle_close(*given);
		stream_close(&p->s);
	}
	dprintf(2, "sh: %s: %s\n", name, vfs_strerror(err));
	free(p);
	return err;
}

long sh_redirect(const struct sh_cmd *c, struct sh_stdio *io)
{
	const char *files[3] = {c->in, c->out, c->err};
	const bool append[3] = {false, c->out_append, c->err_append};

	for (int fd = 0; fd < 3; fd++) {
		handle_t h;
		if (!files[fd])
			continue;
		long err = start_pump(files[fd], fd, append[fd], &h);
		if (err != E_OK)
			return err;
		if (io->h[fd] != HANDLE_INVALID)
			sys_handle_close(io->h[fd]);
		io->h[fd] = h;
	}
	return E_OK;
}

void sh_pumps_wait(void)
{
	while (__atomic_load_n(&pumps_running, __ATOMIC_SEQ_CST) > 0)
		sys_ntfn_wait(pumps_done, 100000000ull);
}
