/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer has one holder at a time: fbhold and fbhold2 both list
 * `devmem = framebuffer` (servers/test/fbhold). Once the boot screen has
 * finished with it, fbhold gets it and keeps it mapped; fbhold2 cannot be
 * started while fbhold runs (init's exclusive object over it is refused,
 * E_BUSY, and with restart = never it stays stopped), and starts once
 * fbhold has been stopped and its object is gone; then the other way
 * round, and at the end the boot screen draws again (the QEMU test counts
 * its lines). The compositor, which holds it after boot, is stopped first
 * and takes it back at the end.
 */
#include "stest.h"

#define WAIT_MS	 3000
#define RETRY_MS 50

static bool started(struct test_ctx *t, const char *name)
{
	struct svc_entry e;
	long err = svc_control(st_ctl(), SVC_START, name);

	if (err < 0) {
		T_FAIL("svc start %s: %s", name, sys_error_name(err));
		return false;
	}
	return st_status(t, name, &e) && (e.state == SVC_STARTING || e.state == SVC_RUNNING);
}

/* Start `name` again and again until it runs (its holder may take a moment to go). */
static bool start_when_free(struct test_ctx *t, const char *name)
{
	struct svc_entry e;

	for (unsigned waited = 0; waited < WAIT_MS; waited += RETRY_MS) {
		if (started(t, name))
			return st_wait_state(t, name, SVC_RUNNING, WAIT_MS, &e);
		if (t->failed)
			return false;
		sys_sleep(RETRY_MS * MS);
	}
	T_FAIL("%s never got the framebuffer", name);
	return false;
}

TEST(framebuffer, framebuffer_one_holder,
     "a second service listing the framebuffer starts only once the first has let it go")
{
	struct svc_entry e;

	if (!st_wait_state(t, "bootscreen", SVC_STOPPED, WAIT_MS, &e)) /* done drawing */
		return;
	T_OK(svc_control(st_ctl(), SVC_STOP, "compositor")); /* the desktop holds it after boot */
	if (!start_when_free(t, "fbhold"))
		return;
	T_ASSERT(!started(t, "fbhold2")); /* refused while fbhold holds it */
	T_RETURN_IF_FAILED();
	T_ASSERT(st_status(t, "fbhold2", &e) && e.state == SVC_STOPPED && e.pid == 0);
	T_OK(svc_control(st_ctl(), SVC_STOP, "fbhold"));
	if (!start_when_free(t, "fbhold2"))
		return;
	T_ASSERT(!started(t, "fbhold")); /* and now the other way round */
	T_RETURN_IF_FAILED();
	T_OK(svc_control(st_ctl(), SVC_STOP, "fbhold2"));
	sys_sleep(RETRY_MS * MS);			      /* fbhold2's object goes with it */
	T_OK(svc_control(st_ctl(), SVC_START, "bootscreen")); /* draws again, lets go */
	T_ASSERT(st_wait_state(t, "bootscreen", SVC_STOPPED, WAIT_MS, &e));
	start_when_free(t, "compositor"); /* and the desktop takes it back */
}
