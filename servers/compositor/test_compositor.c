/* SPDX-License-Identifier: MIT */
/*
 * Host test of the display protocol and the compositor: the client stubs
 * (proto/display.h) call through the fake transport (fake_ipc.h) into
 * server_dispatch, the decode of server.c and the compositor's real ops,
 * window table, pointer handling and composition, on a 480x240 framebuffer
 * in memory with surfaces the test owns. Checked pixel for pixel: a
 * committed window at its place with its title bar, a covered window
 * clipped (and only its visible pixels copied to the screen), a move; the
 * event rings (keys only to the focus, the pointer in window coordinates);
 * hostile requests; a client gone; and a restart (a new instance over the
 * same state) putting a window back by its badge and key; minimising by
 * the title bar's button and the top bar's, kept across a restart; a
 * resize by the corner's drag and DISPLAY_RESIZE, with hostile answers.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comp.h"
#include "fake_ipc.h"
#include "ops.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define SW 480
#define SH 240

static uint32_t fb[SW * SH], back[SW * SH];
static struct comp_state state;
static struct comp comp;
static struct display_server ds = {&comp_display_ops, &comp};
static struct server srv;

/* The test's memory objects: a handle's size and its memory. */
static struct object {
	handle_t h;
	uint64_t size;
	void *mem;
} objects[32];

static handle_t object(uint64_t size)
{
	for (int i = 0; i < 32; i++) {
		if (!objects[i].mem) {
			objects[i] = (struct object){fake_ipc_handle(), size, calloc(1, size)};
			return objects[i].h;
		}
	}
	return HANDLE_INVALID;
}

static struct object *find_object(handle_t h)
{
	for (int i = 0; i < 32; i++)
		if (objects[i].mem && objects[i].h == h)
			return &objects[i];
	return NULL;
}

static long map_surface(void *ctx, handle_t h, uint32_t slot, uint64_t need, void **va)
{
	struct object *o = find_object(h);

	(void)ctx, (void)slot;
	if (!o)
		return E_TYPE;
	if (o->size < need)
		return E_RANGE;
	*va = o->mem;
	return E_OK;
}

static void *images[COMP_SLOTS];

static long map_image(void *ctx, uint32_t slot, uint64_t bytes, void **va)
{
	(void)ctx;
	free(images[slot]);
	images[slot] = *va = calloc(1, bytes);
	return E_OK;
}

static void unmap(void *ctx, uint32_t slot, uint64_t s, uint64_t i)
{
	(void)ctx, (void)s, (void)i;
	free(images[slot]);
	images[slot] = NULL;
}

static long new_ntfn(void *ctx, handle_t *keep, handle_t *give)
{
	(void)ctx;
	*keep = fake_ipc_handle();
	*give = fake_ipc_handle();
	return E_OK;
}

static int signals, watches;

static void signal_ntfn(void *ctx, handle_t h)
{
	(void)ctx, (void)h;
	signals++;
}

static void close_h(void *ctx, handle_t h)
{
	(void)ctx, (void)h;
}

static long watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge;
	watches += on ? 1 : -1;
	return E_OK;
}

static uint64_t now;

static uint64_t clock_ns(void *ctx)
{
	(void)ctx;
	return now;
}

static int restores;

static void restored(void *ctx, const struct window *w, uint64_t ns)
{
	(void)ctx, (void)w, (void)ns;
	restores++;
}

static uint32_t echoed; /* the last echo probe flushed */

static void echo(void *ctx, uint32_t probe)
{
	(void)ctx;
	echoed = probe;
}

static const struct comp_sys fake_sys = {map_surface, map_image, unmap,	   new_ntfn, signal_ntfn,
					 close_h,     watch,	 clock_ns, restored, echo};

/* A new compositor instance over the same state (the "restart"). */
static void start(void)
{
	memset(&comp, 0, sizeof(comp));
	comp = (struct comp){.fb = fb,
			     .width = SW,
			     .height = SH,
			     .fb_stride = SW,
			     .back = back,
			     .state = &state,
			     .sys = &fake_sys,
			     .cx = 0,
			     .cy = SH - 1};
	comp_state_open(&comp);
	comp_damage(&comp, (struct gui_rect){0, 0, SW, SH}); /* the first frame, as main.c */
	comp_flush(&comp);
	fake_ipc_reset();
	srv = display_server(1, &ds);
}

static uint32_t px(int x, int y)
{
	return fb[y * SW + x];
}

