/* SPDX-License-Identifier: MIT */
/*
 * The one door input comes into the compositor by. Input arrives two
 * ways, both ending in input_source_inject: DISPLAY_INJECT (a test
 * program, or the shell's `win point` and `win key`), and the USB input
 * protocol (proto/input.h), whose events main.c's reader thread turns
 * into the same requests with input_source_translate: a tablet's absolute
 * axes scaled to the screen, a mouse's relative motion added to the
 * cursor and held inside the screen, buttons as a mask (bit 0 left, 1
 * right, 2 middle), a key press or repeat with text as its first code
 * point, a key without text (Enter's "\n" is text; arrows, F-keys are not)
 * as INPUT_SOURCE_KEY_PRIVATE plus its HID usage, a release as the code
 * its press sent (a press with the TSC of its interrupt, for echo probes),
 * and a wheel's steps as they come. Nothing past this file
 * knows where input comes from.
 */
#include "comp.h"
#include "sys/errors.h"

long input_source_inject(struct comp *c, uint64_t kind, uint64_t a, uint64_t b, uint64_t c2)
{
	switch (kind) {
	case DISPLAY_INJECT_POINTER:
		comp_pointer(c, (int32_t)a, (int32_t)b, (uint32_t)c2);
		return E_OK;
	case DISPLAY_INJECT_KEY:
		if (a > 0x10FFFF)
			return E_INVAL;
		comp_key(c, (uint32_t)a, b != 0, c2);
		return E_OK;
	case DISPLAY_INJECT_WHEEL:
		comp_wheel(c, (int32_t)a);
		return E_OK;
	default:
		return E_INVAL;
	}
}

/* The first code point of UTF-8 text, 0 for none or a malformed one. */
static uint32_t first_code_point(const char *s, size_t max)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t cp;
	size_t n;

	if (max == 0 || p[0] == 0)
		return 0;
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] & 0xE0) == 0xC0)
		cp = p[0] & 0x1F, n = 1;
	else if ((p[0] & 0xF0) == 0xE0)
		cp = p[0] & 0x0F, n = 2;
	else if ((p[0] & 0xF8) == 0xF0)
		cp = p[0] & 0x07, n = 3;
	else
		return 0;
	if (n >= max)
		return 0;
	for (size_t i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	return cp <= 0x10FFFF ? cp : 0;
}

static int32_t clamp(int32_t v, uint32_t pixels)
{
	if (v < 0)
		return 0;
	return v >= (int32_t)pixels ? (int32_t)pixels - 1 : v;
}

static bool pointer(struct input_source *s, const struct input_event *ev,
		    struct input_source_out *out)
{
	switch (ev->type) {
	case INPUT_ABS:
		s->x = input_abs_to_pixel(ev->x, s->width);
		s->y = input_abs_to_pixel(ev->y, s->height);
		break;
	case INPUT_REL:
		s->x = clamp(s->x + ev->x, s->width);
		s->y = clamp(s->y + ev->y, s->height);
		break;
	case INPUT_BUTTON:
		if (ev->code < INPUT_BTN_LEFT || ev->code > INPUT_BTN_MIDDLE)
			return false;
		uint32_t bit = 1u << (ev->code - INPUT_BTN_LEFT);
		s->buttons = ev->action == INPUT_RELEASE ? s->buttons & ~bit : s->buttons | bit;
		break;
	default:
		return false;
	}
	*out = (struct input_source_out){DISPLAY_INJECT_POINTER, (uint64_t)s->x, (uint64_t)s->y,
					 s->buttons};
	return true;
}

/* A press or repeat sends its text's first code point (or the private code of a key
 * without text); its release sends the same code, remembered by usage. */
static bool key(struct input_source *s, const struct input_event *ev, struct input_source_out *out)
{
	uint8_t usage = (uint8_t)ev->code;
	uint32_t cp;

	if (ev->action == INPUT_RELEASE) {
		cp = s->pressed[usage] ? s->pressed[usage] : INPUT_SOURCE_KEY_PRIVATE + usage;
		s->pressed[usage] = 0;
	} else {
		cp = first_code_point(ev->text, sizeof(ev->text));
		if (cp == 0)
			cp = INPUT_SOURCE_KEY_PRIVATE + usage;
		s->pressed[usage] = cp;
	}
	*out = (struct input_source_out){DISPLAY_INJECT_KEY, cp, ev->action != INPUT_RELEASE,
					 ev->action == INPUT_PRESS ? ev->irq_tsc : 0};
	return true;
}

bool input_source_translate(struct input_source *s, const struct input_event *ev,
			    struct input_source_out *out)
{
	if (ev->type == INPUT_KEY)
		return key(s, ev, out);
	if (ev->type == INPUT_WHEEL) {
		*out = (struct input_source_out){DISPLAY_INJECT_WHEEL, (uint64_t)(int64_t)ev->y, 0,
						 0};
		return ev->y != 0;
	}
	return pointer(s, ev, out);
}
