/* SPDX-License-Identifier: MIT */
/*
 * compositor: the desktop (docs/ARCHITECTURE.md, "The desktop:
 * compositor"). The one holder of the framebuffer after the boot screen:
 * it maps it, composes windows from clients' surfaces into a back buffer
 * and copies what changed to the screen, serving the display protocol
 * (proto/display.h) on "display". This file is its system side: the
 * framebuffer, the back buffer, surfaces and images mapped per window
 * slot, notifications, client-death notices, the RTC for the top bar's
 * clock, a ticker thread that wakes the loop once a second and a reader
 * of the USB input protocol.
 * Recovery: memory. Window ids, places and order live in the "state"
 * object (window.c); surfaces are the clients', who create their windows
 * again when a new instance answers E_NOENT (gui/gui.h).
 */
#include "comp.h"
#include "ops.h"
#include "proto/ns.h"
#include "sys/device.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"

#define FB_VA		0x00005a0000000000ull
#define BACK_VA		0x0000580000000000ull
#define STATE_VA	0x0000200000000000ull
#define SURFACE_VA	0x0000400000000000ull
#define SURFACE_SLOT	(32ull << 20) /* a header page and 2048 x 2048 pixels */
#define IMAGE_VA	0x0000480000000000ull
#define IMAGE_SLOT	(16ull << 20)
#define SECOND		1000000000ull
#define TICKER_PRIORITY 14

static struct comp comp;
static handle_t endpoint;

static uint64_t pages(uint64_t bytes)
{
	return (bytes + 4095) & ~4095ull;
}

static long map_surface(void *ctx, handle_t h, uint32_t slot, uint64_t need, void **va)
{
	struct handle_info info;
	uintptr_t at = SURFACE_VA + slot * SURFACE_SLOT;

	(void)ctx;
	if (sys_handle_info(h, &info) < 0 || info.type != KOBJ_MOBJ)
		return E_TYPE;
	if (info.size < need)
		return E_RANGE;
	long err = sys_mobj_map(HANDLE_SELF, h, at, 0, pages(need), R_READ | R_WRITE);
	if (err < 0)
		return err == E_RIGHTS ? E_RIGHTS : err;
	*va = (void *)at;
	return E_OK;
}

static long map_image(void *ctx, uint32_t slot, uint64_t bytes, void **va)
{
	uintptr_t at = IMAGE_VA + slot * IMAGE_SLOT;
	long m = sys_mobj_create(pages(bytes), 0);

	(void)ctx;
	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, at, 0, pages(bytes), R_READ | R_WRITE);
	sys_handle_close((handle_t)m); /* the mapping keeps it */
	if (err < 0)
		return err;
	*va = (void *)at;
	return E_OK;
}

static void unmap(void *ctx, uint32_t slot, uint64_t surface_bytes, uint64_t image_bytes)
{
	(void)ctx;
	sys_unmap(HANDLE_SELF, SURFACE_VA + slot * SURFACE_SLOT, pages(surface_bytes));
	if (image_bytes)
		sys_unmap(HANDLE_SELF, IMAGE_VA + slot * IMAGE_SLOT, pages(image_bytes));
}

static long new_ntfn(void *ctx, handle_t *keep, handle_t *give)
{
	long n = sys_ntfn_create();

	(void)ctx;
	if (n < 0)
		return n;
	long d = sys_handle_dup((handle_t)n, R_WAIT | R_SIGNAL | R_TRANSFER);
	if (d < 0) {
		sys_handle_close((handle_t)n);
		return d;
	}
	*keep = (handle_t)n;
	*give = (handle_t)d;
	return E_OK;
}

static void signal(void *ctx, handle_t ntfn)
{
	(void)ctx;
	sys_ntfn_signal(ntfn, DISPLAY_EVENT_BIT);
}

static void close_handle(void *ctx, handle_t h)
{
	(void)ctx;
	if (h != HANDLE_INVALID)
		sys_handle_close(h);
}

