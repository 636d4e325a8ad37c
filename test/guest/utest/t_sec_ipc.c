/* SPDX-License-Identifier: MIT */
/*
 * Holes at the kernel boundary that ring 3 could use (issue 9): labels only
 * the kernel may send, a saved reply outliving the server thread that saved
 * it, capabilities that could vanish on their way, supervised processes
 * whose supervisor is gone, and the last page below 2^47.
 */
#include <stdlib.h>

#include "sys/exit.h"
#include "sys/process.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "utest.h"

#define ROUNDS	   40
#define FAULT_VA   0xdead0000ull
#define WARDS	   4
#define TOP_PAGE   0x00007ffffffff000ull /* the page below 2^47: never mapped */
#define CODE_VA	   (TOP_PAGE - PAGE)	 /* the last page user space may map */
#define SYSCALL_AT (TOP_PAGE - 2)	 /* its last two bytes */

static const uint16_t kernel_labels[] = {IPC_LABEL_NOTIFY, IPC_LABEL_FAULT, IPC_LABEL_EXIT,
					 IPC_LABEL_GONE};

TEST(sec_ipc, ipc_kernel_labels_refused,
     "call and send refuse the labels of notifications and notices")
{
	struct ipc_msg m;
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	for (size_t i = 0; i < ARRAY_SIZE(kernel_labels); i++) {
		m = (struct ipc_msg){.tag = IPC_TAG(kernel_labels[i], 1, 0, 0), .w = {1}};
		T_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_INVAL);
		T_EQ(ipc_send(ep, &m, 0), E_INVAL);
		T_EQ(ipc_send(ep, &m, 10 * MS), E_INVAL);
	}
	m = (struct ipc_msg){.tag = IPC_TAG(IPC_LABEL_KERNEL_FIRST - 1, 0, 0, 0)};
	T_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK); /* the highest label anyone may send */
	T_EQ(ut_status(m.tag), E_NOSYS);
	m = (struct ipc_msg){0};
	T_EQ(ut_call(ep, UT_CAPINFO, 0, &m), E_INVAL); /* a reply's status may be 0xFFFF */
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

/*
 * A server thread that saves the reply, hands it to a sibling through
 * `reply` (signalling `handed`) and ends at once.
 */
struct saver {
	handle_t ep, handed;
	volatile long reply;
};

static void save_and_exit(void *arg)
{
	struct saver *s = arg;
	struct ipc_msg m;

	s->reply = ipc_recv(s->ep, &m, TIMEOUT_NEVER);
	if (s->reply == E_OK)
		s->reply = sys_reply_save();
	sys_ntfn_signal(s->handed, 1);
}

/* The sibling: once handed the reply, answer it with 42 and close it. */
static void answer_saved(void *arg)
{
	struct saver *s = arg;
	struct ipc_msg m = {.tag = IPC_TAG(0, 1, 0, 0), .w = {42}};

	if (sys_ntfn_wait(s->handed, TIMEOUT_NEVER) < 0 || s->reply <= 0)
		return;
	ipc_reply((handle_t)s->reply, &m);
	sys_handle_close((handle_t)s->reply);
}

/* The caller's call times out after the saver has gone; the saved reply is dead. */
static void saved_reply_times_out(struct test_ctx *t, struct saver *s)
{
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 0)};

	T_OK(thread_spawn(save_and_exit, s, UT_PRIO_HIGH, NULL));
	T_EQ(ipc_call(s->ep, &m, 2 * MS), E_TIMEOUT);
	T_ASSERT(s->reply > 0);
	T_EQ(sys_ntfn_wait(s->handed, 0), 1);
	T_EQ(ipc_reply((handle_t)s->reply, &m), E_CLOSED);
	T_OK(sys_handle_close((handle_t)s->reply));
}

/* The sibling answers after the saver has gone. */
static void saved_reply_answered(struct test_ctx *t, struct saver *s)
{
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 0)};

	T_OK(thread_spawn(answer_saved, s, UT_PRIO_HIGH, NULL));
	T_OK(thread_spawn(save_and_exit, s, UT_PRIO_HIGH, NULL));
	T_OK(ipc_call(s->ep, &m, 1000 * MS));
	T_EQ(m.w[0], 42);
}

