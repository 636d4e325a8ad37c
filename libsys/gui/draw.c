/* SPDX-License-Identifier: MIT */
/*
 * Drawing into a canvas (gui/draw.h): every operation first clips what it
 * was asked for to the canvas's clip rectangle, then touches only pixels
 * inside it. Rows are filled and copied with 16-byte vectors (gcc's vector
 * extension, plain C), four at a time: the compositor's composition and the
 * copies to the framebuffer run through gui_copy_pixels.
 */
#include "gui/draw.h"
#include "gui/font.h"

typedef uint32_t pix4 __attribute__((vector_size(16), aligned(4), may_alias));

void gui_copy_pixels(uint32_t *dst, const uint32_t *src, int32_t n)
{
	for (; n >= 16; n -= 16, dst += 16, src += 16) {
		pix4 a = ((const pix4 *)src)[0], b = ((const pix4 *)src)[1];
		pix4 c = ((const pix4 *)src)[2], d = ((const pix4 *)src)[3];
		((pix4 *)dst)[0] = a;
		((pix4 *)dst)[1] = b;
		((pix4 *)dst)[2] = c;
		((pix4 *)dst)[3] = d;
	}
	for (; n >= 4; n -= 4, dst += 4, src += 4)
		*(pix4 *)dst = *(const pix4 *)src;
	while (n-- > 0)
		*dst++ = *src++;
}

