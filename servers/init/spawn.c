/* SPDX-License-Identifier: MIT */
/*
 * Starting one instance of a service. The loader is started by init itself
 * from its boot module with spawn_elf (it cannot start itself), its handles
 * and every boot module (but none of init's other start handles, such as
 * the hardware resources) given directly. Every other service is started
 * through the loader with one handle, "bootstrap", through which the new
 * instance fetches its handles from init before its main runs
 * (libsys/rt/bootstrap.c). The loader is asked with a timeout, so a loader
 * that is itself down or hung cannot hold the supervisor.
 */
#include <string.h>

#include "init.h"
#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"

struct handle_list {
	struct spawn_handle hs[START_MAX_HANDLES];
	char names[START_MAX_HANDLES][START_NAME_MAX];
	uint32_t count, made; /* the first `made` are ours to close */
};

static bool listed(const struct handle_list *l, const char *name)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (strcmp(l->hs[i].name, name) == 0)
			return true;
	return false;
}

/*
 * A boot module (a memory object) rather than another start handle of
 * init's: the framebuffer is a memory object too, but only for services
 * whose manifests list it.
 */
static bool is_module(const struct start_handle *sh)
{
	struct handle_info info;

	return sys_handle_info(sh->handle, &info) == E_OK && info.type == KOBJ_MOBJ &&
	       strcmp(sh->name, "framebuffer") != 0;
}

/* One more entry, or E_NOSPACE with a line: the loader never starts with handles missing. */
static long room_for_one(const struct service *s, const struct handle_list *l)
{
	if (l->count < START_MAX_HANDLES)
		return E_OK;
	printf("svc: %s: its handles and the boot modules are more than a start_info holds (%u)\n",
	       s->m.name, START_MAX_HANDLES);
	return E_NOSPACE;
}

/* The service's own start handles. */
static long list_own(struct service *s, struct handle_list *l)
{
	for (uint32_t i = 0;; i++) {
		struct svc_grant g;
		long err = service_handle(s, i, &g);
		if (err == E_NOENT)
			return E_OK;
		if (err < 0)
			return err;
		if (room_for_one(s, l) < 0) {
			sys_handle_close(g.handle);
			return E_NOSPACE;
		}
		memcpy(l->names[l->count], g.name, sizeof(g.name));
		l->hs[l->count] =
			(struct spawn_handle){l->names[l->count], g.handle, R_ALL, g.size};
		l->made = ++l->count;
	}
}

/* The service's own start handles, then every boot module not shadowed by one. */
static long build_list(struct service *s, struct handle_list *l)
{
	const struct start_info *si = start_info();
	long err = list_own(s, l);

	for (uint32_t i = 0; err >= 0 && si && i < si->handle_count; i++) {
		const struct start_handle *sh = &si->handles[i];
		if (!is_module(sh) || listed(l, sh->name))
			continue;
		err = room_for_one(s, l);
		if (err >= 0)
			l->hs[l->count++] = (struct spawn_handle){
				sh->name, sh->handle, R_READ | R_DUP | R_TRANSFER, sh->size};
	}
	return err;
}

static long spawn_loader(struct service *s)
{
	static struct handle_list l; /* only the supervisor thread starts services */
	uint32_t size = 0;
	handle_t image = start_handle(s->m.binary, &size);
	int elf_err = 0;

	if (image == HANDLE_INVALID)
		return E_NOENT;
	memset(&l, 0, sizeof(l));
	long p = build_list(s, &l);
	if (p >= 0) {
		struct spawn_args a = {s->m.name,    0, NULL, l.count, l.hs, s->m.priority,
				       s->m.priority};
		p = spawn_module(image, size, &a, &elf_err);
	}
	for (uint32_t i = 0; i < l.made; i++)
		sys_handle_close(l.hs[i].handle);
	if (p == E_INVAL && elf_err)
		printf("svc: %s: bad image (elf error %d)\n", s->m.name, elf_err);
	return p;
}

static long spawn_through_loader(struct service *s)
{
	handle_t ep = service_endpoint("loader");
	int elf_err = 0;

	if (sup.loader->state != SVC_RUNNING)
		return E_WOULDBLOCK; /* not there to ask: try again later */
	long boot = sys_ep_mint(sup.ep, BADGE(BADGE_BOOT, s->generation, s->index),
				R_SEND | R_TRANSFER);
	if (boot < 0)
		return boot;
	struct loader_spawn_args a = {
		s->m.binary,	    0, NULL, s->m.priority, (handle_t)boot, LOADER_F_BOOTSTRAP,
		INIT_LOADER_TIMEOUT};
	long p = loader_spawn_ex(ep, &a, &elf_err);
	sys_handle_close((handle_t)boot);
	if (p == E_TIMEOUT || p == E_RESTARTED || p == E_CLOSED)
		return E_WOULDBLOCK;
	if (p == E_INVAL && elf_err)
		printf("svc: %s: bad image (elf error %d)\n", s->m.name, elf_err);
	return p;
}

long spawn_service(struct service *s)
{
	long err = devices_prepare(s);

	if (err < 0)
		return err;
	long p = s->is_loader ? spawn_loader(s) : spawn_through_loader(s);
	if (p < 0)
		devices_release(s);
	return p;
}