/* Open a w x h window at (x, y) for the client behind ep; its surface's memory in *mem. */
static long open_window(handle_t ep, int w, int h, int x, int y, uint64_t key, uint64_t *id,
			void **mem)
{
	handle_t s = object(display_surface_bytes(w, h));
	struct display_create_request rq = {w, h, x, y, key, 42};
	struct display_create_reply rp;
	handle_t ntfn;
	long err = display_create(ep, s, &rq, "win", &rp, &ntfn);

	*mem = find_object(s)->mem;
	*id = err == E_OK ? rp.id : 0;
	return err;
}

static void fill_surface(void *mem, int n, uint32_t colour)
{
	uint32_t *p = (uint32_t *)((char *)mem + DISPLAY_HEADER_BYTES);
	for (int i = 0; i < n; i++)
		p[i] = colour;
}

static void test_windows_on_screen(void)
{
	handle_t a = fake_ipc_endpoint(&srv, 100), b = fake_ipc_endpoint(&srv, 200);
	uint64_t ia, ib;
	void *ma, *mb;
	struct display_commit_request rq;

	CHECK_EQ(open_window(a, 60, 40, 20, 40, 1, &ia, &ma), E_OK);
	CHECK_EQ(open_window(b, 60, 40, 50, 60, 1, &ib, &mb), E_OK); /* on top, over a's corner */
	fill_surface(ma, 60 * 40, 0xAA0000);
	fill_surface(mb, 60 * 40, 0x00BB00);
	rq = (struct display_commit_request){ib, 0, 0, 60, 40, 0};
	CHECK_EQ(display_commit(b, &rq), E_OK);
	uint64_t before = comp.fb_bytes;
	rq = (struct display_commit_request){ia, 0, 0, 60, 40, 0};
	CHECK_EQ(display_commit(a, &rq), E_OK);
	/* a's content is y 60-99 at x 20-79; b's frame covers x 50-109 from y 60: 30x40 hidden */
	CHECK_EQ(comp.fb_bytes - before, (uint64_t)(60 * 40 - 30 * 40) * 4);
	CHECK_EQ(px(20, 60), 0xAA0000u);
	CHECK_EQ(px(49, 99), 0xAA0000u);
	CHECK_EQ(px(50, 99), 0x00BB00u);	  /* b on top, its content from y 80 */
	CHECK_EQ(px(50, 60), COLOUR_TITLE_FOCUS); /* b's title bar, focused */
	CHECK_EQ(px(20, 40), COLOUR_TITLE);	  /* a's, not */
	CHECK_EQ(px(10, 150), COLOUR_DESKTOP);
	CHECK_EQ(display_move(a, ia, 200, 150), E_OK); /* anyone may move a window */
	CHECK_EQ(px(20, 60), COLOUR_DESKTOP);
	CHECK_EQ(px(200, 170), 0xAA0000u);
	struct display_window_info info;
	char title[DISPLAY_TITLE_MAX];
	CHECK_EQ(display_list(a, 1, &info, title), E_OK);
	CHECK_EQ(info.id, ib);
	CHECK_EQ(info.pid, 42);
	CHECK_EQ(info.size, 60 | 40ull << 32);
	CHECK_EQ(info.z_focus, 1 | 1ull << 32);
	CHECK(!strcmp(title, "win"));
	CHECK_EQ(display_list(a, 2, &info, title), E_NOENT);
}

static struct display_event last_event(uint64_t id)
{
	struct window *w = comp_find(&comp, id);
	return w->shared->ev[(w->head - 1) % DISPLAY_EVENTS];
}