static long watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx;
	long err = sys_ep_watch(endpoint, badge, on ? 0 : EP_WATCH_CANCEL);
	return on ? err : E_OK;
}

static uint64_t clock(void *ctx)
{
	(void)ctx;
	return sys_clock();
}

static void restored(void *ctx, const struct window *w, uint64_t ns)
{
	(void)ctx;
	printf("compositor: window %lu '%s' back at (%d, %d) %lu ms after start\n",
	       (unsigned long)w->id, w->title, w->x, w->y, (unsigned long)(ns / 1000000));
}

/* The first DISPLAY_ECHO_LOG echo probes: instructions (TSC ticks under -icount) from the
 * key's interrupt to now, its frame on the framebuffer; 32 bits wrap after 4 s: plenty. */
static void echo(void *ctx, uint32_t probe)
{
	static unsigned logged;

	(void)ctx;
	if (logged++ < DISPLAY_ECHO_LOG)
		printf("compositor: echo %u instructions from the key's interrupt to the frame\n",
		       (uint32_t)sys_rdtsc() - probe);
}

static const struct comp_sys comp_sys = {map_surface,  map_image, unmap, new_ntfn, signal,
					 close_handle, watch,	  clock, restored, echo};

/*
 * The ticker: wakes the server loop once a second with a ping of its own
 * (an endpoint keeps the first notification bound to it for good, so a
 * restarted instance could not bind a timer), so the loop's before_wait
 * advances the top bar's clock.
 */
static void ticker(void *arg)
{
	(void)arg;
	long ep = ns_lookup_self(DISPLAY_NAME);

	if (ep < 0)
		return;
	for (;;) {
		uint64_t now = sys_clock();
		sys_sleep((now / SECOND + 1) * SECOND - now);
		display_ping((handle_t)ep, 0);
	}
}

/*
 * The USB input reader: subscribes to the input protocol (proto/input.h)
 * and sends each event, translated by input_source.c, to the server loop
 * as DISPLAY_INJECT on its own endpoint, so input goes through the one
 * thread that owns the windows. The client library subscribes again after
 * the driver restarts; until "input" exists (no xhci) the reader retries
 * the lookup once a second.
 */
static void input_reader(void *arg)
{
	static struct input_source src;
	struct input_client ic = {0};
	struct input_event ev[INPUT_READ_MAX];
	long ep = ns_lookup_self(DISPLAY_NAME);

	src = (struct input_source){.width = (uint32_t)((struct comp *)arg)->width,
				    .height = (uint32_t)((struct comp *)arg)->height};
	src.x = (int32_t)src.width / 2;
	src.y = (int32_t)src.height / 2;
	while (ep >= 0 && input_client_open(&ic) != E_OK)
		sys_sleep(SECOND);
	for (;;) {
		uint32_t n = 0;
		long err = input_client_read(&ic, ev, INPUT_READ_MAX, &n, SECOND);
		if (err != E_OK && err != E_TIMEOUT) {
			sys_sleep(INPUT_TICK);
			continue;
		}
		for (uint32_t i = 0; i < n; i++) {
			struct input_source_out out;
			if (input_source_translate(&src, &ev[i], &out))
				display_inject((handle_t)ep, out.kind, out.a, out.b, out.c);
		}
	}
}

/* One CMOS register, in binary. */
static uint32_t cmos(uint8_t reg, bool bcd)
{
	port_out8(0x70, reg);
	uint32_t v = port_in8(0x71);
	return bcd ? (v >> 4) * 10 + (v & 15) : v;
}

