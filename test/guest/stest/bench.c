/* SPDX-License-Identifier: MIT */
/*
 * The restart benchmark: the time from a crash injected into echo (svc fi,
 * a null write at once) until the new instance answers a call that was
 * waiting on the endpoint, in TSC ticks, which under QEMU -icount
 * shift=0 are guest instructions. Prints `BENCH restart_latency <median>
 * ticks n=<k>` for ./run bench (test/qemu/test_bench.py).
 */
#include "proto/echo.h"
#include "stest.h"
#include "sys/stdio.h"

#define ROUNDS 21

/* Call echo until it answers (the call waits on the endpoint for the new instance). */
static long echo_pid(handle_t ep, uint64_t *pid)
{
	for (int tries = 0; tries < 10; tries++) {
		struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 1, 0, 0), .w = {1}};
		long err = ipc_call(ep, &m, 5000 * MS);
		if (err == E_OK) {
			*pid = m.w[5];
			return E_OK;
		}
		if (err != E_RESTARTED)
			return err;
	}
	return E_RESTARTED;
}

TEST(bench, bench_restart, "restart latency: crash until the new instance answers")
{
	uint64_t samples[ROUNDS], pid, new_pid;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_OK(echo_pid(echo, &pid));
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = sys_rdtsc();
		T_OK(svc_fault(st_ctl(), "echo", SVC_FAULT_CRASH, SVC_CRASH_NULL_WRITE, 0));
		T_OK(echo_pid(echo, &new_pid));
		samples[i] = sys_rdtsc() - t0;
		T_ASSERT(new_pid != pid);
		pid = new_pid;
	}
	printf("BENCH restart_latency %lu ticks n=%d\n", (unsigned long)st_median(samples, ROUNDS),
	       ROUNDS);
}
