/* SPDX-License-Identifier: MIT */
/*
 * The fs protocol's client library (proto/fs.h): stubs over a client's
 * connection, which attaches its buffer on first use, remembers each open
 * file's path, and after a server restart attaches again, reopens the file
 * and resends. Reads and writes are cut into pieces the size of the buffer.
 * Directory listings are in readdir.c.
 */
#include <string.h>

#include "client_impl.h"
#include "sys/sys.h"

static int attempts(const struct fs_client *c)
{
	return c->attempts > 0 ? c->attempts : FS_ATTEMPTS;
}

/*
 * After E_NOVOLUME (the server serves, but is still looking for its volume:
 * ext2 probing its disks at start): `req` resent after 20 ms, doubling to
 * 320 ms, for at most FS_NOVOLUME_WAIT, or the client's call timeout if
 * that is shorter. The request's bytes are still in the IPC buffer (an
 * error reply carries none), so only its words are restored.
 */
static long wait_for_volume(struct fs_client *c, const struct ipc_msg *req, struct ipc_msg *m)
{
	uint64_t budget =
		c->timeout && c->timeout < FS_NOVOLUME_WAIT ? c->timeout : FS_NOVOLUME_WAIT;
	uint64_t pause = 20 * MS, waited = 0;
	long err = E_OK;

	while (err == E_OK && (int16_t)IPC_TAG_LABEL(m->tag) == E_NOVOLUME && waited < budget) {
		sys_sleep(pause);
		waited += pause;
		pause = pause < 320 * MS ? pause * 2 : pause;
		*m = *req;
		err = ipc_call(c->ep, m, c->timeout);
	}
	return err;
}

/* req sent as m (ipc_call), and resent while the server has no volume yet. */
static long call_msg(struct fs_client *c, const struct ipc_msg *req, struct ipc_msg *m)
{
	*m = *req;
	long err = ipc_call(c->ep, m, c->timeout);

	if (err == E_OK && (int16_t)IPC_TAG_LABEL(m->tag) == E_NOVOLUME)
		err = wait_for_volume(c, req, m);
	return err;
}

/* m sent, and the reply in its place (call_msg). */
static long call(struct fs_client *c, struct ipc_msg *m)
{
	const struct ipc_msg req = *m;

	return call_msg(c, &req, m);
}

/* Whether an error says the server is a new instance that lost our state. */
static bool lost_state(long err)
{
	return err == E_RESTARTED || err == E_BADHANDLE;
}

/* Put one or two NUL-terminated strings into the IPC buffer; their bytes, or E_INVAL. */
static long put_paths(const char *a, const char *b)
{
	size_t la = strnlen(a, FS_PATH_MAX), lb = b ? strnlen(b, FS_PATH_MAX) : 0;

	if (la == FS_PATH_MAX || lb == FS_PATH_MAX || la + lb + 2 > IPC_BUF_BYTES)
		return E_INVAL;
	memcpy(ipc_buffer()->data, a, la + 1);
	if (b)
		memcpy(ipc_buffer()->data + la + 1, b, lb + 1);
	return (long)(la + 1 + (b ? lb + 1 : 0));
}

long fs_instance(struct fs_client *c, uint64_t *instance);

/*
 * Before the first change since the last good sync: which instance takes
 * it (fs_sync compares). Unknown (0) if the server does not answer; then
 * fs_sync reports E_RESTARTED unless the server cannot say at all.
 */
static void note_change(struct fs_client *c)
{
	uint64_t id = 0;

	if (c->changed)
		return;
	long err = fs_instance(c, &id);
	c->changed = true;
	c->instance = err == E_OK ? id : 0;
}

/* A change that per-file tracking does not cover: a name, a size, a time. */
static void note_other_change(struct fs_client *c)
{
	note_change(c);
	c->changed_other = true;
	c->dir.held = false; /* a listing read before it may be out of date */
}

static bool any_unsynced(const struct fs_client *c)
{
	for (int i = 0; i < FS_CLIENT_FILES; i++)
		if (c->files[i].used && c->files[i].unsynced)
			return true;
	return false;
}

/*
 * After a whole-volume FS_FSYNC (E_OK, or E_RESTARTED that the caller was
 * told): the changes since the last good sync are settled if the instance
 * that took them is the one that synced, or if they were only writes to
 * this file, which fs_fsync's own answer covered.
 */
