/* SPDX-License-Identifier: MIT */
/*
 * Host test of the console protocol: the client stub (console_run) through
 * the fake transport (fake_ipc.h) into server_dispatch and server.c's
 * decode, over a fake op that records what it was given. Checks that the
 * words and the stream end arrive whole and the status comes back; that a
 * command the console does not lend, no stream end, a count that does not
 * match the words, words without their NUL and too many or too long words
 * are refused (the client's own checks and, with hand-made requests, the
 * server's); that the op owns the end it took, and the loop closes one a
 * refused request left behind.
 */
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "proto/console.h"
#include "sys/errors.h"
#include "sys/sys.h"

static struct {
	int calls, argc;
	char words[4][32];
	handle_t out;
	int64_t status; /* what the op answers */
} op;

static long fake_run(void *ctx, handle_t out, int argc, char **argv, int64_t *status)
{
	(void)ctx;
	op.calls++;
	op.argc = argc;
	op.out = out;
	for (int i = 0; i < argc && i < 4; i++)
		strncpy(op.words[i], argv[i], sizeof(op.words[i]) - 1);
	CHECK(argv[argc] == NULL);
	*status = op.status;
	return E_OK;
}

static const struct console_ops ops = {.run = fake_run};
static struct console_server cs = {&ops, NULL};
static struct server server;

static handle_t fresh(void)
{
	fake_ipc_reset();
	memset(&op, 0, sizeof(op));
	server = console_server(0, &cs);
	return fake_ipc_endpoint(&server, 1);
}

static void test_run(void)
{
	handle_t ep = fresh(), out = fake_ipc_handle();
	const char *argv[] = {"lspci", "-x", ""};
	int64_t status = -1;

	op.status = 42;
	CHECK_EQ(console_run(ep, out, 3, argv, &status), E_OK);
	CHECK_EQ(status, 42);
	CHECK_EQ(op.calls, 1);
	CHECK_EQ(op.argc, 3);
	CHECK(strcmp(op.words[0], "lspci") == 0 && strcmp(op.words[1], "-x") == 0);
	CHECK(op.words[2][0] == '\0'); /* an empty word is a word */
	CHECK_EQ(op.out, out);
	CHECK(!fake_ipc_closed(out)); /* the op took it: the loop leaves it alone */
	op.status = E_INVAL;
	CHECK_EQ(console_run(ep, out, 1, argv, &status), E_OK);
	CHECK_EQ(status, E_INVAL); /* a negative status comes back as it was */
}

static void test_client_refuses(void)
{
	handle_t ep = fresh(), out = fake_ipc_handle();
	const char *many[CONSOLE_ARGS_MAX + 1];
	static char big[CONSOLE_BYTES_MAX + 1];
	int64_t status;

	for (int i = 0; i <= CONSOLE_ARGS_MAX; i++)
		many[i] = "lspci";
	memset(big, 'a', CONSOLE_BYTES_MAX);
	const char *large[] = {"lspci", big};
	CHECK_EQ(console_run(ep, out, 0, many, &status), E_INVAL);
	CHECK_EQ(console_run(ep, out, CONSOLE_ARGS_MAX + 1, many, &status), E_INVAL);
	CHECK_EQ(console_run(ep, out, 2, large, &status), E_INVAL);
	CHECK_EQ(fake_ipc_stats.calls, 0);
	const char *other[] = {"shutdown"};
	CHECK_EQ(console_run(ep, out, 1, other, &status), E_NOENT); /* not lent */
	CHECK_EQ(op.calls, 0);
	CHECK(fake_ipc_closed(out)); /* the loop closed what the refused request brought */
}

/* A request made by hand: argc in w0, `n` bytes of words, a capability or not. */
static long raw(handle_t ep, uint64_t argc, const char *bytes, uint32_t n, bool cap)
{
	struct ipc_msg m = {.tag = IPC_TAG(CONSOLE_RUN, 1, cap ? 1 : 0, n),
			    .cap = cap ? fake_ipc_handle() : HANDLE_INVALID};

	m.w[0] = argc;
	memcpy(ipc_buffer()->data, bytes, n);
	long err = ipc_call(ep, &m, TIMEOUT_NEVER);
	return err < 0 ? err : ipc_reply_status(&m, 1, 0);
}

static void test_server_refuses(void)
{
	handle_t ep = fresh();

	CHECK_EQ(raw(ep, 1, "lspci", 6, false), E_INVAL);    /* no stream end */
	CHECK_EQ(raw(ep, 2, "lspci", 6, true), E_INVAL);     /* fewer words than said */
	CHECK_EQ(raw(ep, 1, "lspci\0-v", 9, true), E_INVAL); /* more words than said */
	CHECK_EQ(raw(ep, 1, "lspci", 5, true), E_INVAL);     /* no NUL at the end */
	CHECK_EQ(raw(ep, 0, "", 1, true), E_INVAL);	     /* no command */
	CHECK_EQ(raw(ep, CONSOLE_ARGS_MAX + 1, "lspci", 6, true), E_INVAL);
	CHECK_EQ(raw(ep, ~0ull, "lspci", 6, true), E_INVAL);
	CHECK_EQ(raw(ep, 1, "input", 6, true), E_NOENT); /* not lent (yet) */
	CHECK_EQ(op.calls, 0);
	CHECK_EQ(fake_ipc_stats.caps_closed, 7); /* every end a refused request brought */
	CHECK_EQ(raw(ep, 2, "lspci\0-v", 9, true), 0);
	CHECK_EQ(op.calls, 1);
}

int main(void)
{
	test_run();
	test_client_refuses();
	test_server_refuses();
	return check_summary("console_proto");
}