static void test_input(void)
{
	struct window *a = comp.stack[0], *b = comp.stack[1];
	uint32_t ha = a->head, hb = b->head;
	handle_t ep = fake_ipc_endpoint(&srv, 300);

	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_KEY, 'q', 1, 0), E_OK);
	CHECK_EQ(b->head, hb + 1); /* b has the focus */
	CHECK_EQ(a->head, ha);
	CHECK_EQ(last_event(b->id).data, 'q');
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_KEY, 'r', 1, 0x1234567890ull), E_OK);
	CHECK_EQ((uint32_t)last_event(b->id).y, 0x34567890u); /* the interrupt's TSC, low half */
	hb = b->head;
	/* the wheel goes to the window under the pointer, focused or not */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 205, 180, 0), E_OK); /* over a */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_WHEEL, (uint64_t)-3, 0, 0), E_OK);
	struct display_event wheel = last_event(a->id);
	CHECK_EQ(wheel.type, DISPLAY_EV_WHEEL);
	CHECK_EQ((int32_t)wheel.data, -3);
	CHECK_EQ(wheel.x, 5);
	CHECK_EQ(b->head, hb); /* not b's, though b has the focus */
	CHECK(comp.focus == b);
	ha = a->head;
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 205, 155, 0), E_OK); /* a's title bar */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_WHEEL, 1, 0, 0), E_OK);
	CHECK_EQ(a->head, ha); /* not its content: dropped */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 205, 180, 1), E_OK); /* press on a */
	CHECK(comp.stack[1] == a && comp.focus == a);
	struct display_event ev = last_event(a->id);
	CHECK_EQ(ev.type, DISPLAY_EV_POINTER);
	CHECK_EQ(ev.x, 5);
	CHECK_EQ(ev.y, 10);
	CHECK_EQ(px(205, 180), COLOUR_CURSOR); /* the cursor's tip */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 205, 180, 0), E_OK);
	/* a drag by the title bar: press, move, release */
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 210, 155, 1), E_OK);
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 190, 145, 1), E_OK);
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, 180, 135, 0), E_OK);
	CHECK_EQ(a->x, 170);
	CHECK_EQ(a->y, 130);
	CHECK_EQ(px(171, 131), COLOUR_TITLE_FOCUS);
	a->shared->tail = a->head + 1000; /* a lying tail: events dropped, nothing else */
	uint32_t dropped = a->shared->dropped;
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_KEY, 'z', 1, 0), E_OK);
	CHECK_EQ(a->shared->dropped, dropped + 1);
	a->shared->tail = a->head;
}

static void test_hostile(void)
{
	handle_t ep = fake_ipc_endpoint(&srv, 400);
	handle_t small = object(4096);
	struct display_create_request rq = {100, 100, 0, 0, 1, 0};
	struct display_create_reply rp;
	handle_t ntfn;
	uint64_t other = comp.stack[0]->id;
	struct display_commit_request cq = {other, 0, 0, 4, 4, 0};

	CHECK_EQ(display_create(ep, small, &rq, "x", &rp, &ntfn), E_RANGE);
	CHECK_EQ(display_create(ep, fake_ipc_handle(), &rq, "x", &rp, &ntfn), E_TYPE);
	rq.width = DISPLAY_MAX_SIDE + 1;
	CHECK_EQ(display_create(ep, small, &rq, "x", &rp, &ntfn), E_INVAL);
	CHECK_EQ(display_commit(ep, &cq), E_NOENT); /* not its window */
	CHECK_EQ(display_destroy(ep, other), E_NOENT);
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_COMMIT, 1, 0, 0)};
	CHECK_EQ(ipc_call(ep, &m, 0), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_PROTO);
	CHECK_EQ(display_inject(ep, 9, 0, 0, 0), E_INVAL);
	CHECK_EQ(comp.count, 2u);
}

static void test_gone_and_restart(void)
{
	handle_t a = fake_ipc_endpoint(&srv, 100);
	struct window *wa = comp_find(&comp, comp.stack[1]->id);
	uint64_t id = wa->id;
	int32_t x = wa->x, y = wa->y;
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {200}};

	fake_ipc_event(fake_ipc_endpoint(&srv, 200), &gone);
	CHECK_EQ(comp.count, 1u); /* b's client went: only b's window goes */
	CHECK_EQ(comp.stack[0]->id, id);
	start(); /* a new instance: knows no surface, keeps the records */
	a = fake_ipc_endpoint(&srv, 100);
	CHECK_EQ(display_ping(a, id), E_NOENT);
	uint64_t again;
	void *mem;
	CHECK_EQ(open_window(a, 60, 40, 0, 0, 1, &again, &mem), E_OK); /* asks for 0,0 */
	CHECK_EQ(again, id);
	CHECK_EQ(comp.stack[0]->x, x); /* put back where it was */
	CHECK_EQ(comp.stack[0]->y, y);
	CHECK_EQ(restores, 1);
}

static void click(handle_t ep, int32_t x, int32_t y)
{
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, (uint64_t)x, (uint64_t)y, 1), E_OK);
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, (uint64_t)x, (uint64_t)y, 0), E_OK);
}

