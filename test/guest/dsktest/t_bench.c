/* SPDX-License-Identifier: MIT */
/*
 * The bench suite: the compositor's own composition code (compose.c,
 * window.c, pointer.c, linked here) on a desktop built in this process's
 * memory, 1024x768 with five overlapping windows, and the gui library's
 * text, each timed in rdtsc ticks (guest instructions under -icount) as the
 * median of DB_RUNS; `BENCH <name> <ticks> ticks n=<runs>` lines for
 * `./run bench`. The framebuffer is plain memory here: the instructions are
 * the same as for device memory. Cases:
 *   desk_compose_full  every pixel composed and copied to the framebuffer
 *   desk_cursor_move   the cursor moved 20 px: the 16x16 it left and entered
 *                      (and DESKBENCH cursor_fb_bytes: what reached the
 *                      framebuffer)
 *   desk_drag_frame    one frame of dragging a 400x300 window by 10 px
 *   desk_resize_frame  one frame of a resize's outline (resize.c) following
 *                      the cursor 10 px over the windows
 *   desk_text_80       an 80-character line drawn by gui_text
 */
#include <string.h>

#include "../../../servers/compositor/comp.h"
#include "dsktest.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define DB_RUNS	   9
#define DB_W	   1024
#define DB_H	   768
#define DB_WINDOWS 5
#define DB_VA	   0x0000520000000000ull /* the fake framebuffer, back buffer, surfaces */

static struct comp dc;
static struct comp_state dstate;
static uintptr_t next_va = DB_VA;

static void *carve(uint64_t bytes)
{
	bytes = (bytes + 4095) & ~4095ull;
	long m = sys_mobj_create(bytes, 0);
	if (m < 0 ||
	    sys_mobj_map(HANDLE_SELF, (handle_t)m, next_va, 0, bytes, R_READ | R_WRITE) < 0)
		return NULL;
	sys_handle_close((handle_t)m);
	void *p = (void *)next_va;
	next_va += bytes + (1ull << 20);
	return p;
}

static long fake_surface(void *ctx, handle_t h, uint32_t slot, uint64_t need, void **va)
{
	(void)ctx, (void)h, (void)slot;
	*va = carve(need);
	return *va ? E_OK : E_NOMEM;
}

static long fake_image(void *ctx, uint32_t slot, uint64_t bytes, void **va)
{
	return fake_surface(ctx, HANDLE_INVALID, slot, bytes, va);
}

static void fake_unmap(void *ctx, uint32_t slot, uint64_t s, uint64_t i)
{
	(void)ctx, (void)slot, (void)s, (void)i;
}

static long fake_ntfn(void *ctx, handle_t *keep, handle_t *give)
{
	(void)ctx;
	*keep = *give = HANDLE_INVALID;
	return E_OK;
}

static void fake_signal(void *ctx, handle_t h)
{
	(void)ctx, (void)h;
}

static long fake_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge, (void)on;
	return E_OK;
}

static uint64_t fake_clock(void *ctx)
{
	(void)ctx;
	return sys_clock();
}

static void fake_restored(void *ctx, const struct window *w, uint64_t ns)
{
	(void)ctx, (void)w, (void)ns;
}

static const struct comp_sys fake_sys = {fake_surface,	fake_image,  fake_unmap, fake_ntfn,
					 fake_signal,	fake_signal, fake_watch, fake_clock,
					 fake_restored, NULL};

/* Five 400x300 windows, each 80 px right and 60 px down of the last, each committed. */
static bool build(void)
{
	dc = (struct comp){.width = DB_W, .height = DB_H, .fb_stride = DB_W, .sys = &fake_sys};
	dc.fb = carve(DB_W * DB_H * 4);
	dc.back = carve(DB_W * DB_H * 4);
	dc.state = &dstate;
	comp_state_open(&dc);
	if (!dc.fb || !dc.back)
		return false;
	for (int i = 0; i < DB_WINDOWS; i++) {
		struct display_create_request rq = {400,	 300,	      100 + 80 * i,
						    60 + 60 * i, (uint64_t)i, 1};
		struct display_create_reply rp;
		handle_t give;
		if (comp_create(&dc, 7 + (uint64_t)i, HANDLE_INVALID, &rq, "bench window", &rp,
				&give) < 0)
			return false;
		struct window *w = comp_find(&dc, rp.id);
		gui_set_pixels((uint32_t *)w->pixels, 0x203040u * (uint32_t)(i + 1), 400 * 300);
		comp_commit(&dc, w, (struct gui_rect){0, 0, 400, 300});
	}
	comp_set_clock(&dc, 0);
	comp_flush(&dc);
	return true;
}

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
			uint64_t t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	return v[n / 2];
}