static void settle(struct fs_client *c, long verdict)
{
	uint64_t now = 0;

	if (!c->changed)
		return;
	bool same = verdict == E_OK && fs_instance(c, &now) == E_OK && now == c->instance;
	if (same || (!c->changed_other && !any_unsynced(c)))
		c->changed = c->changed_other = false;
}

long fs_attach(struct fs_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_ATTACH, 0, 1, 0), .cap = c->buffer};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = ipc_reply_status(&m, 1, 0);
	if (err == E_OK && (m.w[0] == 0 || m.w[0] > FS_BUFFER_MAX || m.w[0] % 4096))
		err = E_PROTO; /* no buffer is so (whole pages): taken as ours, it would overrun it
				*/
	c->attached = err == E_OK;
	if (err == E_OK)
		c->buffer_size = m.w[0];
	return err;
}

/* One FS_OPEN; the handle and stat on success. */
static long open_once(struct fs_client *c, const char *path, uint32_t flags, uint64_t *h,
		      struct fs_stat *st)
{
	long n = put_paths(path, NULL);
	struct ipc_msg m = {.tag = IPC_TAG(FS_OPEN, 1, 0, n), .w = {flags}};
	long err = n < 0 ? n : call(c, &m);

	if (err == E_OK)
		err = ipc_reply_status(&m, 6, 0);
	if (err == E_OK) {
		*h = m.w[0];
		if (st)
			memcpy(st, &m.w[1], sizeof(*st));
	}
	return err;
}

/* After a restart: the buffer attached and every file opened again. */
static long recover(struct fs_client *c)
{
	long err = fs_attach(c);

	c->generation++;
	for (int i = 0; i < FS_CLIENT_FILES && err == E_OK; i++) {
		struct fs_file *f = &c->files[i];
		if (!f->used)
			continue;
		/* A file that is gone (created but never synced) answers E_BADHANDLE from now on.
		 */
		long r = open_once(c, f->path, f->flags, &f->remote, NULL);
		if (r == E_RESTARTED)
			return r;
		if (r < 0)
			f->remote = 0;
		c->reopened += r == E_OK;
	}
	return err;
}

long fs_open(struct fs_client *c, const char *path, uint32_t flags, int *fd, struct fs_stat *st)
{
	int i = 0;
	long err = E_RESTARTED;

	while (i < FS_CLIENT_FILES && c->files[i].used)
		i++;
	if (i == FS_CLIENT_FILES)
		return E_NOSPACE;
	if (strnlen(path, FS_PATH_MAX) == FS_PATH_MAX)
		return E_INVAL;
	if (flags & (FS_O_CREATE | FS_O_TRUNC))
		note_other_change(c);
	for (int a = 0; a < attempts(c) && lost_state(err); a++) {
		err = open_once(c, path, flags, &c->files[i].remote, st);
		if (lost_state(err) && !(flags & FS_O_EXCL))
			recover(c);
		else if (err == E_RESTARTED)
			break; /* an exclusive create may have happened: the caller decides */
	}
	if (err < 0)
		return err;
	c->files[i].used = true;
	c->files[i].flags = flags & FS_O_DIR;
	memcpy(c->files[i].path, path, strlen(path) + 1);
	*fd = i;
	return E_OK;
}

static struct fs_file *file(struct fs_client *c, int fd)
{
	return fd >= 0 && fd < FS_CLIENT_FILES && c->files[fd].used ? &c->files[fd] : NULL;
}

long fs_close(struct fs_client *c, int fd)
{
	struct fs_file *f = file(c, fd);
	struct ipc_msg m = {.tag = IPC_TAG(FS_CLOSE, 1, 0, 0)};
	long err;

	if (!f)
		return E_BADHANDLE;
	m.w[0] = f->remote;
	f->used = false;
	if (c->dir.fd == fd)
		c->dir.held = false;
	c->changed_other |= f->unsynced; /* its writes are no longer tracked by file */
	err = ipc_call(c->ep, &m, c->timeout);
	err = err == E_OK ? ipc_reply_status(&m, 0, 0) : err;
	return lost_state(err) ? E_OK : err; /* a new instance has nothing to close */
}

/* Whether a file call's answer `err` (its attempt done) asks for another attempt. */
static bool resend(const struct ipc_msg *req, long err)
{
	if (err == E_NOENT) /* only a read or write says "no buffer" with E_NOENT */
		return IPC_TAG_LABEL(req->tag) == FS_READ || IPC_TAG_LABEL(req->tag) == FS_WRITE;
	return lost_state(err);
}

