/* SPDX-License-Identifier: MIT */
/*
 * Directory listings in the fs client library (proto/fs.h): fs_readdir
 * hands out one entry per call from a batch that FS_READDIR_MANY filled
 * (as many records as the IPC buffer holds), so a listing costs one round
 * trip per bufferful instead of one per entry. The batch belongs to one
 * open file of one server instance and starts at a known cookie; a call
 * with any other cookie, another file, after a restart, or after a change
 * made through this client fetches afresh. Every record is checked when
 * it arrives. A server without the method (E_NOSYS) is asked entry by
 * entry with FS_READDIR.
 */
#include <string.h>

#include "client_impl.h"
#include "sys/sys.h"

/* One entry by FS_READDIR. */
static long readdir_one(struct fs_client *c, int fd, uint64_t *cookie, struct fs_stat *st,
			char name[FS_NAME_BYTES])
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_READDIR, 2, 0, 0), .w = {0, *cookie}};
	long err = fs_file_call(c, fd, &m, 6, FS_NAME_BYTES);
	uint32_t n = IPC_TAG_BYTES(m.tag);

	if (err < 0)
		return err;
	if (n == 0 || ipc_buffer()->data[n - 1] != '\0')
		return E_PROTO;
	*cookie = m.w[0];
	memcpy(st, &m.w[1], sizeof(*st));
	memcpy(name, ipc_buffer()->data, n);
	return E_OK;
}

/* Whether `bytes` hold exactly `count` well-formed records. */
static bool records_ok(const uint8_t *bytes, uint32_t used, uint64_t count)
{
	uint32_t pos = 0;

	for (uint64_t i = 0; i < count; i++) {
		struct fs_dirent_rec r;
		if (used - pos < sizeof(r))
			return false;
		memcpy(&r, bytes + pos, sizeof(r));
		if (r.name_bytes == 0 || r.name_bytes > FS_NAME_BYTES ||
		    FS_DIRENT_SIZE(r.name_bytes) > used - pos ||
		    bytes[pos + sizeof(r) + r.name_bytes - 1] != '\0')
			return false;
		pos += (uint32_t)FS_DIRENT_SIZE(r.name_bytes);
	}
	return pos == used;
}

/* Fill c->dir from `cookie` on. */
static long fetch(struct fs_client *c, int fd, uint64_t cookie)
{
	struct fs_dir_batch *b = &c->dir;
	struct ipc_msg m = {.tag = IPC_TAG(FS_READDIR_MANY, 2, 0, 0), .w = {0, cookie}};
	long err = fs_file_call(c, fd, &m, 3, IPC_BUF_BYTES);
	uint32_t used = IPC_TAG_BYTES(m.tag);

	b->held = false;
	if (err < 0)
		return err;
	if (!records_ok(ipc_buffer()->data, used, m.w[1]) || m.w[2] > 1 ||
	    (m.w[1] == 0 && m.w[2] == 0))
		return E_PROTO;
	memcpy(b->bytes, ipc_buffer()->data, used);
	b->fd = fd;
	b->generation = c->generation;
	b->at = cookie;
	b->pos = 0;
	b->used = used;
	b->end = m.w[2] == 1;
	b->held = true;
	return E_OK;
}

/* Whether the batch holds what comes at `cookie` (an entry, or the directory's end). */
static bool batch_serves(const struct fs_client *c, int fd, uint64_t cookie)
{
	const struct fs_dir_batch *b = &c->dir;

	return b->held && b->fd == fd && b->generation == c->generation && b->at == cookie &&
	       (b->pos < b->used || b->end);
}

long fs_readdir(struct fs_client *c, int fd, uint64_t *cookie, struct fs_stat *st,
		char name[FS_NAME_BYTES])
{
	struct fs_dir_batch *b = &c->dir;
	struct fs_dirent_rec r;
	long err = batch_serves(c, fd, *cookie) ? E_OK : fetch(c, fd, *cookie);

	if (err == E_NOSYS)
		return readdir_one(c, fd, cookie, st, name);
	if (err < 0)
		return err;
	if (b->pos == b->used)
		return E_NOENT;
	memcpy(&r, b->bytes + b->pos, sizeof(r));
	memcpy(name, b->bytes + b->pos + sizeof(r), r.name_bytes);
	*st = r.st;
	*cookie = b->at = r.cookie;
	b->pos += (uint32_t)FS_DIRENT_SIZE(r.name_bytes);
	return E_OK;
}
