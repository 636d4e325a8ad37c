/* SPDX-License-Identifier: MIT */
/*
 * Server side of the fs protocol (proto/fs.h): each request's shape, paths
 * (NUL-terminated, inside FS_PATH_MAX, nothing after them) and byte ranges
 * against the caller's buffer are checked here before an op runs; a server
 * whose io_checking op looks its client up once makes the range check there
 * (fs_check_io).
 */
#include <string.h>

#include "proto/fs.h"
#include "sys/errors.h"

static const struct fs_server *fs_of(struct server_request *req)
{
	return req->ctx;
}

/* The request's words must be exactly n. */
static bool words(const struct server_request *req, uint32_t n)
{
	return IPC_TAG_WORDS(req->in_tag) == n;
}

/* Two NUL-terminated paths filling the request's bytes exactly; false otherwise. */
static bool two_paths(const struct server_request *req, const char **a, const char **b)
{
	uint32_t n = IPC_TAG_BYTES(req->in_tag);
	const char *d = (const char *)req->buf->data;
	size_t la = strnlen(d, n);

	if (la == n || la + 1 >= FS_PATH_MAX + 0u || la + 1 == n)
		return false;
	size_t lb = strnlen(d + la + 1, n - la - 1);
	if (la + 1 + lb + 1 != n || lb + 1 > FS_PATH_MAX)
		return false;
	*a = d;
	*b = d + la + 1;
	return true;
}

static long reply_stat(struct server_request *req, const struct fs_stat *st, uint32_t at)
{
	memcpy(&req->msg.w[at], st, sizeof(*st));
	req->msg.tag = IPC_TAG(0, at + 5, 0, 0);
	return E_OK;
}