static void report(const char *name, uint64_t *v)
{
	printf("BENCH %s %lu ticks n=%d\n", name, (unsigned long)median(v, DB_RUNS), DB_RUNS);
}

static void bench_compose(uint64_t *tk)
{
	for (int i = 0; i < DB_RUNS; i++) {
		uint64_t t0 = sys_rdtsc();
		comp_damage(&dc, (struct gui_rect){0, 0, DB_W, DB_H});
		comp_flush(&dc);
		tk[i] = sys_rdtsc() - t0;
	}
	report("desk_compose_full", tk);
}

/* The framebuffer bytes of the last move. */
static uint64_t bench_cursor(uint64_t *tk)
{
	uint64_t bytes = 0;

	for (int i = 0; i < DB_RUNS; i++) {
		int32_t x = 40 + (i & 1) * 20;
		uint64_t b0 = dc.fb_bytes, t0 = sys_rdtsc();
		comp_pointer(&dc, x, 700, 0);
		comp_flush(&dc);
		tk[i] = sys_rdtsc() - t0;
		bytes = dc.fb_bytes - b0;
	}
	report("desk_cursor_move", tk);
	printf("DESKBENCH cursor_fb_bytes %lu\n", (unsigned long)bytes);
	return bytes;
}

static void bench_drag(uint64_t *tk)
{
	struct window *top = dc.stack[dc.count - 1];

	for (int i = 0; i < DB_RUNS; i++) {
		uint64_t t0 = sys_rdtsc();
		comp_move(&dc, top, top->x + ((i & 1) ? -10 : 10), top->y);
		comp_flush(&dc);
		tk[i] = sys_rdtsc() - t0;
	}
	report("desk_drag_frame", tk);
}

/* The top window's corner pressed, the outline moved 10 px back and forth, then let go. */
static void bench_resize(uint64_t *tk)
{
	struct window *top = dc.stack[dc.count - 1];
	int32_t gx = top->x + top->w - 2, gy = top->y + TITLE_H + top->h - 2;

	comp_pointer(&dc, gx, gy, DISPLAY_BUTTON_LEFT);
	comp_flush(&dc);
	for (int i = 0; i < DB_RUNS; i++) {
		uint64_t t0 = sys_rdtsc();
		comp_pointer(&dc, gx + ((i & 1) ? -10 : 10), gy + 10, DISPLAY_BUTTON_LEFT);
		comp_flush(&dc);
		tk[i] = sys_rdtsc() - t0;
	}
	comp_pointer(&dc, gx, gy, 0); /* the release asks the (fake) owner; nothing changes */
	comp_flush(&dc);
	report("desk_resize_frame", tk);
}

static void bench_text(uint64_t *tk, const char *line)
{
	struct gui_canvas cv;

	gui_canvas_init(&cv, dc.back, DB_W, DB_H, DB_W);
	for (int i = 0; i < DB_RUNS; i++) {
		uint64_t t0 = sys_rdtsc();
		gui_text(&cv, 10, 100, line, 0xFFFFFF, 1);
		tk[i] = sys_rdtsc() - t0;
	}
	report("desk_text_80", tk);
}

TEST(bench, compositor, "composition, cursor, drag and resize frames, text, in instructions")
{
	uint64_t tk[DB_RUNS];
	const char *line =
		"The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTUVWX";

	T_ASSERT(build());
	T_EQ(strlen(line), 80);
	T_RETURN_IF_FAILED();
	bench_compose(tk);
	T_EQ(bench_cursor(tk), 2 * CURSOR_W * CURSOR_H * 4); /* what it left and entered, no more */
	bench_drag(tk);
	bench_resize(tk);
	T_ASSERT(dc.sizing == NULL && dc.stack[dc.count - 1]->w == 400);
	bench_text(tk, line);
}