/*
 * Attempts `from` on of a call on open file f: req (the caller's, changed
 * here) gets the file's handle in w0 and goes, its reply in m. Resent after
 * the server lost its state (once it is recovered), up to the attempts.
 */
static long file_send_from(struct fs_client *c, struct fs_file *f, struct ipc_msg *req,
			   struct ipc_msg *m, uint32_t rwords, uint32_t rbytes, int from)
{
	long err = E_RESTARTED;

	for (int a = from; a < attempts(c) && (a == from || resend(req, err)); a++) {
		if (a > 0 && (err = recover(c)) < 0)
			break;
		if (!c->attached && (err = fs_attach(c)) < 0)
			break;
		if (f->remote == 0)
			return E_NOENT; /* not there to reopen after a restart */
		req->w[0] = f->remote;
		err = call_msg(c, req, m);
		if (err == E_OK)
			err = ipc_reply_status(m, rwords, rbytes);
	}
	return err;
}

static long file_send(struct fs_client *c, int fd, struct ipc_msg *req, struct ipc_msg *m,
		      uint32_t rwords, uint32_t rbytes)
{
	struct fs_file *f = file(c, fd);

	return f ? file_send_from(c, f, req, m, rwords, rbytes, 0) : E_BADHANDLE;
}

/* file_send with m as the request (its w0 the caller's to ignore), and the reply after. */
static long file_call(struct fs_client *c, int fd, struct ipc_msg *m, uint32_t rwords,
		      uint32_t rbytes)
{
	struct ipc_msg req = *m;

	return file_send(c, fd, &req, m, rwords, rbytes);
}

long fs_file_call(struct fs_client *c, int fd, struct ipc_msg *m, uint32_t rwords, uint32_t rbytes)
{
	return file_call(c, fd, m, rwords, rbytes);
}

/*
 * What a read or write request of n bytes at off (its first attempt sent
 * to f unless f is NULL, `err` and `m` its answer) comes to when that
 * answer was not the usual one: it goes on as file_send's first attempt
 * would (waiting for a volume), then to file_send's resends.
 */
static __attribute__((noinline)) long io_retry(struct fs_client *c, int fd, struct fs_file *f,
					       uint16_t method, uint64_t off, uint64_t n,
					       struct ipc_msg *m, long err)
{
	struct ipc_msg req = {.tag = IPC_TAG(method, 4, 0, 0), .w = {0, off, n, 0}};

	if (!f)
		return file_send(c, fd, &req, m, 1, 0);
	req.w[0] = f->remote;
	if (err == E_OK && (int16_t)IPC_TAG_LABEL(m->tag) == E_NOVOLUME)
		err = wait_for_volume(c, &req, m);
	if (err == E_OK)
		err = ipc_reply_status(m, 1, 0);
	if (attempts(c) > 1 && resend(&req, err))
		err = file_send_from(c, f, &req, m, 1, 0, 1);
	return err;
}

/*
 * One read or write request of n bytes at off: *got the bytes done. The
 * usual answer (E_OK and one word) is taken straight from the call's
 * registers; any other (no volume yet, a restart, no buffer, an error) goes
 * to io_retry.
 */
static inline __attribute__((always_inline)) long
io_request(struct fs_client *c, int fd, uint16_t method, uint64_t off, uint64_t n, uint64_t *got)
{
	struct fs_file *f = file(c, fd);
	struct ipc_msg answer; /* of a reply, all io_retry reads: its tag and w0 */
	long err = E_OK;

	if (f && f->remote && c->attached) {
		struct ipc_msg m = {.tag = IPC_TAG(method, 4, 0, 0), .w = {f->remote, off, n, 0}};
		err = ipc_call(c->ep, &m, c->timeout);
		if (err == E_OK && m.tag == IPC_TAG(0, 1, 0, 0)) {
			*got = m.w[0];
			return E_OK;
		}
		answer = (struct ipc_msg){.tag = m.tag, .w = {m.w[0]}};
	} else {
		f = NULL; /* file_send's checks and first attempt */
		answer = (struct ipc_msg){0};
	}
	err = io_retry(c, fd, f, method, off, n, &answer, err);
	*got = err == E_OK ? answer.w[0] : 0;
	return err;
}

/*
 * Whether a read or write is the usual one, which io_pieces would do in one
 * request and nothing else: open with the server and attached, the bytes
 * already in the buffer (p is it), len fitting it (and so FS_IO_MAX:
 * fs_attach takes no buffer over FS_BUFFER_MAX), and for a write the
 * change and the file's unsynced mark already noted.
 */