/* The top bar's k-th window button (taskbar.c: windows by id), a pixel inside it. */
static int32_t task_x(int k)
{
	return TASK_X0 + k * (TASK_W + TASK_GAP) + TASK_W - 2;
}

static uint64_t listed_flags(handle_t ep, uint64_t n, uint64_t *id)
{
	struct display_window_info info;
	char title[DISPLAY_TITLE_MAX];

	CHECK_EQ(display_list(ep, n, &info, title), E_OK);
	*id = info.id;
	return info.z_focus >> 32 << 32;
}

/* b (the later id) minimised by its title bar's button and back by its top bar button. */
static void test_minimise(void)
{
	handle_t a = fake_ipc_endpoint(&srv, 100), b = fake_ipc_endpoint(&srv, 200);
	uint64_t ida = comp.stack[0]->id, idb, id;
	void *mb;

	CHECK_EQ(open_window(b, 60, 40, 300, 120, 2, &idb, &mb), E_OK);
	fill_surface(mb, 60 * 40, 0x00BB00);
	struct display_commit_request rq = {idb, 0, 0, 60, 40, 77};
	echoed = 0;
	CHECK_EQ(display_commit(b, &rq), E_OK);
	CHECK_EQ(echoed, 77); /* the probe, once its frame was flushed */
	rq.probe = 0;
	struct window *wb = comp_find(&comp, idb);
	CHECK_EQ(px(task_x(1), 3), COLOUR_TITLE_FOCUS); /* b's button, focused */
	CHECK_EQ(px(task_x(0), 3), COLOUR_TASK);
	struct gui_rect m = comp_minimise_box(wb);
	CHECK_EQ(px(m.x + 1, m.y + 1), COLOUR_MINIMISE);
	click(a, m.x + 2, m.y + 2);
	CHECK(wb->minimised && comp.count == 1 && comp.focus == comp.stack[0]);
	CHECK_EQ(px(310, 150), COLOUR_DESKTOP); /* b's place */
	CHECK_EQ(px(task_x(1), 3), COLOUR_TASK_MIN);
	CHECK_EQ(px(task_x(0), 3), COLOUR_TITLE_FOCUS); /* a has the focus now */
	CHECK_EQ(listed_flags(a, 0, &id), DISPLAY_LIST_FOCUSED);
	CHECK_EQ(id, ida);
	CHECK_EQ(listed_flags(a, 1, &id), DISPLAY_LIST_MINIMISED);
	CHECK_EQ(id, idb);
	uint64_t bytes = comp.fb_bytes;
	CHECK_EQ(display_commit(b, &rq), E_OK); /* nothing of it is on the screen */
	CHECK_EQ(display_move(a, idb, 320, 130), E_OK);
	CHECK_EQ(comp.fb_bytes, bytes);

	start(); /* a restart keeps it minimised, at its new place */
	a = fake_ipc_endpoint(&srv, 100);
	b = fake_ipc_endpoint(&srv, 200);
	void *ma;
	CHECK_EQ(open_window(a, 60, 40, 0, 0, 1, &id, &ma), E_OK);
	CHECK_EQ(open_window(b, 60, 40, 0, 0, 2, &id, &mb), E_OK);
	fill_surface(mb, 60 * 40, 0x00BB00);
	CHECK_EQ(display_commit(b, &rq), E_OK);
	wb = comp_find(&comp, idb);
	CHECK(wb && wb->minimised && comp.count == 1);
	CHECK_EQ(px(task_x(1), 3), COLOUR_TASK_MIN);
	click(a, task_x(1), 5); /* its button brings it back, on top and focused */
	CHECK(!wb->minimised && comp.count == 2 && comp.stack[1] == wb && comp.focus == wb);
	CHECK_EQ(px(330, 170), 0x00BB00u);
	click(a, task_x(1), 5); /* the focused window's button minimises it */
	CHECK(wb->minimised);
	click(a, task_x(0), 5); /* and a's, a being focused now */
	CHECK(comp.count == 0 && !comp.focus);
	CHECK_EQ(display_raise(a, idb), E_OK); /* raising restores */
	CHECK(!wb->minimised && comp.focus == wb);
	CHECK_EQ(display_minimise(a, 999), E_NOENT);
	CHECK_EQ(display_close(a, ida), E_OK); /* a minimised window closes too */
	CHECK(!comp_find(&comp, ida) && comp.count == 1);
	CHECK_EQ(px(task_x(0), 3), COLOUR_TITLE_FOCUS); /* b's button moved to the first place */
	CHECK_EQ(px(task_x(1), 3), COLOUR_TOPBAR);
}