TEST(sec_ipc, ipc_saved_reply_outlives_server,
     "a reply saved by a thread that then ends is answered by a sibling or times out cleanly")
{
	struct kinfo before, after;
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(handed, sys_ntfn_create());
	struct saver s = {.ep = ep, .handed = handed};

	T_OK(test_kinfo(&before));
	for (int i = 0; i < ROUNDS; i++) {
		s.reply = E_INVAL;
		if (i % 2)
			saved_reply_answered(t, &s);
		else
			saved_reply_times_out(t, &s);
		T_RETURN_IF_FAILED();
	}
	T_ASSERT(ut_wait_threads(before.threads, 1000));
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
	T_OK(sys_handle_close(handed));
	T_OK(sys_handle_close(ep));
}

/* A thread that sends (not calls) `msg` on ep and records the result. */
static void probe_send(void *arg)
{
	struct ut_probe *p = arg;

	p->result = ipc_send(p->ep, &p->msg, TIMEOUT_NEVER);
	p->done = 1;
}

/* A queued sender closes its capability before a receiver takes the message. */
static void cap_closed_while_queued(struct test_ctx *t, void (*fn)(void *), handle_t ep)
{
	struct ipc_msg m;
	T_HANDLE(n, sys_ntfn_create());
	struct ut_probe p = {.msg = {.tag = IPC_TAG(1, 0, 1, 0), .cap = n}};

	T_OK(ut_probe_start(fn, &p, ep, UT_PRIO_HIGH)); /* queued on ep with n */
	T_EQ(p.done, 0);
	T_OK(sys_handle_close(n));
	T_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT); /* nothing arrives without its capability */
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, E_BADHANDLE);
}

TEST(sec_ipc, cap_closed_before_delivery,
     "a capability closed while its message waits fails the send")
{
	T_HANDLE(ep, sys_ep_create());

	cap_closed_while_queued(t, ut_probe_call, ep);
	T_RETURN_IF_FAILED();
	cap_closed_while_queued(t, probe_send, ep);
	T_RETURN_IF_FAILED();
	T_OK(sys_handle_close(ep));
}

/* Fill our handle table with copies of h; how many, and the error that stopped it. */
static long fill_table(handle_t h, handle_t *copies, size_t max, size_t *count)
{
	long err = E_OK;

	for (*count = 0; *count < max; (*count)++) {
		err = sys_handle_dup(h, R_DUP);
		if (err < 0)
			break;
		copies[*count] = (handle_t)err;
	}
	return err;
}

static void close_all(handle_t *copies, size_t count)
{
	for (size_t i = 0; i < count; i++)
		sys_handle_close(copies[i]);
}

/* With our table full: sends to a receiver of ours and a reply to us fail. */
static void full_table_refuses(struct test_ctx *t, handle_t ep, handle_t server, long full)
{
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 1, 0), .cap = ep};

	T_EQ(ipc_send(ep, &m, 0), full); /* our receiver cannot take it */
	m = (struct ipc_msg){.tag = IPC_TAG(1, 0, 1, 0), .cap = ep};
	T_EQ(ipc_call(ep, &m, 0), full);
	m = (struct ipc_msg){0};
	T_EQ(ut_call(server, UT_GIVE, 0, &m), full); /* the reply's handle has no room */
}

TEST(sec_ipc, cap_receiver_table_full,
     "a capability the receiver has no room for fails, never vanishes")
{
	size_t count = 0, max = 70000;
	handle_t server, child, *copies = malloc(max * sizeof(handle_t));
	struct ut_probe p = {0};
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());

	T_ASSERT(copies);
	T_OK(ut_server_process(&server, &child));
	T_OK(ut_probe_start(ut_probe_recv, &p, ep, UT_PRIO_HIGH)); /* waits on ep */
	long full = fill_table(ep, copies, max, &count);
	T_ASSERT(full < 0 && count > 1000);
	full_table_refuses(t, ep, server, full);
	close_all(copies, count);
	free(copies);
	T_RETURN_IF_FAILED();
	T_EQ(p.done, 0);		       /* still waiting: nothing reached it */
	T_OK(ut_call(server, UT_GIVE, 0, &m)); /* with room again, the server still serves */
	T_ASSERT(IPC_TAG_CAP(m.tag) && m.cap != HANDLE_INVALID);
	T_OK(sys_handle_close(m.cap));
	m = (struct ipc_msg){.tag = IPC_TAG(1, 0, 0, 0)};
	T_OK(ipc_send(ep, &m, 0));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_OK(ut_server_stop(server, child));
	T_OK(sys_handle_close(ep));
}

