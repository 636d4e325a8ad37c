/* SPDX-License-Identifier: MIT */
/*
 * echo: a small stateless test server (proto/echo.h) for supervision tests:
 * it answers every request from its arguments alone, so a new instance
 * carries on where the old one died without anything to recover.
 * Recovery: stateless.
 */
#include "proto/echo.h"
#include "sys/process.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

static uint64_t my_pid;

static long echo_handler(struct server_request *req)
{
	uint32_t bytes = IPC_TAG_BYTES(req->in_tag);

	for (int i = 0; i < 5; i++)
		req->msg.w[i] += 1;
	req->msg.w[5] = my_pid;
	req->msg.tag = IPC_TAG(0, 6, 0, bytes); /* the bytes are still in our buffer */
	return E_OK;
}

static const struct server_method methods[] = {
	{ECHO_ECHO, echo_handler},
};

int main(void)
{
	handle_t ep = start_handle("echo", NULL);
	struct process_info info;

	if (ep == HANDLE_INVALID) {
		printf("echo: no endpoint given\n");
		return 1;
	}
	if (sys_process_info(HANDLE_SELF, &info) == E_OK)
		my_pid = info.pid;
	struct server s = {ep, methods, sizeof(methods) / sizeof(methods[0]), NULL, NULL};
	return (int)server_run(&s);
}
