/* SPDX-License-Identifier: MIT */
/*
 * Reading the `services` boot module: the manifests (manifest/manifest.h)
 * from which services.c makes the service table. Without a readable module
 * init starts the loader alone, so `run=` still works.
 */
#include <string.h>

#include "init.h"
#include "sys/stdio.h"

#define BUNDLE_VA 0x00006c0000000000ull /* where the services module is read */
#define PAGE	  4096u

static struct manifest manifests[MANIFEST_MAX_SERVICES];

/* Used when the services module is missing or malformed: run= programs still work. */
static const char fallback_bundle[] = "[loader]\nbinary = loader\npriority = 20\n"
				      "serves = loader\nquota = 4096\nheartbeat_ms = 1000\n";

static int parse_fallback(void)
{
	struct manifest_error err;

	printf("init: starting the loader alone\n");
	return manifest_parse(fallback_bundle, sizeof(fallback_bundle) - 1, manifests,
			      MANIFEST_MAX_SERVICES, &err);
}

static int read_bundle(void)
{
	uint32_t size = 0;
	handle_t mod = start_handle("services", &size);
	struct manifest_error err;

	if (mod == HANDLE_INVALID || size == 0) {
		printf("init: no services module\n");
		return parse_fallback();
	}
	uint64_t bytes = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	long mapped = sys_mobj_map(HANDLE_SELF, mod, BUNDLE_VA, 0, bytes, R_READ);
	if (mapped < 0) {
		printf("init: cannot map the services module: %s\n", sys_error_name(mapped));
		return parse_fallback();
	}
	int n = manifest_parse((const char *)BUNDLE_VA, size, manifests, MANIFEST_MAX_SERVICES,
			       &err);
	sys_unmap(HANDLE_SELF, BUNDLE_VA, bytes);
	if (n < 0) {
		printf("init: services:%u: %s\n", err.line, err.text);
		return parse_fallback();
	}
	return n;
}

long services_load(void)
{
	int n = read_bundle();

	return services_fill(manifests, n > 0 ? (uint32_t)n : 0);
}
