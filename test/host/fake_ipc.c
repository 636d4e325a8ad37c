/* SPDX-License-Identifier: MIT */
/*
 * The fake IPC transport of test/host/fake_ipc.h: ipc_call, ipc_send and
 * ipc_buffer for host tests, delivering each call (and each event a test
 * hands it) to server_dispatch in-process.
 */
#include "fake_ipc.h"

#include <string.h>

#include "sys/errors.h"
#include "sys/sys.h"

#define FAKE_HANDLE_BASE 0x7000u
#define FAKE_CAP_BASE	 0x7100u /* fake_ipc_handle's numbers */
#define FAKE_CLOSED_MAX	 64

struct fake_endpoint {
	const struct server *server;
	uint64_t badge;
};

static struct fake_endpoint endpoints[FAKE_IPC_MAX];
static unsigned endpoint_count;
static struct ipc_buffer client_buf, server_buf;
static struct ipc_buffer *current = &client_buf;
static long fail_err;
static int fail_count, fail_after;
static handle_t next_cap = FAKE_CAP_BASE;
static handle_t closed[FAKE_CLOSED_MAX]; /* the first ones closed since the reset */
static unsigned closed_count;
struct fake_ipc_stats fake_ipc_stats;
struct fake_ipc_send fake_ipc_sent;

handle_t fake_ipc_endpoint(const struct server *s, uint64_t badge)
{
	if (endpoint_count == FAKE_IPC_MAX)
		return HANDLE_INVALID;
	endpoints[endpoint_count] = (struct fake_endpoint){s, badge};
	return FAKE_HANDLE_BASE + endpoint_count++;
}

void fake_ipc_fail_next(long err, int count, int after_dispatch)
{
	fail_err = err;
	fail_count = count;
	fail_after = after_dispatch;
}

handle_t fake_ipc_handle(void)
{
	return next_cap++;
}

bool fake_ipc_closed(handle_t h)
{
	for (unsigned i = 0; i < closed_count; i++)
		if (closed[i] == h)
			return true;
	return false;
}

/* What server_run would close: record it. */
static void close_handle(handle_t h)
{
	if (closed_count < FAKE_CLOSED_MAX)
		closed[closed_count++] = h;
}

void fake_ipc_reset(void)
{
	endpoint_count = 0;
	closed_count = 0;
	fail_count = 0;
	memset(&fake_ipc_stats, 0, sizeof(fake_ipc_stats));
	memset(&fake_ipc_sent, 0, sizeof(fake_ipc_sent));
	current = &client_buf;
}

struct ipc_buffer *ipc_buffer(void)
{
	return current;
}

static const struct fake_endpoint *endpoint_of(handle_t ep)
{
	if (ep < FAKE_HANDLE_BASE || ep - FAKE_HANDLE_BASE >= endpoint_count)
		return NULL;
	return &endpoints[ep - FAKE_HANDLE_BASE];
}

static int should_fail(int after)
{
	if (fail_count == 0 || fail_after != after)
		return 0;
	fail_count--;
	fake_ipc_stats.failed++;
	return 1;
}

/* What server_run does before it waits for the next message. */
static void wait_again(const struct server *s)
{
	if (s->before_wait)
		s->before_wait(s->ctx);
}

/* The server's side of one call, run with the server's IPC buffer current. */
static void serve(const struct fake_endpoint *e, struct ipc_msg *m)
{
	struct server_request req = {.buf = &server_buf, .close_after_reply = HANDLE_INVALID};

	memcpy(server_buf.data, client_buf.data, IPC_TAG_BYTES(m->tag));
	req.msg = *m;
	req.msg.badge = e->badge;
	fake_ipc_stats.last_badge = e->badge;
	current = &server_buf;
	server_dispatch(e->server, &req);
	wait_again(e->server);
	current = &client_buf;
	if (req.cap_in != HANDLE_INVALID) {
		fake_ipc_stats.caps_closed++;
		fake_ipc_stats.last_closed = req.cap_in;
		close_handle(req.cap_in);
	}
	if (req.close_after_reply != HANDLE_INVALID)
		close_handle(req.close_after_reply);
	memcpy(client_buf.data, server_buf.data, IPC_TAG_BYTES(req.msg.tag));
	*m = req.msg;
	m->badge = 0;
}

long ipc_call(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	const struct fake_endpoint *e = endpoint_of(ep);

	(void)timeout;
	if (!e)
		return E_BADHANDLE;
	if (IPC_TAG_BYTES(m->tag) > IPC_BUF_BYTES || server_is_event(m->tag))
		return E_INVAL; /* what the kernel refuses */
	if (should_fail(0))
		return fail_err;
	fake_ipc_stats.calls++;
	serve(e, m);
	return should_fail(1) ? fail_err : E_OK;
}

void fake_ipc_event(handle_t ep, const struct ipc_msg *m)
{
	const struct fake_endpoint *e = endpoint_of(ep);
	struct server_request req = {.buf = &server_buf, .msg = *m};

	if (!e || !server_is_event(m->tag))
		return;
	req.msg.badge = e->badge;
	current = &server_buf;
	server_dispatch(e->server, &req);
	wait_again(e->server);
	current = &client_buf;
}

long ipc_send(handle_t ep, const struct ipc_msg *m, uint64_t timeout)
{
	long err = fake_ipc_sent.fail;

	(void)timeout;
	fake_ipc_sent.fail = 0;
	if (err)
		return err;
	fake_ipc_sent.count++;
	fake_ipc_sent.ep = ep;
	fake_ipc_sent.msg = *m;
	return E_OK;
}

/*
 * One host thread: a lock (sys/lock.h) is never contended, so waiting is
 * never needed. Weak: a test with a clock of its own (servers/xhci's
 * test_fakes.c) defines them.
 */
__attribute__((weak)) long sys_yield(void)
{
	return E_OK;
}

__attribute__((weak)) long sys_sleep(uint64_t ns)
{
	(void)ns;
	return E_OK;
}
