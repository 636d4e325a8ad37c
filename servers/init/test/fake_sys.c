/* SPDX-License-Identifier: MIT */
/*
 * The fake kernel and fixture of init's host tests (fake_sys.h). Every
 * handle the fake system calls make is a row of one table, numbered from
 * FAKE_BASE (clear of fake_ipc's numbers), so a test can ask what a handle
 * a reply carried is: a mint of which endpoint, with which badge and
 * rights, and whether init closed its copy. What init asks of other parts
 * of itself that do not compile on the host (spawn.c, devices.c) is faked
 * here too: a spawn makes a process handle, a service has no hardware.
 */
#include "fake_sys.h"

#include <stdlib.h>
#include <string.h>

#include "sys/process.h"

#define FAKE_BASE 0x100u
#define FAKE_MAX  1024u

struct fake_sys fake_sys;
static struct fake_object objects[FAKE_MAX];
static uint32_t object_count;
static struct server init_server;
static struct caller {
	uint64_t badge;
	handle_t handle;
} callers[FAKE_IPC_MAX];
static uint32_t caller_count;

const char fixture_bundle[] = "[loader]\nbinary = loader\nserves = loader\ncalls = ns\n"
			      "quota = 4096\n"
			      "[echo]\nbinary = echo\nserves = echo\nquota = 512\n"
			      "heartbeat_ms = 200\n"
			      "[counter]\nbinary = counter\nserves = counter\ncalls = echo svc\n"
			      "recovery = memory\nstate_pages = 1\n"
			      "[lazy]\nbinary = lazy\nserves = lazy\nrestart = on-failure\n"
			      "autostart = no\n";

static long make(struct fake_object o)
{
	if (object_count == FAKE_MAX)
		return E_NOSPACE;
	o.open = true;
	objects[object_count] = o;
	return FAKE_BASE + object_count++;
}

static struct fake_object *find(handle_t h)
{
	if (h < FAKE_BASE || h - FAKE_BASE >= object_count)
		return NULL;
	return &objects[h - FAKE_BASE];
}

const struct fake_object *fake_object(handle_t h)
{
	return find(h);
}

uint32_t fake_open_count(enum fake_kind kind)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < object_count; i++)
		n += objects[i].open && (kind == 0 || objects[i].kind == kind);
	return n;
}

/* --- the system calls init's host-compiled files make --- */

uint64_t sys_clock(void)
{
	return fake_sys.now;
}

long sys_ep_create(void)
{
	return make((struct fake_object){.kind = FAKE_EP});
}

long sys_mobj_create(size_t size, unsigned flags)
{
	(void)size;
	(void)flags;
	return make((struct fake_object){.kind = FAKE_MOBJ});
}

long sys_ep_mint(handle_t ep, uint64_t badge, uint32_t rights)
{
	if (fake_sys.mint_fails) {
		fake_sys.mint_fails--;
		return E_NOSPACE;
	}
	return make((struct fake_object){
		.kind = FAKE_MINT, .of = ep, .badge = badge, .rights = rights});
}

long sys_handle_dup(handle_t h, uint32_t rights)
{
	return make((struct fake_object){.kind = FAKE_DUP, .of = h, .rights = rights});
}

long sys_handle_close(handle_t h)
{
	struct fake_object *o = find(h);

	if (!o || !o->open)
		return E_BADHANDLE;
	o->open = false;
	return E_OK;
}

long sys_process_kill(handle_t process)
{
	struct fake_object *o = find(process);

	if (!o || o->kind != FAKE_PROCESS)
		return E_BADHANDLE;
	o->killed = true;
	return E_OK;
}

long sys_process_set_quota(handle_t process, uint64_t pages)
{
	struct fake_object *o = find(process);

	if (!o || o->kind != FAKE_PROCESS)
		return E_BADHANDLE;
	o->quota = pages;
	return E_OK;
}

long sys_process_supervise(handle_t process, handle_t ep, uint64_t badge)
{
	struct fake_object *o = find(process);

	(void)ep;
	if (!o || o->kind != FAKE_PROCESS)
		return E_BADHANDLE;
	o->supervise_badge = badge;
	return E_OK;
}

/* A process's pid is its handle's number; it uses 5 pages. */
long sys_process_info(handle_t process, struct process_info *out)
{
	const struct fake_object *o = find(process);

	if (!o || o->kind != FAKE_PROCESS)
		return E_BADHANDLE;
	*out = (struct process_info){.pid = process, .state = PROCESS_RUNNING, .pages_used = 5};
	return E_OK;
}

