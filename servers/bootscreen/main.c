/* SPDX-License-Identifier: MIT */
/*
 * bootscreen: draws the boot screen into the boot framebuffer (its manifest
 * lists devmem = framebuffer; the geometry comes in start_info()->fb) and
 * exits with 0. Its restart policy is on-failure, so a clean exit leaves it
 * stopped and the picture stays until something else draws;
 * `svc start bootscreen` draws it again. It runs at priority 12, above
 * programs started by `run=` (10), so its picture is complete before any of
 * them can draw. Until the compositor exists, this is what the screen shows.
 * Recovery: stateless (it draws from nothing).
 *
 * The picture, in units of u = min(width, height) / 32 pixels (24 at
 * 1024x768), every rectangle clipped to the screen:
 *   - the whole screen in BACKGROUND;
 *   - the system's name, "os", in LOGO block letters: each 5u x 7u of
 *     strokes 1u thick, 2u apart, centred across, their top 2u above
 *     vertical centring (at 1024x768: "o" at x 368-487, "s" at x 536-655,
 *     both at y 252-419);
 *   - a thin progress bar 3u under the letters, 16u wide and u/3 high
 *     (at least 1 pixel), centred: its left half in BAR_FILL (the kernel and
 *     the supervisor are up), the rest in BAR_TRACK (at 1024x768: x 320-703,
 *     y 492-499, filled up to x 511).
 *
 * Pixels are 32 bits, 0x00RRGGBB (the layout GRUB's linear framebuffer has
 * under QEMU and on PCs); other depths are refused with a line and exit 0.
 */
#include <stdbool.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define BACKGROUND 0x101828u /* dark blue-grey */
#define LOGO	   0x58C4DDu /* light teal */
#define BAR_TRACK  0x2A3550u /* muted blue */
#define BAR_FILL   0xF2A93Bu /* amber */

#define FB_VA	  0x00005a0000000000ull /* where the framebuffer is mapped */
#define UNITS	  32			/* the shorter side, in units */
#define GLYPH_W	  5
#define GLYPH_H	  7
#define GLYPH_GAP 2
#define BAR_W	  16

struct screen {
	uint8_t *pixels;
	uint32_t width, height, pitch;
};

/* A rectangle in units, relative to its glyph's top left. */
struct unit_rect {
	uint8_t x, y, w, h;
};

static const struct unit_rect glyph_o[] = {{0, 0, 5, 1}, {0, 6, 5, 1}, {0, 0, 1, 7}, {4, 0, 1, 7}};
static const struct unit_rect glyph_s[] = {
	{0, 0, 5, 1}, {0, 3, 5, 1}, {0, 6, 5, 1}, {0, 0, 1, 4}, {4, 3, 1, 4}};

static void fill(const struct screen *s, int64_t x, int64_t y, int64_t w, int64_t h,
		 uint32_t colour)
{
	int64_t x1 = x + w, y1 = y + h;

	x = x < 0 ? 0 : x;
	y = y < 0 ? 0 : y;
	x1 = x1 > s->width ? s->width : x1;
	y1 = y1 > s->height ? s->height : y1;
	for (int64_t row = y; row < y1; row++) {
		uint32_t *p = (uint32_t *)(s->pixels + row * s->pitch);
		for (int64_t col = x; col < x1; col++)
			p[col] = colour;
	}
}

static void draw_glyph(const struct screen *s, const struct unit_rect *r, size_t n, int64_t x,
		       int64_t y, int64_t u)
{
	for (size_t i = 0; i < n; i++)
		fill(s, x + r[i].x * u, y + r[i].y * u, r[i].w * u, r[i].h * u, LOGO);
}

static void draw(const struct screen *s)
{
	int64_t u = (s->width < s->height ? s->width : s->height) / UNITS;
	int64_t logo_w = (2 * GLYPH_W + GLYPH_GAP) * u;
	int64_t x = ((int64_t)s->width - logo_w) / 2;
	int64_t y = ((int64_t)s->height - GLYPH_H * u) / 2 - 2 * u;
	int64_t bar_x = ((int64_t)s->width - BAR_W * u) / 2, bar_y = y + (GLYPH_H + 3) * u;
	int64_t bar_h = u / 3 ? u / 3 : 1;

	fill(s, 0, 0, s->width, s->height, BACKGROUND);
	if (u == 0)
		return; /* a screen too small for letters: background only */
	draw_glyph(s, glyph_o, ARRAY_SIZE(glyph_o), x, y, u);
	draw_glyph(s, glyph_s, ARRAY_SIZE(glyph_s), x + (GLYPH_W + GLYPH_GAP) * u, y, u);
	fill(s, bar_x, bar_y, BAR_W * u, bar_h, BAR_TRACK);
	fill(s, bar_x, bar_y, BAR_W * u / 2, bar_h, BAR_FILL);
}

/* The handles this instance was given, for the log (tests check them). */
static void print_handles(void)
{
	uint32_t n;
	const struct start_handle *h = bootstrap_handles(&n);
	char line[START_MAX_HANDLES * START_NAME_MAX];
	size_t used = 0;

	for (uint32_t i = 0; i < n && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %s", h[i].name);
	printf("bootscreen: given%s\n", n ? line : " nothing");
}

/* Map the framebuffer; false (with a line) if there is none we can draw on. */
static bool map_screen(struct screen *s, uint32_t *mapped)
{
	const struct start_framebuffer *fb = &start_info()->fb;
	handle_t h = start_handle("framebuffer", mapped);
	uint64_t offset = fb->phys & 0xFFF;

	if (h == HANDLE_INVALID || fb->width == 0) {
		printf("bootscreen: no framebuffer; nothing to draw\n");
		return false;
	}
	if (fb->bpp != 32 || fb->pitch < fb->width * 4ull ||
	    offset + (uint64_t)fb->pitch * fb->height > *mapped) {
		printf("bootscreen: cannot draw on a %ux%u framebuffer at %u bpp (pitch %u)\n",
		       fb->width, fb->height, fb->bpp, fb->pitch);
		return false;
	}
	long err = sys_mobj_map(HANDLE_SELF, h, FB_VA, 0, *mapped, R_READ | R_WRITE);
	if (err < 0) {
		printf("bootscreen: cannot map the framebuffer: %s\n", sys_error_name(err));
		return false;
	}
	*s = (struct screen){(uint8_t *)FB_VA + offset, fb->width, fb->height, fb->pitch};
	return true;
}

int main(void)
{
	struct screen s;
	uint32_t mapped = 0;
	uint64_t start = sys_clock();

	print_handles();
	if (!map_screen(&s, &mapped))
		return 0; /* nothing to show on this machine: not a failure */
	draw(&s);
	sys_unmap(HANDLE_SELF, FB_VA, mapped);
	printf("bootscreen: drawn %ux%u in %lu ms\n", s.width, s.height,
	       (unsigned long)((sys_clock() - start) / 1000000));
	return 0;
}
