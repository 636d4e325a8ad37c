/* SPDX-License-Identifier: MIT */
/*
 * Fault injection in every server (proto/svc.h), for the supervisor's
 * `svc fi`: crash (a null write, an invalid opcode, a divide by zero or a
 * wild jump, at once or while handling a later request, so that a caller
 * sees its call cut off), hang (never answer again), leak (take memory
 * until the quota says no, then keep asking without answering), corrupt
 * (alter a word of the next reply to a client) and flip (one bit of the
 * process's data and bss, heap or live stack). Each is obeyed only from
 * badge 0, the supervisor's own handle to the endpoint.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fault_inject.h"
#include "proto/svc.h"
#include "sys/process.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define LEAK_CHUNK (64 * 1024)
#define FI_SLEEP   (10 * MS)

static bool crash_armed;
bool svc_fi_armed; /* crash_armed || corrupt_armed: fault_inject.h's hooks test this alone */
static uint32_t crash_countdown;
static uint32_t crash_kind;
static bool corrupt_armed;
static uint64_t corrupt_random;

extern unsigned char __rw_start[], __rw_end[]; /* data+bss (user.ld) */

/* splitmix64's finaliser: the supervisor's 32 random bits spread over 64. */
static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* This process's name, for the log lines. */
static const char *self_name(struct process_info *info)
{
	if (sys_process_info(HANDLE_SELF, info) < 0)
		strlcpy(info->name, "server", sizeof(info->name));
	return info->name;
}

static void crash_null_write(void)
{
	volatile uint64_t *volatile p = (uint64_t *)8;
	*p = 0xdead;
}

static void crash_divide(void)
{
	volatile uint64_t zero = 0;
	volatile uint64_t x = 1 / zero;
	(void)x;
}

static void crash_wild_jump(void)
{
	void (*volatile f)(void) = (void (*)(void))0x1000; /* below 64 KiB: never mapped */
	f();
}

__attribute__((noreturn)) static void crash(uint32_t kind)
{
	if (kind == SVC_CRASH_RANDOM || kind >= SVC_CRASH_KINDS)
		kind = 1 + (uint32_t)((sys_rdtsc() >> 3) % (SVC_CRASH_KINDS - 1));
	if (kind == SVC_CRASH_NULL_WRITE)
		crash_null_write();
	else if (kind == SVC_CRASH_DIVIDE)
		crash_divide();
	else if (kind == SVC_CRASH_WILD_JUMP)
		crash_wild_jump();
	__builtin_trap(); /* SVC_CRASH_BAD_OPCODE, and the end of every other kind */
}

__attribute__((noreturn)) static void hang(void)
{
	struct process_info info;

	printf("fi: %s hangs\n", self_name(&info));
	for (;;)
		sys_sleep(TIMEOUT_NEVER);
}

__attribute__((noreturn)) static void leak(void)
{
	struct process_info info;
	uint64_t kib = 0;
	bool told = false;

	for (;;) {
		uint8_t *p = malloc(LEAK_CHUNK);
		if (p) {
			memset(p, 0x5a, LEAK_CHUNK); /* touch every page */
			kib += LEAK_CHUNK / 1024;
			continue;
		}
		if (!told) {
			printf("fi: %s leak stopped by its quota after %lu KiB\n", self_name(&info),
			       (unsigned long)kib);
			told = true;
		}
		sys_sleep(FI_SLEEP);
	}
}

/*
 * One bit of [lo, lo + bytes) at a place r picks. The stack's part runs
 * from this frame up to the server loop's request (server_run's frame):
 * every byte there is live, return addresses and saved registers included.
 */
static void flip_in(unsigned char *lo, uint64_t bytes, uint64_t r)
{
	if (lo && bytes)
		lo[(r >> 3) % bytes] ^= (unsigned char)(1u << (r & 7));
}

static void flip(const struct server_request *req, uint64_t r)
{
	unsigned char *stack = __builtin_frame_address(0);

	if (r % 3 == 0)
		flip_in(__rw_start, (uint64_t)(__rw_end - __rw_start), r / 3);
	else if (r % 3 == 1)
		flip_in(malloc_byte_at(r / 3), 1, r >> 40);
	else
		flip_in(stack, (uint64_t)((const unsigned char *)(req + 1) - stack), r / 3);
}

void svc_fi_reply_armed(struct ipc_msg *reply, uint64_t badge)
{
	if (!corrupt_armed || badge == 0) /* badge 0: the supervisor's heartbeat */
		return;
	corrupt_armed = false;
	svc_fi_armed = crash_armed;
	uint64_t r = mix(corrupt_random), x = mix(r) | 1;
	uint32_t words = IPC_TAG_WORDS(reply->tag), which = (uint32_t)(r % (words + 1));
	if (which > 0) {
		reply->w[which - 1] ^= x;
		return;
	}
	uint64_t t = reply->tag;
	reply->tag =
		IPC_TAG((uint16_t)(IPC_TAG_LABEL(t) ^ x), words, IPC_TAG_CAP(t), IPC_TAG_BYTES(t));
}

long svc_ping_handler(struct server_request *req)
{
	(void)req;
	return E_OK;
}

long svc_fi_handler(struct server_request *req)
{
	uint32_t label = IPC_TAG_LABEL(req->in_tag);

	if (req->msg.badge != 0)
		return E_RIGHTS;
	if (label == SVC_FI_HANG)
		hang();
	if (label == SVC_FI_LEAK)
		leak();
	if (label == SVC_FI_FLIP) {
		flip(req, mix(req->msg.w[1]));
		return E_OK;
	}
	if (label == SVC_FI_CORRUPT) {
		corrupt_random = req->msg.w[1];
		corrupt_armed = true;
		svc_fi_armed = true;
		return E_OK;
	}
	crash_kind = (uint32_t)req->msg.w[0];
	crash_countdown = (uint32_t)req->msg.w[1];
	if (crash_countdown == 0)
		crash(crash_kind);
	crash_armed = true;
	svc_fi_armed = true;
	return E_OK;
}

void svc_fi_request_armed(void)
{
	if (crash_armed && --crash_countdown == 0)
		crash(crash_kind);
}