static long on_attach(struct server_request *req)
{
	handle_t mobj = server_take_cap(req);
	uint64_t size = 0;

	if (mobj == HANDLE_INVALID)
		return E_INVAL;
	long err = fs_of(req)->ops->attach(fs_of(req)->ctx, req->msg.badge, mobj, &size);
	if (err < 0)
		return err;
	req->msg.w[0] = size;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static long on_open(struct server_request *req)
{
	const char *path = server_name(req, FS_PATH_MAX);
	uint64_t flags = req->msg.w[0], h;
	struct fs_stat st;

	if (!words(req, 1) || !path || (flags & ~(uint64_t)FS_O_ALL))
		return !path && words(req, 1) ? E_INVAL : E_PROTO;
	long err = fs_of(req)->ops->open(fs_of(req)->ctx, req->msg.badge, path, (uint32_t)flags, &h,
					 &st);
	if (err < 0)
		return err;
	req->msg.w[0] = h;
	return reply_stat(req, &st, 1);
}

static long on_close(struct server_request *req)
{
	if (!words(req, 1))
		return E_PROTO;
	return fs_of(req)->ops->close(fs_of(req)->ctx, req->msg.badge, req->msg.w[0]);
}

static long on_io(struct server_request *req, enum fs_dir dir)
{
	const struct fs_server *fs = fs_of(req);
	const uint64_t *w = req->msg.w;
	const struct fs_io_request rq = {w[0], w[1], w[2], w[3]};
	uint64_t *done = &req->msg.w[0]; /* the reply's one word; rq is a copy */
	long err;

	if (!words(req, 4))
		return E_PROTO;
	*done = 0;
	if (fs->ops->io_checking) {
		err = fs->ops->io_checking(fs->ctx, req->msg.badge, dir, &rq, done);
	} else {
		err = fs_check_io(fs->ops->buffer_size(fs->ctx, req->msg.badge), &rq);
		if (err == E_OK)
			err = fs->ops->io(fs->ctx, req->msg.badge, dir, &rq, done);
	}
	if (err < 0)
		return err;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static long on_read(struct server_request *req)
{
	return on_io(req, FS_DIR_READ);
}

static long on_write(struct server_request *req)
{
	return on_io(req, FS_DIR_WRITE);
}

static long on_stat(struct server_request *req)
{
	const char *path = server_name(req, FS_PATH_MAX);
	struct fs_stat st;

	if (!path)
		return E_INVAL;
	long err = fs_of(req)->ops->stat(fs_of(req)->ctx, path, &st);
	return err < 0 ? err : reply_stat(req, &st, 0);
}

static long on_fstat(struct server_request *req)
{
	struct fs_stat st;

	if (!words(req, 1))
		return E_PROTO;
	long err = fs_of(req)->ops->fstat(fs_of(req)->ctx, req->msg.badge, req->msg.w[0], &st);
	return err < 0 ? err : reply_stat(req, &st, 0);
}

static long on_readdir(struct server_request *req)
{
	struct fs_stat st;
	uint64_t cookie = req->msg.w[1];
	char *name = (char *)req->buf->data;

	if (!words(req, 2))
		return E_PROTO;
	long err = fs_of(req)->ops->readdir(fs_of(req)->ctx, req->msg.badge, req->msg.w[0], &cookie,
					    &st, name);
	if (err < 0)
		return err;
	name[FS_NAME_BYTES - 1] = 0;
	req->msg.w[0] = cookie;
	reply_stat(req, &st, 1);
	req->msg.tag = IPC_TAG(0, 6, 0, strlen(name) + 1);
	return E_OK;
}

bool fs_dirent_put(uint8_t *out, uint32_t cap, uint32_t *used, uint64_t cookie,
		   const struct fs_stat *st, const char *name, size_t len)
{
	struct fs_dirent_rec r = {cookie, *st, len + 1};
	size_t size = FS_DIRENT_SIZE(r.name_bytes);
	uint8_t *p = out + *used;

	if (len >= FS_NAME_BYTES || size > cap - *used)
		return false;
	memcpy(p, &r, sizeof(r));
	memcpy(p + sizeof(r), name, len);
	memset(p + sizeof(r) + len, 0, size - sizeof(r) - len); /* the NUL and the padding */
	*used += (uint32_t)size;
	return true;
}

/* The op's readdir as often as the records fit. */
static long readdir_each(const struct fs_server *fs, struct server_request *req, uint64_t *cookie,
			 uint32_t *used, uint64_t *count)
{
	static char name[FS_NAME_BYTES];
	long err = E_OK;

	while (err == E_OK) {
		struct fs_stat st;
		uint64_t next = *cookie;
		err = fs->ops->readdir(fs->ctx, req->msg.badge, req->msg.w[0], &next, &st, name);
		name[FS_NAME_BYTES - 1] = 0;
		if (err == E_OK && !fs_dirent_put(req->buf->data, IPC_BUF_BYTES, used, next, &st,
						  name, strlen(name)))
			break;
		if (err == E_OK) {
			*cookie = next;
			(*count)++;
		}
	}
	return err;
}

/*
 * FS_READDIR_MANY: the records that fit, from the op's readdir_many or its
 * readdir entry by entry. An error after the first entry ends the batch; the
 * next call meets it again.
 */
static long on_readdir_many(struct server_request *req)
{
	const struct fs_server *fs = fs_of(req);
	uint64_t cookie = req->msg.w[1], count = 0;
	uint32_t used = 0;
	long err = words(req, 2) ? E_OK : E_PROTO;

	if (err == E_OK && fs->ops->readdir_many)
		err = fs->ops->readdir_many(fs->ctx, req->msg.badge, req->msg.w[0], &cookie,
					    req->buf->data, IPC_BUF_BYTES, &used, &count);
	else if (err == E_OK)
		err = readdir_each(fs, req, &cookie, &used, &count);
	if (err < 0 && err != E_NOENT && count == 0)
		return err;
	req->msg.w[0] = cookie;
	req->msg.w[1] = count;
	req->msg.w[2] = err == E_NOENT;
	req->msg.tag = IPC_TAG(0, 3, 0, used);
	return E_OK;
}

/* mkdir, unlink and rmdir: one path. */
static long on_path(struct server_request *req, long (*op)(void *, const char *))
{
	const char *path = server_name(req, FS_PATH_MAX);
	return path ? op(fs_of(req)->ctx, path) : E_INVAL;
}

static long on_mkdir(struct server_request *req)
{
	return on_path(req, fs_of(req)->ops->mkdir);
}

static long on_unlink(struct server_request *req)
{
	return on_path(req, fs_of(req)->ops->unlink);
}

static long on_rmdir(struct server_request *req)
{
	return on_path(req, fs_of(req)->ops->rmdir);
}

static long on_rename(struct server_request *req)
{
	const char *a, *b;

	if (!two_paths(req, &a, &b))
		return E_INVAL;
	return fs_of(req)->ops->rename(fs_of(req)->ctx, a, b);
}

static long on_truncate(struct server_request *req)
{
	if (!words(req, 2))
		return E_PROTO;
	return fs_of(req)->ops->truncate(fs_of(req)->ctx, req->msg.badge, req->msg.w[0],
					 req->msg.w[1]);
}

static long on_fsync(struct server_request *req)
{
	if (!words(req, 1))
		return E_PROTO;
	return fs_of(req)->ops->fsync(fs_of(req)->ctx, req->msg.badge, req->msg.w[0]);
}

static long on_sync(struct server_request *req)
{
	return fs_of(req)->ops->sync(fs_of(req)->ctx);
}

static long on_statfs(struct server_request *req)
{
	struct fs_statfs s;
	char label[12] = {0};
	long err = fs_of(req)->ops->statfs(fs_of(req)->ctx, &s, label);

	if (err < 0)
		return err;
	label[11] = 0;
	memcpy(req->msg.w, &s, sizeof(s));
	memcpy(req->buf->data, label, strlen(label) + 1);
	req->msg.tag = IPC_TAG(0, 5, 0, strlen(label) + 1);
	return E_OK;
}

static long on_settime(struct server_request *req)
{
	const char *path = server_name(req, FS_PATH_MAX);
	const struct fs_ops *ops = fs_of(req)->ops;

	if (!words(req, 1))
		return E_PROTO;
	if (!ops->settime)
		return E_NOSYS;
	return path ? ops->settime(fs_of(req)->ctx, path, req->msg.w[0]) : E_INVAL;
}

static long on_instance(struct server_request *req)
{
	if (!fs_of(req)->instance)
		return E_NOSYS;
	req->msg.w[0] = fs_of(req)->instance;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static void on_gone(void *ctx, uint64_t badge)
{
	const struct fs_server *fs = ctx;
	if (fs->ops->client_gone)
		fs->ops->client_gone(fs->ctx, badge);
}

/* A notification (an event: no reply), such as a timer bound to the endpoint. */
static long on_notify(struct server_request *req)
{
	if (fs_of(req)->on_notify)
		fs_of(req)->on_notify(fs_of(req)->ctx, req->msg.badge);
	return E_OK;
}

/* The data path first: the look-up goes down the table. */
static const struct server_method fs_methods[] = {
	{FS_ATTACH, 0, on_attach},
	{FS_OPEN, 0, on_open},
	{FS_CLOSE, 0, on_close},
	{FS_READ, 0, on_read},
	{FS_WRITE, 0, on_write},
	{FS_STAT, 0, on_stat},
	{FS_FSTAT, 0, on_fstat},
	{FS_READDIR, 0, on_readdir},
	{FS_MKDIR, 0, on_mkdir},
	{FS_UNLINK, 0, on_unlink},
	{FS_RMDIR, 0, on_rmdir},
	{FS_RENAME, 0, on_rename},
	{FS_TRUNCATE, 0, on_truncate},
	{FS_FSYNC, 0, on_fsync},
	{FS_SYNC, 0, on_sync},
	{FS_STATFS, 0, on_statfs},
	{FS_SETTIME, 0, on_settime},
	{FS_INSTANCE, 0, on_instance},
	{FS_READDIR_MANY, 0, on_readdir_many},
	{IPC_LABEL_NOTIFY, 0, on_notify},
};

struct server fs_server(handle_t ep, struct fs_server *fs)
{
	return (struct server){.endpoint = ep,
			       .methods = SERVER_METHODS(fs_methods),
			       .on_client_gone = on_gone,
			       .ctx = fs};
}
