/* SPDX-License-Identifier: MIT */
/*
 * Host test of the name service (proto/ns.h) as init serves it: the client
 * stub (ns_lookup) and raw requests go through the fake transport into
 * init's real server (sup_server: badge kinds, the ns library's decode,
 * init's lookup op and service table), on a fake kernel (fake_sys.h).
 * Checks lookups of known, unknown, too long, unterminated and empty
 * names, what the minted handles are (endpoint, badge, rights) and that
 * init's copies go away with the reply, the badge kinds (only an ns badge
 * may look up; its handle cannot ask for control requests), the stub's
 * retries after E_RESTARTED, and a mint the kernel refuses.
 */
#include <string.h>

#include "check.h"
#include "fake_sys.h"
#include "sys/units.h"

#define CLIENT_RIGHTS (R_SEND | R_GRANT | R_DUP | R_TRANSFER)

/* A raw NS_LOOKUP of the n bytes at name; the status, and the handle in *h. */
static long raw_lookup(handle_t ns, const char *name, uint32_t n, handle_t *h)
{
	struct ipc_msg m = {.tag = IPC_TAG(NS_LOOKUP, 0, 0, n)};

	memcpy(ipc_buffer()->data, name, n);
	*h = HANDLE_INVALID;
	long err = ipc_call(ns, &m, TIMEOUT_NEVER);
	if (err < 0)
		return err;
	if (IPC_TAG_CAP(m.tag))
		*h = m.cap;
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

/* h is a mint of `ep` with a kind-`kind` badge (or any non-zero one for kind 0). */
static void check_mint(handle_t h, handle_t ep, uint32_t kind, uint32_t rights)
{
	const struct fake_object *o = fake_object(h);

	CHECK(o && o->kind == FAKE_MINT);
	if (!o)
		return;
	CHECK_EQ(o->of, ep);
	CHECK(o->badge != 0);
	if (kind)
		CHECK_EQ(BADGE_KIND(o->badge), kind);
	CHECK_EQ(o->rights, rights);
	CHECK(fake_ipc_closed(h)); /* init's copy went with the reply */
}

static void test_service_names(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	handle_t ns = fixture_ns();
	long a = ns_lookup(ns, "echo"), b = ns_lookup(ns, "echo");

	CHECK(a >= 0 && b >= 0 && a != b);
	check_mint((handle_t)a, service_by_name("echo")->eps[0], 0, CLIENT_RIGHTS);
	check_mint((handle_t)b, service_by_name("echo")->eps[0], 0, CLIENT_RIGHTS);
	CHECK(fake_object((handle_t)a)->badge != fake_object((handle_t)b)->badge);
	long c = ns_lookup(ns, "loader");
	check_mint((handle_t)c, service_by_name("loader")->eps[0], 0, CLIENT_RIGHTS);
	CHECK_EQ(fake_ipc_stats.calls, 3);
}

static void test_init_names(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	handle_t ns = fixture_ns();
	long ctl = ns_lookup(ns, "svc"), again = ns_lookup(ns, "ns");

	check_mint((handle_t)ctl, sup.ep, BADGE_CONTROL, R_SEND | R_DUP | R_TRANSFER);
	check_mint((handle_t)again, sup.ep, BADGE_NS, R_SEND | R_DUP | R_TRANSFER);
	CHECK_EQ(BADGE_INDEX(fake_object((handle_t)ctl)->badge), BADGE_ANYONE);
}

static void test_bad_names(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	handle_t ns = fixture_ns(), h;
	uint32_t minted = fake_open_count(FAKE_MINT);

	CHECK_EQ(ns_lookup(ns, "nosuch"), E_NOENT);
	CHECK_EQ(ns_lookup(ns, ""), E_INVAL);			       /* the stub's own check */
	CHECK_EQ(ns_lookup(ns, "sixteen-chars-xx"), E_INVAL);	       /* so is this */
	CHECK_EQ(raw_lookup(ns, "echo", 4, &h), E_INVAL);	       /* no NUL */
	CHECK_EQ(raw_lookup(ns, "echo\0x", 6, &h), E_INVAL);	       /* bytes after it */
	CHECK_EQ(raw_lookup(ns, "ec\0ho", 6, &h), E_INVAL);	       /* a NUL inside */
	CHECK_EQ(raw_lookup(ns, "", 1, &h), E_INVAL);		       /* empty */
	CHECK_EQ(raw_lookup(ns, "", 0, &h), E_INVAL);		       /* nothing at all */
	CHECK_EQ(raw_lookup(ns, "sixteen-chars-xx", 17, &h), E_INVAL); /* one too long */
	CHECK_EQ(raw_lookup(ns, "fifteen-chars-x", 16, &h), E_NOENT);  /* fits; nobody's */
	CHECK_EQ(h, HANDLE_INVALID);
	CHECK_EQ(raw_lookup(ns, "echo", 5, &h), E_OK);
	CHECK(h != HANDLE_INVALID);
	CHECK_EQ(fake_open_count(FAKE_MINT), minted + 1); /* only the good one made a handle */
}

/* Only an ns badge may look up; an ns handle is refused control requests. */
static void test_badge_kinds(void)
{
	static const uint64_t others[] = {
		BADGE(BADGE_CONTROL, 0, BADGE_ANYONE),
		BADGE(BADGE_BOOT, 1, 0),
		BADGE(BADGE_HEARTBEAT, 0, 0),
		BADGE(BADGE_NOTICE, 1, 0),
		0, /* init's own badge: kind 0 is its timer */
	};
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	handle_t h;

	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		CHECK_EQ(raw_lookup(fixture_caller(others[i]), "echo", 5, &h), E_RIGHTS);
	struct ipc_msg m = {.tag = IPC_TAG(SVC_LIST, 1, 0, 0)};
	CHECK_EQ(ipc_call(fixture_ns(), &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_RIGHTS);
	m = (struct ipc_msg){.tag = IPC_TAG(NS_PROTOCOL_BASE + 0x10, 0, 0, 0)};
	CHECK_EQ(ipc_call(fixture_ns(), &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
}

static void test_retries_and_failures(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	handle_t ns = fixture_ns();

	fake_ipc_fail_next(E_RESTARTED, 2, 0);
	CHECK(ns_lookup(ns, "echo") >= 0); /* idempotent: the stub asks again */
	CHECK_EQ(fake_ipc_stats.failed, 2);
	fake_sys.mint_fails = 1;
	CHECK_EQ(ns_lookup(ns, "echo"), E_NOSPACE);
	CHECK_EQ(ns_lookup_self("echo"), E_NOENT); /* no "ns" start handle */
	fake_sys.start_ns = ns;
	CHECK(ns_lookup_self("counter") >= 0);
	struct ipc_msg m = {.tag = IPC_TAG(NS_LOOKUP, 0, 1, 5), .cap = 0x55};
	memcpy(ipc_buffer()->data, "echo", 5);
	CHECK_EQ(ipc_call(ns, &m, TIMEOUT_NEVER), E_OK);
	CHECK(fake_ipc_closed(0x55)); /* a capability sent along is not kept */
}

int main(void)
{
	test_service_names();
	test_init_names();
	test_bad_names();
	test_badge_kinds();
	test_retries_and_failures();
	return check_summary("init_ns");
}