/* USB input protocol events turned into DISPLAY_INJECT requests (input_source.c). */
static void test_usb_input_translation(void)
{
	static struct input_source src = {.width = 320, .height = 240, .x = 160, .y = 120};
	struct input_source_out out;
	struct input_event ev = {.type = INPUT_ABS, .x = INPUT_ABS_MAX, .y = INPUT_ABS_MAX / 2};

	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.kind, DISPLAY_INJECT_POINTER);
	CHECK_EQ(out.a, 319); /* the tablet's far edge is the last pixel */
	CHECK_EQ(out.b, 119); /* 16383 of 0..32767 over 0..239: 119.49, rounded */
	ev = (struct input_event){.type = INPUT_REL, .x = 50, .y = -500};
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.a, 319); /* held inside the screen */
	CHECK_EQ(out.b, 0);
	ev = (struct input_event){.type = INPUT_BUTTON, .code = INPUT_BTN_RIGHT, .action = 1};
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.c, 2);
	ev.code = INPUT_BTN_LEFT;
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.c, 3);
	ev.action = INPUT_RELEASE;
	ev.code = INPUT_BTN_RIGHT;
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.c, 1);
	ev.code = 9; /* no such button */
	CHECK(!input_source_translate(&src, &ev, &out));
	ev = (struct input_event){.type = INPUT_WHEEL, .y = -2};
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.kind, DISPLAY_INJECT_WHEEL);
	CHECK_EQ((int32_t)out.a, -2);
	ev.y = 0; /* no steps: nothing to say */
	CHECK(!input_source_translate(&src, &ev, &out));

	/* Shift+a: 'A' pressed and the same code released; a key without text. */
	ev = (struct input_event){.type = INPUT_KEY, .action = 1, .code = 0x04, .key = 'a'};
	memcpy(ev.text, "A", 2);
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.kind, DISPLAY_INJECT_KEY);
	CHECK_EQ(out.a, 'A');
	CHECK_EQ(out.b, 1);
	ev = (struct input_event){.type = INPUT_KEY, .action = INPUT_RELEASE, .code = 0x04};
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.a, 'A');
	CHECK_EQ(out.b, 0);
	ev = (struct input_event){.type = INPUT_KEY, .action = 1, .code = 0x50, .key = 0x150};
	CHECK(input_source_translate(&src, &ev, &out)); /* left arrow */
	CHECK_EQ(out.a, INPUT_SOURCE_KEY_PRIVATE + 0x50);
	ev = (struct input_event){.type = INPUT_KEY, .action = 1, .code = 0x87};
	memcpy(ev.text, "\xe3\x82\x8d", 4); /* ろ, the JIS ro key */
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.a, 0x308D);
	memcpy(ev.text, "\xe3\x82", 3); /* cut short: no text, the key's private code */
	CHECK(input_source_translate(&src, &ev, &out));
	CHECK_EQ(out.a, INPUT_SOURCE_KEY_PRIVATE + 0x87);
}

static void pointer(handle_t ep, int32_t x, int32_t y, uint32_t buttons)
{
	CHECK_EQ(display_inject(ep, DISPLAY_INJECT_POINTER, (uint64_t)x, (uint64_t)y, buttons),
		 E_OK);
}

/* The corner drag: an outline while it moves, DISPLAY_EV_RESIZE at the release, nothing else. */
static uint64_t drag_corner(handle_t ep, void **mem)
{
	uint64_t id;

	CHECK_EQ(open_window(ep, 100, 60, 40, 40, 7, &id, mem), E_OK);
	struct window *w = comp_find(&comp, id);
	fill_surface(*mem, 100 * 60, 0x112233);
	struct display_commit_request rq = {id, 0, 0, 100, 60, 0};
	CHECK_EQ(display_commit(ep, &rq), E_OK);
	pointer(ep, 135, 115, 1); /* the grip: the content's bottom-right 10x10 */
	CHECK(comp.sizing == w);
	uint32_t head = w->head;
	uint64_t before = comp.fb_bytes;
	pointer(ep, 185, 135, 1);		/* 50 right, 20 down */
	CHECK_EQ(px(189, 100), COLOUR_OUTLINE); /* the new frame's right edge, x 40 + 150 - 1 */
	CHECK_EQ(px(188, 100), COLOUR_OUTLINE_IN);
	CHECK_EQ(px(100, 139), COLOUR_OUTLINE); /* its bottom, y 40 + 20 + 80 - 1 */
	CHECK(comp.fb_bytes - before < 8000);	/* edges and the cursor, not the window */
	CHECK_EQ(w->head, head);		/* the client hears nothing while it moves */
	pointer(ep, 185, 135, 0);
	CHECK(comp.sizing == NULL);
	CHECK_EQ(px(189, 100), COLOUR_DESKTOP); /* the outline is gone */
	struct display_event ev = last_event(id);
	CHECK_EQ(ev.type, DISPLAY_EV_RESIZE);
	CHECK(ev.x == 150 && ev.y == 80);
	CHECK(w->w == 100 && w->h == 60); /* nothing changes until the client answers */
	CHECK_EQ(px(139, 119), 0x112233u);
	return id;
}