static bool io_in_one(struct fs_client *c, int fd, uint16_t method, const uint8_t *p, uint64_t len)
{
	const struct fs_file *f = file(c, fd);

	_Static_assert(FS_BUFFER_MAX <= FS_IO_MAX, "a piece the size of the buffer is one request");
	return f && f->remote && c->attached && p == c->data && len - 1 < c->buffer_size &&
	       (method == FS_READ || (c->changed && f->unsynced));
}

/* io_pieces for a request io_in_one accepts: one io_request, its answer checked as there. */
static inline __attribute__((always_inline)) long
io_one(struct fs_client *c, int fd, uint16_t method, uint64_t off, uint64_t len, uint64_t *done)
{
	uint64_t got;
	long err = io_request(c, fd, method, off, len, &got);

	if (err == E_OK && got > len)
		err = E_PROTO;
	*done = err == E_OK ? got : 0;
	return err;
}

/* The general read or write: attached if need be, cut into pieces the size of the buffer. */
static __attribute__((noinline)) long io_pieces(struct fs_client *c, int fd, uint16_t method,
						uint64_t off, uint8_t *p, uint64_t len,
						uint64_t *done)
{
	long err = c->attached ? E_OK : fs_attach(c);
	uint64_t gen = c->generation;

	*done = 0;
	if (method == FS_WRITE && len > 0)
		note_change(c);
	while (err == E_OK && *done < len) {
		uint64_t n = len - *done;
		n = n < c->buffer_size ? n : c->buffer_size;
		n = n < FS_IO_MAX ? n : FS_IO_MAX;
		uint64_t got;
		if (method == FS_WRITE && p + *done != c->data)
			memcpy(c->data, p + *done, n);
		err = io_request(c, fd, method, off + *done, n, &got);
		if (err < 0)
			break;
		if (got > n)
			return E_PROTO;
		if (method == FS_WRITE && !c->files[fd].unsynced) {
			c->files[fd].unsynced = true;
			c->files[fd].since = gen;
		}
		if (method == FS_READ && p + *done != c->data)
			memcpy(p + *done, c->data, got);
		*done += got;
		if (got < n)
			break; /* the end of the file */
	}
	return err;
}

/* Expanded in fs_read and fs_write, so each tests and sends its own method. */
static inline __attribute__((always_inline)) long io(struct fs_client *c, int fd, uint16_t method,
						     uint64_t off, uint8_t *p, uint64_t len,
						     uint64_t *done)
{
	if (io_in_one(c, fd, method, p, len))
		return io_one(c, fd, method, off, len, done);
	return io_pieces(c, fd, method, off, p, len, done);
}

long fs_read(struct fs_client *c, int fd, uint64_t off, void *dst, uint64_t len, uint64_t *done)
{
	return io(c, fd, FS_READ, off, dst, len, done);
}

long fs_write(struct fs_client *c, int fd, uint64_t off, const void *src, uint64_t len,
	      uint64_t *done)
{
	return io(c, fd, FS_WRITE, off, (uint8_t *)src, len, done);
}

long fs_fstat(struct fs_client *c, int fd, struct fs_stat *st)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_FSTAT, 1, 0, 0)};
	long err = file_call(c, fd, &m, 5, 0);

	if (err == E_OK)
		memcpy(st, m.w, sizeof(*st));
	return err;
}

long fs_truncate(struct fs_client *c, int fd, uint64_t size)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_TRUNCATE, 2, 0, 0), .w = {0, size}};

	note_other_change(c);
	return file_call(c, fd, &m, 0, 0);
}

long fs_fsync(struct fs_client *c, int fd)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_FSYNC, 1, 0, 0)};
	long err = file_call(c, fd, &m, 0, 0);
	struct fs_file *f = file(c, fd);

	if (err == E_OK && f->unsynced && f->since != c->generation)
		err = E_RESTARTED; /* a server that died may have taken writes with it */
	if (err == E_OK || err == E_RESTARTED) {
		f->unsynced = false;
		settle(c, err);
	}
	return err;
}

/*
 * A call by path(s): m holds the method and its words, and the reply
 * after; `done_on_resend` is the error that means a resend found it done.
 */
