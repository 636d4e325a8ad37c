/* SPDX-License-Identifier: MIT */
/*
 * A window on the compositor (gui/gui.h): the surface (a memory object of
 * the app's, mapped here and handed to the compositor once), the event
 * ring in its first page, and reconnection after a compositor restart:
 * any answer that says the compositor no longer knows the window (E_NOENT,
 * or E_RESTARTED for a call it died in) makes the library create it again
 * under the same key and commit all of it.
 */
#include <string.h>

#include "gui/gui.h"
#include "proto/ns.h"
#include "sys/process.h"
#include "sys/start.h"
#include "sys/sys.h"

#define SURFACE_VA    0x0000300000000000ull /* window n's surface at SURFACE_VA + n * SURFACE_SLOT */
#define SURFACE_SLOT  (64ull << 20)
#define OPEN_ATTEMPTS 20 /* of DISPLAY_CREATE at 2 s each while the compositor starts */

static uint64_t windows_opened;

static handle_t display_endpoint(void)
{
	handle_t ep = start_handle(DISPLAY_NAME, NULL);

	if (ep != HANDLE_INVALID)
		return ep;
	long h = ns_lookup_self(DISPLAY_NAME);
	return h < 0 ? HANDLE_INVALID : (handle_t)h;
}

static uint64_t my_pid(void)
{
	struct process_info info = {0};

	return sys_process_info(HANDLE_SELF, &info) == E_OK ? info.pid : 0;
}

/* DISPLAY_CREATE for w's surface; on success w has its id, place and event notification. */
static long create(struct gui_window *w, uint32_t x, int32_t y)
{
	struct display_create_request rq = {(uint64_t)w->canvas.width,
					    (uint64_t)w->canvas.height,
					    x,
					    (uint64_t)(int64_t)y,
					    w->key,
					    my_pid()};
	struct display_create_reply rp;
	handle_t ntfn;
	long err = display_create(w->ep, w->surface, &rq, w->title, &rp, &ntfn);

	if (err < 0)
		return err;
	if (w->ntfn != HANDLE_INVALID)
		sys_handle_close(w->ntfn);
	w->ntfn = ntfn;
	w->id = rp.id;
	w->x = (int32_t)rp.x;
	w->y = (int32_t)rp.y;
	return E_OK;
}

static bool compositor_forgot(long err)
{
	return err == E_NOENT || err == E_RESTARTED;
}

/* Whether the ring holds a DISPLAY_EV_CLOSE not read yet (the window was closed, not lost). */
static bool close_queued(const struct gui_window *w)
{
	uint32_t head = __atomic_load_n(&w->shared->head, __ATOMIC_ACQUIRE);

	for (uint32_t i = w->shared->tail; i != head && head - i <= DISPLAY_EVENTS; i++)
		if (w->shared->ev[i % DISPLAY_EVENTS].type == DISPLAY_EV_CLOSE)
			return true;
	return false;
}

/* Create the window again (the compositor restarted) and send all of it. */
static long reconnect(struct gui_window *w)
{
	if (w->closed || close_queued(w))
		return E_CLOSED;
	w->shared->head = w->shared->tail = 0; /* a new instance starts its ring at 0 */
	long err = create(w, (uint32_t)w->x, w->y);
	if (err < 0)
		return err;
	w->reconnects++;
	if (w->deadline)
		sys_ntfn_timer(w->ntfn, w->deadline, GUI_TIMER_BIT);
	struct display_commit_request rq = {
		w->id, 0, 0, (uint64_t)w->canvas.width, (uint64_t)w->canvas.height, 0};
	return display_commit(w->ep, &rq);
}

static uint64_t surface_bytes(int32_t width, int32_t height)
{
	return (display_surface_bytes((uint32_t)width, (uint32_t)height) + 4095) & ~4095ull;
}

/* Window `slot`'s surface in half `half` of its slot (a resize maps the other half). */
static uintptr_t surface_va(uint64_t slot, uint32_t half)
{
	return SURFACE_VA + slot * SURFACE_SLOT + half * (SURFACE_SLOT / 2);
}

static long map_surface(struct gui_window *w, int32_t width, int32_t height)
{
	uint64_t bytes = surface_bytes(width, height);
	uintptr_t va = surface_va(w->key ? w->key - 1 : windows_opened, w->half);
	long m = sys_mobj_create(bytes, 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, bytes, R_READ | R_WRITE);
	if (err < 0) {
		sys_handle_close((handle_t)m);
		return err;
	}
	w->surface = (handle_t)m;
	w->shared = (struct display_shared *)va;
	gui_canvas_init(&w->canvas, (uint32_t *)(va + DISPLAY_HEADER_BYTES), width, height, width);
	return E_OK;
}

long gui_open(struct gui_window *w, const char *title, int32_t width, int32_t height, uint32_t x,
	      int32_t y)
{
	*w = (struct gui_window){
		.ep = display_endpoint(), .ntfn = HANDLE_INVALID, .old_surface = HANDLE_INVALID};
	if (w->ep == HANDLE_INVALID)
		return E_NOENT;
	if (width <= 0 || height <= 0 || width > DISPLAY_MAX_SIDE || height > DISPLAY_MAX_SIDE ||
	    strlen(title) >= DISPLAY_TITLE_MAX || windows_opened >= 16)
		return E_INVAL;
	strlcpy(w->title, title, sizeof(w->title));
	long err = map_surface(w, width, height);
	if (err < 0)
		return err;
	w->key = ++windows_opened;
	for (int i = 0; i < OPEN_ATTEMPTS; i++) {
		err = create(w, x, y);
		if (err != E_TIMEOUT && err != E_RESTARTED && err != E_NOENT)
			break;
		sys_sleep(100000000ull); /* the compositor is not up yet */
	}
	return err;
}

