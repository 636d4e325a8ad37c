/* SPDX-License-Identifier: MIT */
/*
 * The self-test runner: walks the .ktests section, runs what `ktest=` names,
 * prints one line per test and a summary, and exits QEMU with the verdict.
 * A run where a selected test did not report counts as a failure.
 */
#include "kernel/ktest.h"

#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

extern const struct ktest *const __ktests_start[], *const __ktests_end[];

void ktest_fail(struct ktest_ctx *t, const char *expr, const char *file, int line)
{
	if (t->failure)
		return;
	t->failure = expr;
	ksnprintf(t->detail, sizeof(t->detail), "%s:%d", file, line);
}

void ktest_run_selected(void)
{
	unsigned passed = 0, failed = 0, registered = 0, selected = 0;

	if (!cmdline_get("ktest", NULL, 0))
		return;
	for (const struct ktest *const *p = __ktests_start; p < __ktests_end; p++) {
		const struct ktest *k = *p;
		registered++;
		if (!cmdline_list_has("ktest", k->name))
			continue;
		selected++;
		struct ktest_ctx ctx = {0};
		k->fn(&ctx);
		if (ctx.failure) {
			failed++;
			kprintf("KTEST %s FAIL: %s (%s)\n", k->name, ctx.failure, ctx.detail);
		} else {
			passed++;
			kprintf("KTEST %s PASS\n", k->name);
		}
	}
	kprintf("KTEST SUMMARY %u passed, %u failed, %u registered\n", passed, failed, registered);
	bool ok = failed == 0 && selected > 0 && passed == selected;
	kernel_exit(ok ? KEXIT_SUCCESS : KEXIT_FAILURE);
}
