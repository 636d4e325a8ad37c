/* SPDX-License-Identifier: MIT */
/*
 * The mount table of a real program (sys/vfs.h): every endpoint fs0 .. fs7
 * that the name service knows and that answers FS_STATFS is connected (a
 * buffer of VFS_BUFFER bytes mapped at VFS_BUFFER_VA + i * VFS_BUFFER) and
 * mounted: fs0 at "/" (even before it answers: its calls then wait or fail
 * on their own), the others at "/mnt/<label in lower case>", or
 * "/mnt/fs<N>" without a label or when the name is taken.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/ns.h"
#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "vfs_impl.h"

#define VFS_BUFFER_VA	0x0000640000000000ull /* the mounts' buffers, one after another */
#define VFS_ASK_TIMEOUT (500 * MS)	      /* of the FS_STATFS that asks a volume its label */

static bool known(const char *endpoint)
{
	for (int i = 0; i < vfs_state.count; i++)
		if (!strcmp(vfs_state.mounts[i].endpoint, endpoint))
			return true;
	return false;
}

/* A client of endpoint ep with its own buffer (slot: where it is mapped). */
static struct fs_client *connect(handle_t ep, int slot)
{
	uint64_t va = VFS_BUFFER_VA + (uint64_t)slot * VFS_BUFFER;
	struct fs_client *c = calloc(1, sizeof(*c));
	long m = c ? sys_mobj_create(VFS_BUFFER, 0) : E_NOMEM;
	long err =
		m < 0 ? m
		      : sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, VFS_BUFFER, R_READ | R_WRITE);
	if (err < 0) {
		if (m >= 0)
			sys_handle_close((handle_t)m);
		free(c);
		return NULL;
	}
	c->ep = ep, c->buffer = (handle_t)m, c->data = (uint8_t *)va;
	vfs_client_limits(c);
	return c;
}

static void disconnect(struct fs_client *c, int slot)
{
	sys_unmap(HANDLE_SELF, VFS_BUFFER_VA + (uint64_t)slot * VFS_BUFFER, VFS_BUFFER);
	sys_handle_close(c->buffer);
	sys_handle_close(c->ep);
	free(c);
}

/* "/mnt/<label in lower case>" ('/' and spaces as '_'), or "/mnt/fsN". */
static void mount_point(const char *endpoint, const char *label, char at[VFS_AT_MAX])
{
	size_t n = strlen(label);

	while (n > 0 && label[n - 1] == ' ')
		n--;
	if (n == 0 || !strncmp(label, "NO NAME", n)) {
		snprintf(at, VFS_AT_MAX, "%s/%s", VFS_MOUNT_DIR, endpoint);
		return;
	}
	size_t len = (size_t)snprintf(at, VFS_AT_MAX, "%s/", VFS_MOUNT_DIR);
	for (size_t i = 0; i < n && len + 1 < VFS_AT_MAX; i++) {
		char ch = label[i];
		at[len++] = ch >= 'A' && ch <= 'Z'     ? (char)(ch + 32)
			    : (ch == '/' || ch == ' ') ? '_'
						       : ch;
	}
	at[len] = '\0';
}

/* Ask the volume behind c its label and mount it; false if it does not answer. */
static bool mount_one(struct fs_client *c, const char *endpoint, int n)
{
	struct fs_statfs sf;
	char label[12] = "", at[VFS_AT_MAX];

	c->timeout = VFS_ASK_TIMEOUT;
	c->attempts = 1;
	long err = fs_statfs(c, &sf, label);
	vfs_client_limits(c);
	if (n == 0)
		return vfs_mount_add("/", c, endpoint, err == E_OK ? label : "") == E_OK;
	if (err != E_OK)
		return false;
	mount_point(endpoint, label, at);
	if (vfs_mount_add(at, c, endpoint, label) == E_OK)
		return true;
	snprintf(at, sizeof(at), "%s/%s", VFS_MOUNT_DIR, endpoint);
	return vfs_mount_add(at, c, endpoint, label) == E_OK;
}

long vfs_discover(int upto)
{
	char endpoint[8];

	for (int n = 0; n < upto && n < VFS_MOUNTS && vfs_state.count < VFS_MOUNTS; n++) {
		snprintf(endpoint, sizeof(endpoint), "%s%d", FS_NAME_PREFIX, n);
		if (known(endpoint) || (n > 0 && !known("fs0")))
			continue;
		long ep = ns_lookup_self(endpoint);
		if (ep < 0)
			continue;
		int slot = vfs_state.count;
		struct fs_client *c = connect((handle_t)ep, slot);
		if (!c) {
			sys_handle_close((handle_t)ep);
			continue;
		}
		if (!mount_one(c, endpoint, n))
			disconnect(c, slot);
	}
	return vfs_state.count ? E_OK : E_NOENT;
}