static long path_call(struct fs_client *c, struct ipc_msg *m, const char *a, const char *b,
		      long done_on_resend, uint32_t rwords)
{
	const struct ipc_msg req = *m;
	long err = E_RESTARTED;

	for (int i = 0; i < attempts(c) && err == E_RESTARTED; i++) {
		long n = put_paths(a, b);
		if (n < 0)
			return n;
		struct ipc_msg out = req;
		out.tag = IPC_TAG(IPC_TAG_LABEL(req.tag), IPC_TAG_WORDS(req.tag), 0, n);
		err = call_msg(c, &out, m);
		if (err == E_OK)
			err = ipc_reply_status(m, rwords, 0);
		if (i > 0 && done_on_resend && err == done_on_resend)
			err = E_OK;
	}
	return err;
}

/* A change by path(s): the instance noted first (note_other_change), then the call. */
static long change_call(struct fs_client *c, uint16_t method, uint64_t w0, const char *a,
			const char *b, long done_on_resend)
{
	struct ipc_msg m = {.tag = IPC_TAG(method, method == FS_SETTIME, 0, 0), .w = {w0}};

	note_other_change(c);
	return path_call(c, &m, a, b, done_on_resend, 0);
}

long fs_stat(struct fs_client *c, const char *path, struct fs_stat *st)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_STAT, 0, 0, 0)};
	long err = path_call(c, &m, path, NULL, 0, 5);

	if (err == E_OK)
		memcpy(st, m.w, sizeof(*st));
	return err;
}

long fs_mkdir(struct fs_client *c, const char *path)
{
	return change_call(c, FS_MKDIR, 0, path, NULL, E_EXISTS);
}

long fs_unlink(struct fs_client *c, const char *path)
{
	return change_call(c, FS_UNLINK, 0, path, NULL, E_NOENT);
}

long fs_rmdir(struct fs_client *c, const char *path)
{
	return change_call(c, FS_RMDIR, 0, path, NULL, E_NOENT);
}

long fs_rename(struct fs_client *c, const char *from, const char *to)
{
	return change_call(c, FS_RENAME, 0, from, to, E_NOENT);
}

long fs_settime(struct fs_client *c, const char *path, uint64_t stamp)
{
	return change_call(c, FS_SETTIME, stamp, path, NULL, 0);
}

long fs_instance(struct fs_client *c, uint64_t *instance)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_INSTANCE, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = ipc_reply_status(&m, 1, 0);
	if (err == E_OK)
		*instance = m.w[0];
	return err;
}

/* Whether the instance that took the changes since the last sync is still the one serving. */
static long same_instance(struct fs_client *c)
{
	uint64_t now = 0;
	long err = fs_instance(c, &now);

	if (err == E_NOSYS)
		return E_OK; /* a server that cannot say (read-only ext2: it changes nothing) */
	if (err == E_OK && (c->instance == 0 || now != c->instance))
		err = E_RESTARTED;
	return err;
}

long fs_sync(struct fs_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_SYNC, 0, 0, 0)};
	long err = E_RESTARTED;
	bool resent = false;

	for (int i = 0; i < attempts(c) && err == E_RESTARTED; i++) {
		resent = i > 0;
		err = ipc_call(c->ep, &m, c->timeout);
		err = err == E_OK ? ipc_reply_status(&m, 0, 0) : err;
	}
	if (err == E_OK && c->changed)
		err = resent ? E_RESTARTED : same_instance(c);
	if (err == E_OK || err == E_RESTARTED) {
		c->changed = c->changed_other = false; /* on the medium, or the caller was told */
		for (int i = 0; i < FS_CLIENT_FILES; i++)
			c->files[i].unsynced = false;
	}
	return err;
}

long fs_statfs(struct fs_client *c, struct fs_statfs *out, char label[12])
{
	const struct ipc_msg req = {.tag = IPC_TAG(FS_STATFS, 0, 0, 0)};
	struct ipc_msg m = req;
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));
	uint32_t n;

	if (err == E_OK && (int16_t)IPC_TAG_LABEL(m.tag) == E_NOVOLUME) {
		m = req;
		err = call(c, &m);
	}
	if (err == E_OK)
		err = ipc_reply_status(&m, 5, 12);
	if (err < 0)
		return err;
	n = IPC_TAG_BYTES(m.tag);
	if (n == 0 || ipc_buffer()->data[n - 1] != '\0')
		return E_PROTO;
	memcpy(out, m.w, sizeof(*out));
	memcpy(label, ipc_buffer()->data, n);
	return E_OK;
}