/* WARDS children waiting at their gates to read FAULT_VA, supervised on ep. */
static long spawn_wards(handle_t ep, handle_t *kids, handle_t *gates)
{
	for (int i = 0; i < WARDS; i++) {
		long g = sys_ntfn_create();
		if (g < 0)
			return g;
		gates[i] = (handle_t)g;
		long c = ut_spawn("gated-read", "dead0000", gates[i], UT_PRIO);
		if (c < 0)
			return c;
		kids[i] = (handle_t)c;
		long err = sys_process_supervise(kids[i], ep, (uint64_t)i + 1);
		if (err < 0)
			return err;
	}
	return E_OK;
}

static void open_gates(const handle_t *gates)
{
	for (int i = 0; i < WARDS; i++)
		sys_ntfn_signal(gates[i], 1);
}

static bool all_faulted(const handle_t *kids)
{
	struct process_info info;

	for (int i = 0; i < WARDS; i++)
		if (sys_process_info(kids[i], &info) < 0 || info.state != PROCESS_FAULTED)
			return false;
	return true;
}

/* The supervisor endpoint's last handle goes before (or after) the wards fault. */
static void orphaned_wards(struct test_ctx *t, bool fault_first)
{
	handle_t kids[WARDS], gates[WARDS];
	T_HANDLE(ep, sys_ep_create());

	T_OK(spawn_wards(ep, kids, gates));
	if (fault_first) {
		open_gates(gates);
		for (int i = 0; i < 1000 && !all_faulted(kids); i++)
			sys_sleep(MS);
		T_ASSERT(all_faulted(kids)); /* suspended, their notices queued on ep */
	}
	T_OK(sys_handle_close(ep)); /* nobody can hear them any more */
	open_gates(gates);
	for (int i = 0; i < WARDS; i++) {
		T_EQ(ut_wait(kids[i], 2000 * MS), EXIT_FAULT_CODE(14));
		T_OK(sys_handle_close(kids[i]));
		T_OK(sys_handle_close(gates[i]));
	}
}

TEST(sec_ipc, supervise_orphaned_fault_ends,
     "a supervised process whose supervisor endpoint is gone ends on a fault and frees all")
{
	struct kinfo before, after;

	orphaned_wards(t, false); /* warms up the loader (its heap grows once) */
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	orphaned_wards(t, true);
	T_RETURN_IF_FAILED();
	orphaned_wards(t, false);
	T_RETURN_IF_FAILED();
	T_ASSERT(ut_wait_threads(before.threads, 2000));
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

TEST(sec_ipc, user_space_last_page,
     "the page below 2^47 cannot be mapped; a syscall ending there faults")
{
	handle_t m;
	T_OK(ut_map_new(UT_SCRATCH_VA, 1, &m));
	uint8_t *code = (uint8_t *)UT_SCRATCH_VA;

	T_EQ(sys_mobj_map(HANDLE_SELF, m, TOP_PAGE, 0, PAGE, R_READ), E_RANGE);
	code[PAGE - 2] = 0x0F; /* syscall (rax = 0: SYS_NULL), returning to 2^47 - 4 KiB */
	code[PAGE - 1] = 0x05;
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(p, sys_process_create("edge", 4));
	T_OK(sys_mobj_map(p, m, CODE_VA, 0, PAGE, R_READ | R_EXEC));
	T_HANDLE(th, sys_thread_create(p, SYSCALL_AT, CODE_VA, 0, UT_PRIO));
	T_OK(sys_process_supervise(p, ep, 1));
	T_OK(sys_thread_start(th));
	struct ipc_msg n = {0};
	T_OK(ipc_recv(ep, &n, 2000 * MS));
	T_EQ(IPC_TAG_LABEL(n.tag), IPC_LABEL_FAULT);
	T_EQ(n.w[0], 14); /* a clean user page fault at the next page, canonical */
	T_EQ(n.w[2], TOP_PAGE);
	T_EQ(n.w[3], TOP_PAGE);
	T_OK(sys_process_kill(p));
	T_OK(sys_handle_close(th));
	T_OK(sys_handle_close(p));
	T_OK(sys_handle_close(ep));
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE));
	T_OK(sys_handle_close(m));
}
