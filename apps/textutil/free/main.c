/* SPDX-License-Identifier: MIT */
/* free: physical memory, total, used and free in KiB (the kernel's frame counts, SYS_KINFO). */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/syscall.h"

int main(void)
{
	struct kinfo k;
	long err = sys_kinfo(&k);

	if (err != E_OK)
		return dprintf(2, "free: %s\n", sys_error_name(err)), 1;
	printf("%10s %10s %10s\n", "total", "used", "free");
	printf("%10lu %10lu %10lu KiB\n", (unsigned long)k.frames_total * 4,
	       (unsigned long)(k.frames_total - k.frames_free) * 4,
	       (unsigned long)k.frames_free * 4);
	return 0;
}
