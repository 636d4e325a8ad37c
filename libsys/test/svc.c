/* SPDX-License-Identifier: MIT */
/* Starting and waiting for services in in-guest tests (test/svc.h). */
#include "test/svc.h"

#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"

#define POLL_MS 5

/* Poll until `name` runs as a process other than `not_pid` (0: any). */
static long wait_running(handle_t ctl, const char *name, uint64_t not_pid)
{
	struct svc_entry e;
	long err = E_TIMEOUT;

	for (unsigned ms = 0; ms < TEST_SVC_WAIT_MS; ms += POLL_MS) {
		err = svc_status(ctl, name, &e);
		if (err == E_OK && e.state == SVC_RUNNING && e.pid != not_pid)
			return E_OK;
		sys_sleep(POLL_MS * MS);
	}
	return err == E_OK ? E_TIMEOUT : err;
}

long test_svc_start(handle_t ctl, const char *name)
{
	long err = svc_control(ctl, SVC_START, name);
	return err < 0 ? err : wait_running(ctl, name, 0);
}

long test_svc_wait_restart(handle_t ctl, const char *name, uint64_t old_pid)
{
	return wait_running(ctl, name, old_pid);
}