void gui_set_pixels(uint32_t *dst, uint32_t colour, int32_t n)
{
	pix4 v = {colour, colour, colour, colour};

	for (; n >= 16; n -= 16, dst += 16) {
		((pix4 *)dst)[0] = v;
		((pix4 *)dst)[1] = v;
		((pix4 *)dst)[2] = v;
		((pix4 *)dst)[3] = v;
	}
	for (; n >= 4; n -= 4, dst += 4)
		*(pix4 *)dst = v;
	while (n-- > 0)
		*dst++ = colour;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

struct gui_rect gui_rect_intersect(struct gui_rect a, struct gui_rect b)
{
	int64_t x0 = max32(a.x, b.x), y0 = max32(a.y, b.y);
	int64_t x1 =
		(int64_t)a.x + a.w < (int64_t)b.x + b.w ? (int64_t)a.x + a.w : (int64_t)b.x + b.w;
	int64_t y1 =
		(int64_t)a.y + a.h < (int64_t)b.y + b.h ? (int64_t)a.y + a.h : (int64_t)b.y + b.h;

	if (x1 <= x0 || y1 <= y0)
		return (struct gui_rect){(int32_t)x0, (int32_t)y0, 0, 0};
	return (struct gui_rect){(int32_t)x0, (int32_t)y0, (int32_t)(x1 - x0), (int32_t)(y1 - y0)};
}

struct gui_rect gui_rect_union(struct gui_rect a, struct gui_rect b)
{
	if (gui_rect_empty(a))
		return b;
	if (gui_rect_empty(b))
		return a;
	int32_t x0 = min32(a.x, b.x), y0 = min32(a.y, b.y);
	int32_t x1 = max32(a.x + a.w, b.x + b.w), y1 = max32(a.y + a.h, b.y + b.h);
	return (struct gui_rect){x0, y0, x1 - x0, y1 - y0};
}

void gui_canvas_init(struct gui_canvas *c, uint32_t *pixels, int32_t width, int32_t height,
		     int32_t stride)
{
	*c = (struct gui_canvas){pixels, width, height, stride, {0, 0, width, height}};
}

void gui_canvas_clip(struct gui_canvas *c, struct gui_rect r)
{
	c->clip = gui_rect_intersect(r, (struct gui_rect){0, 0, c->width, c->height});
}

void gui_canvas_unclip(struct gui_canvas *c)
{
	c->clip = (struct gui_rect){0, 0, c->width, c->height};
}

void gui_fill(struct gui_canvas *c, struct gui_rect r, uint32_t colour)
{
	r = gui_rect_intersect(r, c->clip);
	if (gui_rect_empty(r))
		return;
	uint32_t *row = c->pixels + (int64_t)r.y * c->stride + r.x;
	for (int32_t y = 0; y < r.h; y++, row += c->stride)
		gui_set_pixels(row, colour, r.w);
}

void gui_frame(struct gui_canvas *c, struct gui_rect r, uint32_t colour)
{
	if (gui_rect_empty(r))
		return;
	gui_fill(c, (struct gui_rect){r.x, r.y, r.w, 1}, colour);
	gui_fill(c, (struct gui_rect){r.x, r.y + r.h - 1, r.w, 1}, colour);
	gui_fill(c, (struct gui_rect){r.x, r.y, 1, r.h}, colour);
	gui_fill(c, (struct gui_rect){r.x + r.w - 1, r.y, 1, r.h}, colour);
}

static void plot(struct gui_canvas *c, int32_t x, int32_t y, uint32_t colour)
{
	if (gui_rect_contains(c->clip, x, y))
		c->pixels[(int64_t)y * c->stride + x] = colour;
}

void gui_line(struct gui_canvas *c, int32_t x0, int32_t y0, int32_t x1, int32_t y1, uint32_t colour)
{
	int64_t dx = x1 > x0 ? (int64_t)x1 - x0 : (int64_t)x0 - x1;
	int64_t dy = y1 > y0 ? (int64_t)y0 - y1 : (int64_t)y1 - y0; /* negative */
	int32_t sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int64_t err = dx + dy;

	for (;;) {
		plot(c, x0, y0, colour);
		if (x0 == x1 && y0 == y1)
			return;
		int64_t e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

void gui_blit(struct gui_canvas *c, int32_t x, int32_t y, const uint32_t *src, int32_t w, int32_t h,
	      int32_t src_stride)
{
	struct gui_rect r = gui_rect_intersect((struct gui_rect){x, y, w, h}, c->clip);

	if (gui_rect_empty(r))
		return;
	src += (int64_t)(r.y - y) * src_stride + (r.x - x);
	uint32_t *dst = c->pixels + (int64_t)r.y * c->stride + r.x;
	for (int32_t row = 0; row < r.h; row++, dst += c->stride, src += src_stride)
		gui_copy_pixels(dst, src, r.w);
}

/* A glyph wholly inside the clip at scale 1: straight into the rows. */
static void draw_glyph_inside(struct gui_canvas *c, int32_t x, int32_t y,
			      const struct font_glyph *g, uint32_t colour)
{
	int32_t w = font_glyph_width(g);
	const uint8_t *bits = font_bits + g->offset;
	uint32_t *row = c->pixels + (int64_t)y * c->stride + x;

	for (int32_t r = 0; r < FONT_HEIGHT; r++, row += c->stride) {
		uint32_t line = w == 16 ? (uint32_t)bits[0] << 8 | bits[1] : bits[0];
		bits += w / 8;
		for (int32_t col = w - 1; line; col--, line >>= 1)
			if (line & 1)
				row[col] = colour;
	}
}

/* One glyph at (x, y): rows of 1 or 2 bytes, scaled; clipped pixel by pixel. */
static void draw_glyph(struct gui_canvas *c, int32_t x, int32_t y, const struct font_glyph *g,
		       uint32_t colour, int32_t scale)
{
	int32_t w = font_glyph_width(g), bytes = w / 8;
	const uint8_t *bits = font_bits + g->offset;
	struct gui_rect box = {x, y, w * scale, FONT_HEIGHT * scale};

	struct gui_rect seen = gui_rect_intersect(box, c->clip);

	if (gui_rect_empty(seen))
		return;
	if (scale == 1 && seen.w == box.w && seen.h == box.h) {
		draw_glyph_inside(c, x, y, g, colour);
		return;
	}
	for (int32_t row = 0; row < FONT_HEIGHT; row++, bits += bytes) {
		uint32_t line = bytes == 2 ? (uint32_t)bits[0] << 8 | bits[1] : bits[0];
		for (int32_t col = 0; col < w; col++) {
			if (!(line >> (w - 1 - col) & 1))
				continue;
			if (scale == 1)
				plot(c, x + col, y + row, colour);
			else
				gui_fill(c,
					 (struct gui_rect){x + col * scale, y + row * scale, scale,
							   scale},
					 colour);
		}
	}
}

int32_t gui_text(struct gui_canvas *c, int32_t x, int32_t y, const char *text, uint32_t colour,
		 int32_t scale)
{
	int32_t start = x;

	scale = scale < 1 ? 1 : scale;
	while (*text) {
		const struct font_glyph *g = font_glyph_or_replacement(font_utf8_next(&text));
		if (!g)
			continue;
		draw_glyph(c, x, y, g, colour, scale);
		x += font_glyph_width(g) * scale;
	}
	return x - start;
}

int32_t gui_text_width(const char *text)
{
	int32_t w = 0;

	while (*text) {
		const struct font_glyph *g = font_glyph_or_replacement(font_utf8_next(&text));
		w += g ? font_glyph_width(g) : 0;
	}
	return w;
}
