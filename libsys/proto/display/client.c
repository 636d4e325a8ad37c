/* SPDX-License-Identifier: MIT */
/* Client stubs of the display protocol (proto/display.h). */
#include <string.h>

#include "proto/display.h"
#include "sys/sys.h"

#define TIMEOUT	 2000000000ull /* 2 s: a compositor that takes longer is hung */
#define ATTEMPTS 3

/* Send m; the reply's status, or E_PROTO unless it has `words` words and `cap` capabilities. */
static long call(handle_t ep, struct ipc_msg *m, int attempts, uint32_t words, uint32_t cap)
{
	long err = ipc_call_retry(ep, m, TIMEOUT, attempts);

	if (err < 0)
		return err;
	long status = ipc_label_status(m);
	if (status < 0)
		return status;
	if (IPC_TAG_WORDS(m->tag) != words || IPC_TAG_CAP(m->tag) != cap)
		return E_PROTO;
	return E_OK;
}

static long words_call(handle_t ep, uint32_t label, int attempts, uint64_t a, uint64_t b,
		       uint64_t c, uint64_t d)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, 4, 0, 0), .w = {a, b, c, d}};

	return call(ep, &m, attempts, 0, 0);
}

long display_info(handle_t ep, struct display_info *info)
{
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_INFO, 0, 0, 0)};
	long err = call(ep, &m, ATTEMPTS, 3, 0);

	if (err == E_OK)
		memcpy(info, m.w, sizeof(*info));
	return err;
}

long display_create(handle_t ep, handle_t surface, const struct display_create_request *rq,
		    const char *title, struct display_create_reply *rp, handle_t *ntfn)
{
	size_t n = strlen(title) + 1;
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_CREATE, 6, 1, n), .cap = surface};

	if (n > DISPLAY_TITLE_MAX)
		return E_INVAL;
	memcpy(m.w, rq, sizeof(*rq));
	memcpy(ipc_buffer()->data, title, n);
	long err = call(ep, &m, 1, 3, 1);
	if (err < 0)
		return err;
	memcpy(rp, m.w, sizeof(*rp));
	*ntfn = (handle_t)m.cap;
	return E_OK;
}

long display_commit(handle_t ep, const struct display_commit_request *rq)
{
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_COMMIT, 6, 0, 0)};

	memcpy(m.w, rq, sizeof(*rq));
	return call(ep, &m, 1, 0, 0);
}

long display_destroy(handle_t ep, uint64_t id)
{
	return words_call(ep, DISPLAY_DESTROY, 1, id, 0, 0, 0);
}

long display_ping(handle_t ep, uint64_t id)
{
	return words_call(ep, DISPLAY_PING, 1, id, 0, 0, 0);
}

long display_list(handle_t ep, uint64_t n, struct display_window_info *info, char *title)
{
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_LIST, 1, 0, 0), .w = {n}};
	long err = call(ep, &m, ATTEMPTS, 6, 0);
	uint32_t bytes = IPC_TAG_BYTES(m.tag);

	if (err < 0)
		return err;
	if (bytes == 0 || bytes > DISPLAY_TITLE_MAX || ipc_buffer()->data[bytes - 1] != '\0')
		return E_PROTO;
	memcpy(info, m.w, sizeof(*info));
	memcpy(title, ipc_buffer()->data, bytes);
	return E_OK;
}

long display_move(handle_t ep, uint64_t id, int32_t x, int32_t y)
{
	return words_call(ep, DISPLAY_MOVE, 1, id, (uint64_t)(int64_t)x, (uint64_t)(int64_t)y, 0);
}

long display_raise(handle_t ep, uint64_t id)
{
	return words_call(ep, DISPLAY_RAISE, 1, id, 0, 0, 0);
}

long display_close(handle_t ep, uint64_t id)
{
	return words_call(ep, DISPLAY_CLOSE, 1, id, 0, 0, 0);
}

long display_minimise(handle_t ep, uint64_t id)
{
	return words_call(ep, DISPLAY_MINIMISE, 1, id, 0, 0, 0);
}

long display_inject(handle_t ep, uint64_t kind, uint64_t a, uint64_t b, uint64_t c)
{
	return words_call(ep, DISPLAY_INJECT, 1, kind, a, b, c);
}

long display_resize(handle_t ep, uint64_t id, handle_t surface, uint32_t width, uint32_t height)
{
	struct ipc_msg m = {
		.tag = IPC_TAG(DISPLAY_RESIZE, 3, 1, 0), .cap = surface, .w = {id, width, height}};

	return call(ep, &m, 1, 0, 0);
}

long display_ask_size(handle_t ep, uint64_t id, uint32_t width, uint32_t height)
{
	return words_call(ep, DISPLAY_ASK_SIZE, 1, id, width, height, 0);
}
