/* SPDX-License-Identifier: MIT */
/*
 * fbhold: a test server that holds the framebuffer (manifest devmem =
 * framebuffer) for as long as it runs, mapped, with nothing else to do
 * but answer its supervisor (server_run: heartbeat, fault injection). Two
 * services run this binary, fbhold and fbhold2, so stest's framebuffer
 * group can check that the framebuffer has one holder at a time: the
 * second is refused while the first runs and gets it once the first has
 * gone. Its endpoint is its first start handle, whatever its name.
 * Recovery: stateless.
 */
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define FB_VA 0x0000240000000000ull

int main(void)
{
	uint32_t count, size = 0;
	const struct start_handle *h = bootstrap_handles(&count);
	handle_t fb = start_handle("framebuffer", &size);

	if (count == 0 || fb == HANDLE_INVALID) {
		printf("fbhold: %s\n", count ? "no framebuffer given" : "no endpoint given");
		return 1;
	}
	long err = sys_mobj_map(HANDLE_SELF, fb, FB_VA, 0, size, R_READ | R_WRITE);
	if (err < 0) {
		printf("fbhold: cannot map the framebuffer: %s\n", sys_error_name(err));
		return 1;
	}
	struct server s = {.endpoint = h[0].handle};
	return (int)server_run(&s);
}
