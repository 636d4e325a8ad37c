/* SPDX-License-Identifier: MIT */
/*
 * In-kernel self-tests. KTEST(name, "description") defines a test that the
 * linker collects into .ktests; `ktest=all` or `ktest=a,b` on the command line
 * runs them after boot. Each prints one line, `KTEST <name> PASS` or
 * `KTEST <name> FAIL: <why>`, and the run ends with
 * `KTEST SUMMARY <p> passed, <f> failed, <n> registered` and the QEMU exit code.
 */
#pragma once

#include "kernel/types.h"

struct ktest_ctx {
	const char *failure; /* first failed check, NULL while passing */
	char detail[96];
};

struct ktest {
	const char *name;
	const char *description;
	void (*fn)(struct ktest_ctx *t);
};

/*
 * The section holds pointers, not the structs: the compiler may over-align
 * larger objects, and the runner walks the section as an array.
 */
#define KTEST(name_, desc_)                                                                        \
	static void ktest_fn_##name_(struct ktest_ctx *t);                                         \
	static const struct ktest ktest_##name_ = {#name_, desc_, ktest_fn_##name_};               \
	__attribute__((section(".ktests"),                                                         \
		       used)) static const struct ktest *const ktest_ptr_##name_ = &ktest_##name_; \
	static void ktest_fn_##name_(struct ktest_ctx *t)

void ktest_fail(struct ktest_ctx *t, const char *expr, const char *file, int line);

/* Check a condition; on failure record it and return from the test. */
#define KT_ASSERT(cond)                                                                            \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			ktest_fail(t, #cond, __FILE__, __LINE__);                                  \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* Run the tests the command line selects and exit QEMU; returns if none selected. */
void ktest_run_selected(void);
/* Deliberate faults selected with `kcrash=<kind>`, for the fault-dump tests. */
void ktest_crash_selected(void);