/* The wall clock's seconds of day at sys_clock() 0, from the RTC (0 without it). */
static uint64_t read_rtc(void)
{
	handle_t ports = start_handle("ioport:70", NULL);

	if (ports == HANDLE_INVALID || sys_ioport_enable(ports) < 0)
		return 0;
	for (int i = 0; i < 1000 && (cmos(0x0A, false) & 0x80); i++) /* an update in progress */
		;
	bool bcd = !(cmos(0x0B, false) & 4);
	uint64_t s = cmos(4, bcd) % 24 * 3600 + cmos(2, bcd) % 60 * 60 + cmos(0, bcd) % 60;
	uint64_t up = sys_clock() / SECOND % 86400;
	return (s + 86400 - up) % 86400;
}

static bool map_framebuffer(struct comp *c)
{
	const struct start_framebuffer *fb = &start_info()->fb;
	uint32_t size = 0;
	handle_t h = start_handle("framebuffer", &size);
	uint64_t offset = fb->phys & 0xFFF;

	if (h == HANDLE_INVALID || fb->width == 0 || fb->bpp != 32 || fb->pitch % 4 ||
	    offset + (uint64_t)fb->pitch * fb->height > size) {
		printf("compositor: no 32 bpp framebuffer to draw on\n");
		return false;
	}
	long err = sys_mobj_map(HANDLE_SELF, h, FB_VA, 0, size, R_READ | R_WRITE);
	if (err < 0) {
		printf("compositor: cannot map the framebuffer: %s\n", sys_error_name(err));
		return false;
	}
	c->fb = (uint32_t *)(FB_VA + offset);
	c->width = (int32_t)fb->width;
	c->height = (int32_t)fb->height;
	c->fb_stride = (int32_t)(fb->pitch / 4);
	return true;
}

static bool map_back_buffer(struct comp *c)
{
	uint64_t bytes = pages((uint64_t)c->width * c->height * 4);
	long m = sys_mobj_create(bytes, 0);

	if (m < 0 ||
	    sys_mobj_map(HANDLE_SELF, (handle_t)m, BACK_VA, 0, bytes, R_READ | R_WRITE) < 0)
		return false;
	sys_handle_close((handle_t)m);
	c->back = (uint32_t *)BACK_VA;
	return true;
}

/* The kept state, or a private one (not kept) without a supervisor's object. */
static struct comp_state *map_state(void)
{
	static struct comp_state private_state;
	uint32_t size = 0;
	handle_t m = start_handle("state", &size);

	if (m == HANDLE_INVALID || size < sizeof(struct comp_state) ||
	    sys_mobj_map(HANDLE_SELF, m, STATE_VA, 0, pages(size), R_READ | R_WRITE) < 0) {
		printf("compositor: no state object; windows will not keep their places\n");
		return &private_state;
	}
	return (struct comp_state *)STATE_VA;
}

static uint32_t pending_records(const struct comp_state *s)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		n += s->rec[i].used == 2;
	return n;
}

int main(void)
{
	static struct display_server ds = {&comp_display_ops, &comp};
	struct comp *c = &comp;

	endpoint = start_handle(DISPLAY_NAME, NULL);
	if (endpoint == HANDLE_INVALID || !map_framebuffer(c) || !map_back_buffer(c))
		return 1;
	c->sys = &comp_sys;
	c->state = map_state();
	comp_state_open(c);
	c->started = sys_clock();
	c->clock_base = read_rtc();
	c->cx = c->width / 2;
	c->cy = c->height / 2;
	comp_set_clock(c, sys_clock());
	comp_damage(c, (struct gui_rect){0, 0, c->width, c->height});
	comp_flush(c);
	if (thread_spawn(ticker, NULL, TICKER_PRIORITY, NULL) < 0)
		printf("compositor: no ticker thread; the top bar's clock stands still\n");
	if (thread_spawn(input_reader, c, TICKER_PRIORITY, NULL) < 0)
		printf("compositor: no input thread; only DISPLAY_INJECT moves the pointer\n");
	printf("compositor: %dx%d desktop up, %u windows to restore\n", c->width, c->height,
	       pending_records(c->state));
	struct server s = display_server(endpoint, &ds);
	return (int)server_run(&s);
}