long sys_ntfn_timer(handle_t ntfn, uint64_t deadline, uint64_t bits)
{
	(void)ntfn;
	(void)bits;
	fake_sys.timer = deadline;
	return E_OK;
}

void sys_process_exit(int code)
{
	if (!fake_sys.exit_jump)
		abort();
	longjmp(*fake_sys.exit_jump, code + 1);
}

handle_t start_handle(const char *name, uint32_t *size)
{
	if (size)
		*size = 0;
	return strcmp(name, "ns") == 0 ? fake_sys.start_ns : HANDLE_INVALID;
}

/* --- the parts of init that stay on the target --- */

long spawn_service(struct service *s)
{
	(void)s;
	if (fake_sys.spawn_error)
		return fake_sys.spawn_error;
	fake_sys.spawns++;
	return make((struct fake_object){.kind = FAKE_PROCESS});
}

long devices_grant(struct service *s, uint32_t index, struct svc_grant *g)
{
	(void)s;
	(void)index;
	(void)g;
	return E_NOENT;
}

/* As devices.c: drop a framebuffer object no instance took (none here: no hardware). */
void devices_release(struct service *s)
{
	if (s->framebuffer != HANDLE_INVALID)
		sys_handle_close(s->framebuffer);
	s->framebuffer = HANDLE_INVALID;
}

/* As pci_grant.c: no PCI function here, so nothing to quiesce. */
void pci_quiesce(struct service *s)
{
	(void)s;
}

/* --- the fixture --- */

long fixture_setup(const char *bundle)
{
	static struct manifest manifests[MANIFEST_MAX_SERVICES];
	struct manifest_error err;

	memset(objects, 0, sizeof(objects));
	object_count = 0;
	caller_count = 0;
	fake_sys = (struct fake_sys){.now = 1000 * MS};
	fake_ipc_reset();
	memset(&sup, 0, sizeof(sup));
	sup.ep = (handle_t)sys_ep_create();
	sup.timer = (handle_t)make((struct fake_object){.kind = FAKE_NTFN});
	init_server = sup_server();
	int n = manifest_parse(bundle, strlen(bundle), manifests, MANIFEST_MAX_SERVICES, &err);
	return n < 0 ? E_INVAL : services_fill(manifests, (uint32_t)n);
}

/* One fake endpoint per badge (fake_ipc has room for FAKE_IPC_MAX). */
handle_t fixture_caller(uint64_t badge)
{
	for (uint32_t i = 0; i < caller_count; i++)
		if (callers[i].badge == badge)
			return callers[i].handle;
	handle_t h = fake_ipc_endpoint(&init_server, badge);
	if (caller_count < FAKE_IPC_MAX)
		callers[caller_count++] = (struct caller){badge, h};
	return h;
}

handle_t fixture_ns(void)
{
	return fixture_caller(BADGE(BADGE_NS, 0, BADGE_ANYONE));
}

handle_t fixture_ctl(void)
{
	return fixture_caller(BADGE(BADGE_CONTROL, 0, BADGE_ANYONE));
}

void fixture_event(uint64_t badge, const struct ipc_msg *m)
{
	fake_ipc_event(fixture_caller(badge), m);
}

void fixture_notice(struct service *s, uint16_t label, uint64_t w0)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, 2, 0, 0), .w = {w0, s->pid}};

	fixture_event(BADGE(BADGE_NOTICE, s->generation, s->index), &m);
}

void fixture_timer(uint64_t now)
{
	struct ipc_msg m = {.tag = IPC_TAG(IPC_LABEL_NOTIFY, 0, 0, 0)};

	fake_sys.now = now;
	fixture_event(TIMER_BIT, &m);
}

long fixture_boot(struct service *s)
{
	handle_t boot = fixture_caller(BADGE(BADGE_BOOT, s->generation, s->index));
	long err;

	for (uint32_t i = 0;; i++) {
		struct ipc_msg m = {.tag = IPC_TAG(SVC_BOOT, 1, 0, 0), .w = {i}};
		err = ipc_call(boot, &m, TIMEOUT_NEVER);
		if (err == E_OK)
			err = (int16_t)IPC_TAG_LABEL(m.tag);
		if (err < 0)
			break;
	}
	return err == E_NOENT ? E_OK : err;
}

long fixture_start(void)
{
	long err = E_OK;

	life_start_all();
	for (uint32_t i = 0; i < sup.count && err == E_OK; i++)
		if (sup.services[i].state == SVC_STARTING)
			err = fixture_boot(&sup.services[i]);
	return err;
}
