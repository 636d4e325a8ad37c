/* SPDX-License-Identifier: MIT */
/*
 * The supervisor's protocols from a client's side: name lookups good and
 * bad, the service list, control requests on unknown names, fault
 * injection refused from anyone but the supervisor, and ipc_call_retry
 * carrying an idempotent request across a crash.
 */
#include <string.h>

#include "proto/echo.h"
#include "proto/ns.h"
#include "stest.h"
#include "sys/start.h"

/* A raw NS_LOOKUP with `n` bytes of `name`: the reply's status. */
static long raw_lookup(const char *name, uint32_t n)
{
	struct ipc_msg m = {.tag = IPC_TAG(NS_LOOKUP, 0, 0, n)};

	memcpy(ipc_buffer()->data, name, n);
	long err = ipc_call(start_handle("ns", NULL), &m, 1000 * MS);
	if (err < 0)
		return err;
	if (IPC_TAG_CAP(m.tag))
		sys_handle_close(m.cap);
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

TEST(basic, ns_lookups, "ns answers service names with new handles and refuses bad ones")
{
	struct handle_info info;
	handle_t a = st_lookup(t, "echo"), b = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_ASSERT(a != b);
	T_OK(sys_handle_info(a, &info));
	T_EQ(info.type, KOBJ_ENDPOINT);
	T_EQ(info.rights & (R_RECV | R_SEND), R_SEND); /* send-only */
	T_ASSERT(info.badge != 0);		       /* never the supervisor's badge 0 */
	T_EQ(ns_lookup_self("nosuch"), E_NOENT);
	T_EQ(ns_lookup_self(""), E_INVAL);
	T_EQ(raw_lookup("echo", 4), E_INVAL); /* no NUL */
	T_EQ(raw_lookup("echo\0x", 6), E_INVAL);
	T_EQ(raw_lookup("a-name-far-too-long", 20), E_INVAL);
	T_EQ(raw_lookup("svc", 4), E_OK);
	T_OK(sys_handle_close(a));
	T_OK(sys_handle_close(b));
}

TEST(basic, svc_list_and_errors, "svc lists every service; unknown names are E_NOENT")
{
	struct svc_entry e[SVC_LIST_MAX];
	uint32_t total = 0;
	long n = svc_list(st_ctl(), 0, e, SVC_LIST_MAX, &total);

	T_ASSERT(n >= 4 && (uint32_t)n == total);
	T_ASSERT(strcmp(e[0].name, "loader") == 0 && e[0].state == SVC_RUNNING);
	T_ASSERT(e[0].pages_used > 0 && e[0].pages_used <= e[0].pages_quota);
	T_EQ(svc_list(st_ctl(), total, e, SVC_LIST_MAX, NULL), 0);
	T_EQ(svc_status(st_ctl(), "nosuch", e), E_NOENT);
	T_EQ(svc_control(st_ctl(), SVC_RESTART, "nosuch"), E_NOENT);
	T_EQ(svc_fault(st_ctl(), "crashy", SVC_FAULT_CRASH, 0, 0), E_CLOSED); /* not running */
	T_EQ(svc_fault(st_ctl(), "echo", (enum svc_fault)7, 0, 0), E_INVAL);
}

TEST(basic, fi_only_from_supervisor, "a client cannot inject a fault into a server")
{
	struct svc_entry before, after;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_ASSERT(st_status(t, "echo", &before));
	struct ipc_msg m = {.tag = IPC_TAG(SVC_FI_CRASH, 2, 0, 0), .w = {SVC_CRASH_NULL_WRITE, 0}};
	T_OK(ipc_call(echo, &m, 1000 * MS));
	T_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_RIGHTS);
	T_EQ(svc_ping(echo, 1000 * MS), E_OK); /* anyone may ping */
	T_ASSERT(st_status(t, "echo", &after));
	T_EQ(after.pid, before.pid);
	sys_handle_close(echo);
}

TEST(basic, call_retry_across_crash, "ipc_call_retry resends an idempotent call cut off by a crash")
{
	struct svc_entry e;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_ASSERT(st_status(t, "echo", &e));
	/* crash while handling the next request: ours, unless a heartbeat comes first */
	T_OK(svc_fault(st_ctl(), "echo", SVC_FAULT_CRASH, SVC_CRASH_DIVIDE, 1));
	memset(ipc_buffer()->data, 0x6b, 64);
	struct echo_request rq = {{99}};
	struct echo_reply rp;
	/* through ipc_call_retry; the stub refuses a reply without the 64 bytes */
	T_OK(echo_echo_retry(echo, &rq, 64, &rp, 3000 * MS, 5));
	T_EQ(rp.w[0], 100);
	T_EQ(ipc_buffer()->data[63], 0x6b);
	T_ASSERT(rp.pid != e.pid); /* answered by the new instance */
	sys_handle_close(echo);
}

/*
 * A server keeps no capability a client sends unless its handler takes it:
 * 1,000 calls to echo (which takes none), each carrying a fresh
 * notification, leave no notification behind once the client has closed
 * its own copies; and a call with a reserved event label is refused by the
 * kernel, with echo still answering after it.
 */
TEST(basic, sent_caps_not_kept, "capabilities a handler does not take are closed by the loop")
{
	struct kinfo base;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&base));
	for (int i = 0; i < 1000; i++) {
		T_HANDLE(n, sys_ntfn_create());
		struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 5, 1, 0), .cap = n};
		T_EQ(ipc_call(echo, &m, 1000 * MS), E_OK);
		T_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_OK);
		T_OK(sys_handle_close(n));
	}
	T_KINFO_BACK(&base, 1000);
	struct ipc_msg fake = {.tag = IPC_TAG(IPC_LABEL_NOTIFY, 0, 0, 0)};
	T_EQ(ipc_call(echo, &fake, 1000 * MS), E_INVAL);
	struct echo_request rq = {{1}};
	struct echo_reply rp;
	T_EQ(echo_echo(echo, &rq, 0, &rp, 1000 * MS), E_OK);
	T_EQ(rp.w[0], 2);
	T_OK(sys_handle_close(echo));
}
