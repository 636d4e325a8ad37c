/* SPDX-License-Identifier: MIT */
/*
 * termbench: figures of the GUI terminal (servers/terminal) in TSC ticks,
 * which under QEMU -icount shift=0,sleep=off are guest instructions
 * (halted time taken out: SYS_KINFO idle_tsc), and in guest time. It
 * drives terminal 1 through the term protocol: TERM_INPUT types, as a
 * user would, and TERM_TEXT reads the screen, polled every POLL_NS.
 *   term_cat_per_kib  `cat FILE` (argv[0], a file of 1 MiB whose last line
 *                     is LAST_LINE) typed into terminal 1 until that line
 *                     and the prompt after it are on the screen, per KiB
 *   term_restart      `svc fi terminal crash` until the new instance
 *                     (another pid) shows sh's prompt on an empty screen
 *   term_restart_ns   the same in nanoseconds of guest time
 * printed as BENCH lines like ipcbench's. Then it says "termbench: type
 * N keys" and waits until terminal 1's prompt line has N characters
 * typed after it: test_bench.py types them through QMP (the USB keyboard)
 * and reads the compositor's echo probes (proto/display.h).
 * Run: run=termbench:/FILE with the default disk, under -icount.
 */
#include <string.h>

#include "proto/ns.h"
#include "proto/svc.h"
#include "proto/term.h"
#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/syscall.h"
#include "sys/units.h"

#define POLL_NS	   (200 * NS_PER_US)
/* Guest time for any one step. Under -icount sleep=off each poll's sleep jumps to the next
 * 10 ms tick, so guest time runs far ahead of the host's: while a loaded host took its time
 * between two QMP keys, 300 s went by in about 10 s (a CI run, session 22). The harness's own
 * wall-clock timeout bounds a real hang. */
#define WAIT_NS	   (3600ull * 1000 * MS)
#define LAST_LINE  "termbench: end of file"
#define PROMPT	   "sh$"
#define ECHO_KEYS  16
#define SCREEN_MAX 8192
#define FILE_KIB   1024

#define ROWS_MAX 64
#define ROW_MAX	 512 /* a row of 80 cells as UTF-8 */

static char screen[SCREEN_MAX];
static char rows[ROWS_MAX][ROW_MAX];
static int nrows;

/* Executed instructions so far (TSC less the idle loop's). */
static uint64_t now(void)
{
	struct kinfo k;

	sys_kinfo(&k);
	return sys_rdtsc() - k.idle_tsc;
}

/* Terminal 1's view into rows[], nrows of them; E_OK or the call's error. */
static long read_screen(handle_t ep)
{
	uint64_t first = 0, got;

	nrows = 0;
	while (first < ROWS_MAX) {
		long err = term_text(ep, first, screen, sizeof(screen), &got);
		if (err == E_RANGE)
			break;
		if (err < 0)
			return err;
		for (char *p = screen, *nl; (nl = strchr(p, '\n')) && nrows < ROWS_MAX;
		     p = nl + 1) {
			size_t n = (size_t)(nl - p) < ROW_MAX - 1 ? (size_t)(nl - p) : ROW_MAX - 1;
			memcpy(rows[nrows], p, n);
			rows[nrows++][n] = 0;
		}
		first += got;
	}
	return E_OK;
}

/* A row equal to `line` with the bare prompt on a later row. */
static bool line_then_prompt(const char *line)
{
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i], line) == 0)
			for (int j = i + 1; j < nrows; j++)
				if (strcmp(rows[j], PROMPT) == 0)
					return true;
	return false;
}

/* Poll until done() holds; E_TIMEOUT after WAIT_NS of guest time. */
static long wait_until(handle_t ep, bool (*done)(void))
{
	uint64_t deadline = sys_clock() + WAIT_NS;

	for (;;) {
		if (read_screen(ep) == E_OK && done())
			return E_OK;
		if (sys_clock() > deadline)
			return E_TIMEOUT;
		sys_sleep(POLL_NS);
	}
}

static bool file_shown(void)
{
	return line_then_prompt(LAST_LINE);
}

static bool fresh_prompt(void)
{
	return nrows >= 1 && strcmp(rows[0], PROMPT) == 0 && (nrows == 1 || rows[1][0] == 0);
}

static bool keys_typed(void)
{
	for (int i = 0; i < nrows; i++)
		if (strncmp(rows[i], PROMPT " ", 4) == 0 && strlen(rows[i]) >= 4 + ECHO_KEYS)
			return true;
	return false;
}

static long bench_cat(handle_t term, const char *path)
{
	char line[TERM_INPUT_MAX];
	int n = snprintf(line, sizeof(line), "cat %s\r", path);

	if (n < 0 || n >= (int)sizeof(line))
		return E_INVAL;
	if (wait_until(term, fresh_prompt) < 0)
		return E_TIMEOUT;
	uint64_t t0 = now();
	long err = term_input(term, line, (size_t)n);
	if (err == E_OK)
		err = wait_until(term, file_shown);
	if (err == E_OK)
		printf("BENCH term_cat_per_kib %lu ticks n=%d\n",
		       (unsigned long)((now() - t0) / FILE_KIB), FILE_KIB);
	return err;
}

static uint64_t terminal_pid(handle_t svc)
{
	struct svc_entry e;

	return svc_status(svc, "terminal", &e) == E_OK ? e.pid : 0;
}

static long bench_restart(handle_t term, handle_t svc)
{
	uint64_t old = terminal_pid(svc), t0 = now(), c0 = sys_clock();
	long err = svc_fault(svc, "terminal", SVC_FAULT_CRASH, SVC_CRASH_NULL_WRITE, 0);

	if (err < 0)
		return err;
	for (uint64_t pid = old; pid == old || pid == 0; pid = terminal_pid(svc)) {
		if (sys_clock() - c0 > WAIT_NS)
			return E_TIMEOUT;
		sys_sleep(POLL_NS);
	}
	err = wait_until(term, fresh_prompt);
	if (err == E_OK) {
		printf("BENCH term_restart %lu ticks n=1\n", (unsigned long)(now() - t0));
		printf("BENCH term_restart_ns %lu ticks n=1\n", (unsigned long)(sys_clock() - c0));
	}
	return err;
}

int main(int argc, char **argv)
{
	long term = ns_lookup_self("term1"), svc = ns_lookup_self("svc");
	long err = term < 0 ? term : svc < 0 ? svc : E_OK;

	if (err == E_OK && argc != 1)
		err = E_INVAL;
	if (err == E_OK)
		err = bench_cat((handle_t)term, argv[0]);
	if (err == E_OK)
		err = bench_restart((handle_t)term, (handle_t)svc);
	if (err == E_OK) {
		printf("termbench: type %d keys\n", ECHO_KEYS);
		err = wait_until((handle_t)term, keys_typed);
	}
	printf("termbench: %s\n", err == E_OK ? "done" : sys_error_name(err));
	return err == E_OK ? 0 : 1;
}
