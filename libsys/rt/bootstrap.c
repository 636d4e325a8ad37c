/* SPDX-License-Identifier: MIT */
/*
 * Start-up of a supervised service (sys/start.h): fetch the handles the
 * supervisor gives this instance, one SVC_BOOT call each, into a table of
 * named handles that start_handle searches after the start_info. A service
 * so needs no code of its own to receive its endpoints, its send-only
 * copies, "ns", its "state" memory object and its hardware handles; the
 * geometry that comes with "framebuffer", "ecam" and "pci.config" goes
 * into its start_info (fb, pci, pci_fn), as if it had been started with
 * them directly. More handles than START_MAX_HANDLES is an error
 * (E_NOSPACE): the service does not start with some of them missing.
 */
#include <string.h>

#include "proto/svc.h"
#include "sys/start.h"
#include "sys/sys.h"

static struct start_handle boot_handles[START_MAX_HANDLES];
static uint32_t boot_count;

/* The geometry a handle carries (proto/svc.h, SVC_BOOT) into the start_info. */
static void take_geometry(const struct start_handle *sh, const struct ipc_msg *m,
			  struct start_info *si)
{
	if (strcmp(sh->name, "framebuffer") == 0 && IPC_TAG_WORDS(m->tag) >= 4)
		memcpy(&si->fb, &m->w[1], sizeof(si->fb));
	else if (strcmp(sh->name, "ecam") == 0 && IPC_TAG_WORDS(m->tag) >= 3)
		memcpy(&si->pci, &m->w[1], sizeof(si->pci));
	else if (strcmp(sh->name, "pci.config") == 0 && IPC_TAG_WORDS(m->tag) >= 4)
		memcpy(&si->pci_fn, &m->w[1], sizeof(si->pci_fn));
}

static long fetch_one(handle_t boot, uint32_t index, struct start_info *si)
{
	struct ipc_msg m = {.tag = IPC_TAG(SVC_BOOT, 1, 0, 0), .w = {index}};
	long err = ipc_call(boot, &m, TIMEOUT_NEVER);

	if (err < 0)
		return err;
	int16_t status = (int16_t)IPC_TAG_LABEL(m.tag);
	if (status < 0)
		return status;
	if (!IPC_TAG_CAP(m.tag))
		return E_INVAL;
	if (boot_count == START_MAX_HANDLES) { /* more than fit: never start without some */
		sys_handle_close(m.cap);
		return E_NOSPACE;
	}
	struct start_handle *sh = &boot_handles[boot_count++];
	size_t n = IPC_TAG_BYTES(m.tag);
	if (n >= sizeof(sh->name))
		n = sizeof(sh->name) - 1;
	memcpy(sh->name, ipc_buffer()->data, n);
	sh->name[n] = '\0';
	sh->handle = m.cap;
	sh->size = (uint32_t)m.w[0];
	take_geometry(sh, &m, si);
	return E_OK;
}

long svc_bootstrap(handle_t boot, struct start_info *si)
{
	long err = E_OK;

	while ((err = fetch_one(boot, boot_count, si)) == E_OK)
		;
	return err == E_NOENT ? E_OK : err;
}

handle_t bootstrap_handle(const char *name, uint32_t *size)
{
	for (uint32_t i = 0; i < boot_count; i++) {
		if (strcmp(boot_handles[i].name, name) == 0) {
			if (size)
				*size = boot_handles[i].size;
			return boot_handles[i].handle;
		}
	}
	return HANDLE_INVALID;
}

const struct start_handle *bootstrap_handles(uint32_t *count)
{
	*count = boot_count;
	return boot_handles;
}
