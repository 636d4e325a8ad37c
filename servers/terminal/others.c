/* SPDX-License-Identifier: MIT */
/*
 * Ctrl+Shift+N: another terminal. The terminals are services of their
 * own (terminal, then terminal2 and terminal3 from instances/, autostart
 * no), so opening one is asking the supervisor to start the first that is
 * not running, as the console's `term new` does. Each is its own process:
 * the new one shares nothing with this one.
 */
#include "proto/svc.h"
#include "sys/start.h"
#include "term.h"

long term_open_another(void)
{
	handle_t svc = start_handle("svc", NULL);
	char name[SVC_NAME_MAX] = "terminal";

	if (svc == HANDLE_INVALID)
		return E_NOENT;
	for (unsigned n = 1; n <= TERM_INSTANCES; n++) {
		struct svc_entry e;
		name[8] = n == 1 ? '\0' : (char)('0' + n);
		if (svc_status(svc, name, &e) == E_OK && e.pid != 0)
			continue;
		long err = svc_control(svc, SVC_START, name);
		return err < 0 ? err : (long)n;
	}
	return E_NOSPACE;
}
