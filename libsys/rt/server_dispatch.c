/* SPDX-License-Identifier: MIT */
/*
 * server_dispatch: the decode half of every server (sys/server.h). It finds
 * the handler for a message's label and badge kind (in the server's own
 * methods or in the part that answers that kind), runs it, and builds the
 * reply's tag from the status it returns. It makes no system calls, so host
 * tests run a server's real handlers through it (test/host/fake_ipc.c).
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/server.h"

_Static_assert(IPC_LABEL_KERNEL_FIRST == IPC_LABEL_GONE && IPC_LABEL_EXIT == IPC_LABEL_GONE + 1 &&
		       IPC_LABEL_FAULT == IPC_LABEL_GONE + 2 && IPC_LABEL_NOTIFY == 0xFFFF,
	       "the events are the labels from IPC_LABEL_KERNEL_FIRST up");

static uint32_t kind_of(const struct server *s, uint64_t badge)
{
	return s->badge_kind ? s->badge_kind(badge) : 0;
}

/*
 * The handler in s's own table for label and kind; *known is set if the label is there at all.
 * A table listed in label order without gaps from its first entry (fs's) has the label at
 * label - first: that entry is tried first, then the table in full.
 */
static server_handler_fn find_method(const struct server *s, uint32_t label, uint32_t kind,
				     bool *known)
{
	size_t guess = s->method_count ? label - s->methods[0].label : 0;

	if (guess < s->method_count && s->methods[guess].label == label &&
	    s->methods[guess].kind == kind) {
		*known = true;
		return s->methods[guess].fn;
	}
	for (size_t i = 0; i < s->method_count; i++) {
		const struct server_method *m = &s->methods[i];
		if (m->label != label)
			continue;
		*known = true;
		if (m->kind == kind)
			return m->fn;
	}
	return NULL;
}

/*
 * The handler for label and kind, in s's methods or else in the part that
 * answers this kind, and the ctx it runs with; *known says whether the
 * label exists for any kind.
 */
static server_handler_fn find(const struct server *s, uint32_t label, uint32_t kind, bool *known,
			      void **ctx)
{
	server_handler_fn fn = find_method(s, label, kind, known);

	*ctx = s->ctx;
	for (size_t i = 0; !fn && i < s->part_count; i++) {
		const struct server_part *p = &s->parts[i];
		server_handler_fn f = find_method(p->server, label, 0, known);
		if (f && p->kind == kind) {
			fn = f;
			*ctx = p->server->ctx;
		}
	}
	return fn;
}

/* A client-death notice without a method: the hook of the part for its kind, else s's. */
static void client_gone(const struct server *s, uint32_t kind, uint64_t badge)
{
	for (size_t i = 0; i < s->part_count; i++) {
		const struct server *p = s->parts[i].server;
		if (s->parts[i].kind == kind && p->on_client_gone) {
			p->on_client_gone(p->ctx, badge);
			return;
		}
	}
	if (s->on_client_gone)
		s->on_client_gone(s->ctx, badge);
}

handle_t server_take_cap(struct server_request *req)
{
	handle_t h = req->cap_in;

	req->cap_in = HANDLE_INVALID;
	return h;
}

const char *server_name(const struct server_request *req, size_t max)
{
	uint32_t n = IPC_TAG_BYTES(req->in_tag);
	const char *name = (const char *)req->buf->data;

	if (n < 2 || n > max || name[n - 1] != '\0' || strnlen(name, n) != n - 1)
		return NULL;
	return name;
}

bool server_dispatch(const struct server *s, struct server_request *req)
{
	uint32_t label = IPC_TAG_LABEL(req->msg.tag), kind = kind_of(s, req->msg.badge);
	bool known = false;
	server_handler_fn fn = find(s, label, kind, &known, &req->ctx);

	req->in_tag = req->msg.tag;
	req->cap_in = IPC_TAG_CAP(req->in_tag) ? req->msg.cap : HANDLE_INVALID;
	if (server_is_event(req->in_tag)) {
		if (fn)
			fn(req);
		else if (label == IPC_LABEL_GONE)
			client_gone(s, kind, req->msg.badge);
		return false;
	}
	req->msg.tag = 0;
	long status = fn ? fn(req) : known ? E_RIGHTS : E_NOSYS;
	uint64_t tag = req->msg.tag; /* an error may carry words and bytes, never a capability */
	req->msg.tag = IPC_TAG((uint16_t)status, IPC_TAG_WORDS(tag),
			       IPC_TAG_CAP(tag) && status == 0, IPC_TAG_BYTES(tag));
	return true;
}

long server_put_name(struct server_request *req, uint32_t *used, const char *name)
{
	size_t len = strlen(name) + 1;

	if (*used + len > IPC_BUF_BYTES)
		return E_NOSPACE;
	memcpy(req->buf->data + *used, name, len);
	*used += (uint32_t)len;
	return E_OK;
}

void server_reply_record(struct server_request *req, const void *record, size_t bytes, char *text,
			 size_t text_max)
{
	text[text_max - 1] = '\0';
	size_t n = strlen(text) + 1;
	memcpy(req->msg.w, record, bytes);
	memcpy(req->buf->data, text, n);
	req->msg.tag = IPC_TAG(0, (bytes + 7) / 8, 0, n);
}