static void test_resize(void)
{
	handle_t ep = fake_ipc_endpoint(&srv, 500), other = fake_ipc_endpoint(&srv, 501);
	void *mem;
	uint64_t id = drag_corner(ep, &mem);
	struct window *w = comp_find(&comp, id);

	CHECK_EQ(display_ask_size(other, id, 5, 5), E_OK); /* anyone may ask; held to the minimum */
	CHECK(last_event(id).x == DISPLAY_MIN_WIDTH && last_event(id).y == DISPLAY_MIN_HEIGHT);
	CHECK_EQ(display_ask_size(other, id, 2000, 2000), E_OK); /* and to the screen */
	CHECK(last_event(id).x == SW - 40 && last_event(id).y == SH - 40 - TITLE_H);
	CHECK_EQ(display_ask_size(other, 999, 100, 100), E_NOENT);
	CHECK_EQ(display_inject(other, DISPLAY_INJECT_KEY, 'k', 1, 0), E_OK); /* not read yet */
	uint32_t unread = w->head - w->shared->tail;
	uint64_t pixels = comp.pixels_in_use;
	handle_t s2 = object(display_surface_bytes(150, 80));
	fill_surface(find_object(s2)->mem, 150 * 80, 0x445566);
	CHECK_EQ(display_resize(ep, id, s2, 150, 80), E_OK);
	CHECK(w->w == 150 && w->h == 80);
	CHECK_EQ(comp.pixels_in_use, pixels + 150 * 80 - 100 * 60);
	CHECK_EQ(px(40 + 149, 60 + 79), 0x445566u); /* copied whole, no commit needed */
	CHECK_EQ(px(40 + 150, 60 + 79), COLOUR_DESKTOP);
	CHECK_EQ(w->shared->head, unread); /* the unread events moved to the new ring */
	CHECK_EQ(w->shared->ev[unread - 1].data, 'k');
	/* Hostile answers: the window keeps its surface, size and pixels. */
	CHECK_EQ(display_resize(other, id, object(display_surface_bytes(90, 90)), 90, 90), E_NOENT);
	CHECK_EQ(display_resize(ep, id, object(4096), 120, 90), E_RANGE);
	CHECK_EQ(display_resize(ep, id, fake_ipc_handle(), 120, 90), E_TYPE);
	CHECK_EQ(display_resize(ep, id, object(4096), 0, 90), E_INVAL);
	CHECK_EQ(display_resize(ep, id, object(4096), 120, DISPLAY_MAX_SIDE + 1), E_INVAL);
	CHECK_EQ(display_resize(ep, id, object(display_surface_bytes(2048, 2048)), 2048, 2048),
		 E_NOSPACE);
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_RESIZE, 3, 0, 0), .w = {id, 120, 90}};
	CHECK_EQ(ipc_call(ep, &m, 0), E_OK); /* no surface */
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	CHECK(w->w == 150 && w->h == 80);
	CHECK_EQ(px(40 + 149, 60 + 79), 0x445566u);
	CHECK_EQ(comp.pixels_in_use, pixels + 150 * 80 - 100 * 60);
	int used = 0;
	for (int i = 0; i < COMP_MAX_WINDOWS; i++)
		used += comp.win[i].used;
	CHECK_EQ(__builtin_popcountll(comp.slots), used); /* no slot leaked */
	comp_destroy(&comp, w, false);
}

int main(void)
{
	start();
	test_usb_input_translation();
	test_windows_on_screen();
	test_input();
	test_hostile();
	test_gone_and_restart();
	test_minimise();
	test_resize();
	return check_summary("compositor");
}
