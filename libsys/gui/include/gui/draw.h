/* SPDX-License-Identifier: MIT */
/*
 * Drawing into a canvas: 32-bit pixels 0x00RRGGBB in rows of `stride`
 * pixels, with a clip rectangle that every operation respects (nothing is
 * written outside it, whatever coordinates are asked for). The same code
 * draws the apps' windows (gui/gui.h) and the compositor's title bars and
 * top bar. Pure: no system calls, so host tests check it pixel for pixel.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct gui_rect {
	int32_t x, y, w, h;
};

struct gui_canvas {
	uint32_t *pixels;
	int32_t width, height, stride; /* stride: pixels from one row to the next */
	struct gui_rect clip;	       /* inside the canvas */
};

/* A canvas over pixels, clipped to all of it. */
void gui_canvas_init(struct gui_canvas *c, uint32_t *pixels, int32_t width, int32_t height,
		     int32_t stride);
/* Clip to r (within the canvas); gui_canvas_unclip goes back to the whole canvas. */
void gui_canvas_clip(struct gui_canvas *c, struct gui_rect r);
void gui_canvas_unclip(struct gui_canvas *c);

/* The intersection of a and b (w or h 0 when they do not meet). */
struct gui_rect gui_rect_intersect(struct gui_rect a, struct gui_rect b);
struct gui_rect gui_rect_union(struct gui_rect a, struct gui_rect b);
static inline bool gui_rect_empty(struct gui_rect r)
{
	return r.w <= 0 || r.h <= 0;
}
static inline bool gui_rect_contains(struct gui_rect r, int32_t x, int32_t y)
{
	return x >= r.x && y >= r.y && x - r.x < r.w && y - r.y < r.h;
}

void gui_fill(struct gui_canvas *c, struct gui_rect r, uint32_t colour);
/* The outline of r, one pixel wide. */
void gui_frame(struct gui_canvas *c, struct gui_rect r, uint32_t colour);
/* A line from (x0, y0) to (x1, y1), both ends included (Bresenham). */
void gui_line(struct gui_canvas *c, int32_t x0, int32_t y0, int32_t x1, int32_t y1,
	      uint32_t colour);
/* Copy w x h pixels of src (rows of src_stride) to (x, y). */
void gui_blit(struct gui_canvas *c, int32_t x, int32_t y, const uint32_t *src, int32_t w, int32_t h,
	      int32_t src_stride);
/*
 * UTF-8 text with its top left at (x, y), each glyph's set pixels in
 * colour scaled by `scale` (1 or more), the rest untouched; returns the
 * width drawn (unclipped).
 */
int32_t gui_text(struct gui_canvas *c, int32_t x, int32_t y, const char *text, uint32_t colour,
		 int32_t scale);
/* The width text would take at scale 1. */
int32_t gui_text_width(const char *text);

/* Copy rows of pixels fast (the compositor's inner loop): n pixels from src to dst. */
void gui_copy_pixels(uint32_t *dst, const uint32_t *src, int32_t n);
void gui_set_pixels(uint32_t *dst, uint32_t colour, int32_t n);