long gui_commit(struct gui_window *w, struct gui_rect r)
{
	return gui_commit_probe(w, r, 0);
}

long gui_commit_probe(struct gui_window *w, struct gui_rect r, uint32_t probe)
{
	struct display_commit_request rq = {w->id,
					    (uint64_t)(int64_t)r.x,
					    (uint64_t)(int64_t)r.y,
					    (uint64_t)(int64_t)r.w,
					    (uint64_t)(int64_t)r.h,
					    probe};

	if (w->closed)
		return E_CLOSED;
	long err = display_commit(w->ep, &rq);
	return compositor_forgot(err) ? reconnect(w) : err;
}

long gui_commit_all(struct gui_window *w)
{
	return gui_commit(w, (struct gui_rect){0, 0, w->canvas.width, w->canvas.height});
}

/* The next queued event, if any. */
static bool take_event(struct gui_window *w, struct display_event *ev)
{
	struct display_shared *s = w->shared;
	uint32_t head = __atomic_load_n(&s->head, __ATOMIC_ACQUIRE);

	if (s->tail == head)
		return false;
	*ev = s->ev[s->tail % DISPLAY_EVENTS];
	__atomic_store_n(&s->tail, s->tail + 1, __ATOMIC_RELEASE);
	if (ev->type == DISPLAY_EV_CLOSE)
		w->closed = true;
	return true;
}

static bool timer_due(struct gui_window *w)
{
	if (!w->deadline || sys_clock() < w->deadline)
		return false;
	w->deadline = 0;
	return true;
}

/* Wait for the notification at most `ns`; pings the compositor when nothing came. */
static void wait_once(struct gui_window *w, uint64_t ns)
{
	long bits = sys_ntfn_wait(w->ntfn, ns);

	if (bits == E_TIMEOUT && ns == DISPLAY_PING_NS && !w->closed &&
	    compositor_forgot(display_ping(w->ep, w->id)))
		reconnect(w);
}

long gui_next_event(struct gui_window *w, struct display_event *ev, uint64_t timeout)
{
	uint64_t end = timeout == GUI_FOREVER ? UINT64_MAX : sys_clock() + timeout;

	for (;;) {
		if (take_event(w, ev))
			return E_OK;
		if (w->closed)
			return E_CLOSED;
		if (timer_due(w))
			return E_TIMEOUT;
		uint64_t now = sys_clock();
		if (now >= end)
			return E_TIMEOUT;
		uint64_t ns = end - now < DISPLAY_PING_NS ? end - now : DISPLAY_PING_NS;
		if (w->deadline && w->deadline - now < ns)
			ns = w->deadline > now ? w->deadline - now : 0;
		wait_once(w, ns);
	}
}

void gui_set_timer(struct gui_window *w, uint64_t deadline)
{
	w->deadline = deadline;
	sys_ntfn_timer(w->ntfn, deadline, GUI_TIMER_BIT);
}

long gui_info(struct gui_window *w, struct display_info *info)
{
	return display_info(w->ep, info);
}

void gui_close(struct gui_window *w)
{
	if (!w->closed)
		display_destroy(w->ep, w->id);
	w->closed = true;
}

long gui_resize_begin(struct gui_window *w, int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0 || width > DISPLAY_MAX_SIDE || height > DISPLAY_MAX_SIDE ||
	    w->old_surface != HANDLE_INVALID)
		return E_INVAL;
	handle_t surface = w->surface;
	struct display_shared *shared = w->shared;
	struct gui_canvas canvas = w->canvas;
	w->half ^= 1;
	long err = map_surface(w, width, height);
	if (err < 0) {
		w->half ^= 1;
		return err;
	}
	w->old_surface = surface;
	w->old_shared = shared;
	w->old_canvas = canvas;
	return E_OK;
}

static void drop_surface(handle_t surface, struct display_shared *shared, struct gui_canvas *cv)
{
	sys_unmap(HANDLE_SELF, (uintptr_t)shared, surface_bytes(cv->width, cv->height));
	sys_handle_close(surface);
}

long gui_resize_end(struct gui_window *w)
{
	if (w->old_surface == HANDLE_INVALID)
		return E_INVAL;
	long err = w->closed ? E_CLOSED
			     : display_resize(w->ep, w->id, w->surface, (uint32_t)w->canvas.width,
					      (uint32_t)w->canvas.height);
	if (err < 0 && !compositor_forgot(err)) { /* the old surface stays */
		drop_surface(w->surface, w->shared, &w->canvas);
		w->surface = w->old_surface;
		w->shared = w->old_shared;
		w->canvas = w->old_canvas;
		w->half ^= 1;
		w->old_surface = HANDLE_INVALID;
		return err;
	}
	drop_surface(w->old_surface, w->old_shared, &w->old_canvas);
	w->old_surface = HANDLE_INVALID;
	return err == E_OK ? E_OK : reconnect(w); /* a new compositor: made again at this size */
}
