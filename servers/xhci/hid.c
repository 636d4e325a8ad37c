/* SPDX-License-Identifier: MIT */
/*
 * HID report descriptors (HID 1.11 sections 6.2.2 and 5.8; usage tables:
 * Generic Desktop page 0x01 X 0x30, Y 0x31, Wheel 0x38; Button page 0x09)
 * and the pointer reports they describe. The parser walks short items,
 * keeps the global state (with Push/Pop), the local usages and one bit
 * offset per report ID, and notes where X, Y, the wheel and the first
 * three buttons sit in the first report that has X and Y. Limits: see
 * usb.h; past them the descriptor is refused (E_RANGE).
 */
#include <string.h>

#include "sys/errors.h"
#include "usb.h"

#define PAGE_DESKTOP 0x01
#define PAGE_BUTTON  0x09
#define USAGE_X	     0x30
#define USAGE_Y	     0x31
#define USAGE_WHEEL  0x38
#define USAGES_MAX   16

struct globals {
	uint32_t page;
	int32_t lmin, lmax;
	uint32_t size, count;
	uint8_t report_id;
};

struct parser {
	struct globals g, stack[HID_PUSH_MAX];
	unsigned pushed, depth;
	uint32_t usages[USAGES_MAX], n_usages, umin, umax;
	bool has_range;
	uint8_t ids[HID_REPORT_IDS_MAX];
	uint32_t bits[HID_REPORT_IDS_MAX + 1]; /* [0]: reports without an ID */
	unsigned n_ids;
	struct hid_pointer found, cur;
	bool have_found;
};

static uint32_t item_value(const uint8_t *d, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)d[i] << (8 * i);
	return v;
}

static int32_t item_signed(const uint8_t *d, unsigned size)
{
	uint32_t v = item_value(d, size);

	if (size == 1)
		return (int8_t)v;
	if (size == 2)
		return (int16_t)v;
	return (int32_t)v;
}

/* The bit offset slot of the current report ID. */
static long report_slot(struct parser *p, uint32_t **bits)
{
	if (p->g.report_id == 0) {
		*bits = &p->bits[0];
		return E_OK;
	}
	for (unsigned i = 0; i < p->n_ids; i++)
		if (p->ids[i] == p->g.report_id) {
			*bits = &p->bits[i + 1];
			return E_OK;
		}
	if (p->n_ids == HID_REPORT_IDS_MAX)
		return E_RANGE;
	p->ids[p->n_ids] = p->g.report_id;
	*bits = &p->bits[++p->n_ids];
	**bits = 8; /* after the ID byte */
	return E_OK;
}

static uint32_t usage_at(const struct parser *p, uint32_t i)
{
	uint32_t u = 0;

	if (p->has_range && p->umax >= p->umin)
		u = p->umin + (i <= p->umax - p->umin ? i : p->umax - p->umin);
	else if (p->n_usages)
		u = p->usages[i < p->n_usages ? i : p->n_usages - 1];
	return u > 0xFFFF ? u : (p->g.page << 16 | u); /* 4-byte usages carry their page */
}

/* The first X, Y, wheel and buttons 1-3 of report r. */
static void note_field(const struct parser *p, struct hid_pointer *r, uint32_t usage,
		       uint32_t offset, bool relative)
{
	struct hid_field f = {(uint16_t)offset, (uint16_t)p->g.size, p->g.lmin, p->g.lmax,
			      relative};
	uint32_t page = usage >> 16, id = usage & 0xFFFF;

	if (page == PAGE_DESKTOP && id == USAGE_X && !r->x.size)
		r->x = f;
	else if (page == PAGE_DESKTOP && id == USAGE_Y && !r->y.size)
		r->y = f;
	else if (page == PAGE_DESKTOP && id == USAGE_WHEEL && !r->wheel.size)
		r->wheel = f;
	else if (page == PAGE_BUTTON && id >= 1 && id <= HID_BUTTONS && !r->button[id - 1].size)
		r->button[id - 1] = f;
}

static long main_input(struct parser *p, uint32_t flags)
{
	uint32_t *bits;
	long err = report_slot(p, &bits);

	if (err < 0)
		return err;
	if (p->g.size * p->g.count > HID_REPORT_BITS_MAX - *bits)
		return E_RANGE;
	/* Until a report with X and Y is found, the current one is collected; then only that one.
	 */
	struct hid_pointer *r = p->have_found ? &p->found : &p->cur;
	if (r->report_id != p->g.report_id) {
		if (p->have_found)
			r = NULL;
		else
			memset(r, 0, sizeof(*r)), r->report_id = p->g.report_id;
	}
	bool constant = flags & 1, variable = flags & 2;
	for (uint32_t i = 0; r && !constant && variable && p->g.size <= 32 && i < p->g.count; i++)
		note_field(p, r, usage_at(p, i), *bits + i * p->g.size, flags & 4);
	*bits += p->g.size * p->g.count;
	if (r)
		r->report_bytes = (uint16_t)((*bits + 7) / 8);
	if (!p->have_found && p->cur.x.size && p->cur.y.size) {
		p->have_found = true;
		p->found = p->cur;
	}
	return E_OK;
}

static void clear_locals(struct parser *p)
{
	p->n_usages = 0;
	p->has_range = false;
	p->umin = p->umax = 0;
}

static long main_item(struct parser *p, unsigned tag, uint32_t v)
{
	long err = E_OK;

	if (tag == 0x8) /* Input */
		err = main_input(p, v);
	else if (tag == 0xA && ++p->depth > HID_NEST_MAX) /* Collection */
		err = E_RANGE;
	else if (tag == 0xC && p->depth-- == 0) /* End Collection */
		err = E_INVAL;
	else if (tag == 0x9 || tag == 0xB) { /* Output, Feature: they occupy no input bits */
	}
	clear_locals(p);
	return err;
}

static long global_item(struct parser *p, unsigned tag, const uint8_t *d, unsigned size)
{
	uint32_t v = item_value(d, size);

	switch (tag) {
	case 0x0:
		p->g.page = v & 0xFFFF;
		return E_OK;
	case 0x1:
		p->g.lmin = item_signed(d, size);
		return E_OK;
	case 0x2:
		p->g.lmax = size == 4 || p->g.lmin < 0 ? item_signed(d, size) : (int32_t)v;
		return E_OK;
	case 0x7:
		p->g.size = v;
		return v > 32 * 8 ? E_RANGE : E_OK;
	case 0x8:
		p->g.report_id = (uint8_t)v;
		return v == 0 || v > 255 ? E_INVAL : E_OK;
	case 0x9:
		p->g.count = v;
		return v > HID_REPORT_BITS_MAX ? E_RANGE : E_OK;
	case 0xA:
		if (p->pushed == HID_PUSH_MAX)
			return E_RANGE;
		p->stack[p->pushed++] = p->g;
		return E_OK;
	case 0xB:
		if (p->pushed == 0)
			return E_INVAL;
		p->g = p->stack[--p->pushed];
		return E_OK;
	default:
		return E_OK; /* physical extents, unit, exponent: not needed */
	}
}

static void local_item(struct parser *p, unsigned tag, uint32_t v, unsigned size)
{
	if (size < 4 && tag <= 2)
		v &= 0xFFFF; /* a short usage is on the current page */
	if (tag == 0x0 && p->n_usages < USAGES_MAX)
		p->usages[p->n_usages++] = v;
	else if (tag == 0x1)
		p->umin = v, p->has_range = true;
	else if (tag == 0x2)
		p->umax = v, p->has_range = true;
}

static long item(struct parser *p, const uint8_t *d, unsigned size)
{
	unsigned type = (d[0] >> 2) & 3, tag = d[0] >> 4;

	if (type == 0)
		return main_item(p, tag, item_value(d + 1, size));
	if (type == 1)
		return global_item(p, tag, d + 1, size);
	if (type == 2)
		local_item(p, tag, item_value(d + 1, size), size);
	return E_OK; /* reserved type: skipped */
}

long hid_parse_pointer(const uint8_t *desc, size_t n, struct hid_pointer *out)
{
	static struct parser p; /* one parse at a time: the driver thread */

	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > HID_REPORT_DESC_MAX)
		return E_RANGE;
	for (size_t at = 0; at < n;) {
		if (desc[at] == 0xFE) { /* long item: skipped whole */
			if (n - at < 3 || desc[at + 1] > n - at - 3)
				return E_INVAL;
			at += 3u + desc[at + 1];
			continue;
		}
		unsigned size = desc[at] & 3;
		size = size == 3 ? 4 : size;
		if (size > n - at - 1)
			return E_INVAL;
		long err = item(&p, desc + at, size);
		if (err < 0)
			return err;
		at += 1 + size;
	}
	if (p.depth != 0)
		return E_INVAL;
	if (!p.have_found)
		return E_NOENT;
	if (p.found.x.relative != p.found.y.relative)
		return E_INVAL;
	if (!p.found.x.relative &&
	    (p.found.x.lmax <= p.found.x.lmin || p.found.y.lmax <= p.found.y.lmin))
		return E_INVAL; /* an absolute axis needs a range to scale */
	*out = p.found;
	return E_OK;
}

bool hid_field_value(const struct hid_field *f, const uint8_t *report, size_t len, int32_t *v)
{
	uint32_t raw = 0;

	if (f->size == 0 || f->size > 32 || (size_t)f->offset + f->size > len * 8)
		return false;
	for (unsigned i = 0; i < f->size; i++) {
		unsigned bit = f->offset + i;
		raw |= (uint32_t)((report[bit / 8] >> (bit % 8)) & 1) << i;
	}
	if (f->lmin < 0 && f->size < 32 && (raw >> (f->size - 1)) & 1)
		raw |= ~0u << f->size; /* sign-extend */
	*v = (int32_t)raw;
	return true;
}

/* An absolute value scaled from the field's logical range to 0..INPUT_ABS_MAX. */
static int32_t scale_abs(const struct hid_field *f, int32_t v)
{
	int64_t range = (int64_t)f->lmax - f->lmin, at = (int64_t)v - f->lmin;

	if (at <= 0)
		return 0;
	if (at >= range)
		return INPUT_ABS_MAX;
	return (int32_t)((at * INPUT_ABS_MAX + range / 2) / range);
}

static uint8_t buttons_of(const struct hid_pointer *p, const uint8_t *report, size_t len)
{
	uint8_t b = 0;
	int32_t v;

	for (unsigned i = 0; i < HID_BUTTONS; i++)
		if (hid_field_value(&p->button[i], report, len, &v) && v)
			b |= (uint8_t)(1u << i);
	return b;
}

static uint32_t motion(const struct hid_pointer *p, struct hid_pointer_state *st, int32_t x,
		       int32_t y, struct input_event *ev)
{
	if (p->x.relative) {
		if (x == 0 && y == 0)
			return 0;
		*ev = (struct input_event){.type = INPUT_REL, .x = x, .y = y};
		return 1;
	}
	x = scale_abs(&p->x, x);
	y = scale_abs(&p->y, y);
	if (st->have_position && x == st->x && y == st->y)
		return 0;
	st->x = x, st->y = y, st->have_position = true;
	*ev = (struct input_event){.type = INPUT_ABS, .x = x, .y = y};
	return 1;
}

uint32_t hid_pointer_report(const struct hid_pointer *p, struct hid_pointer_state *st,
			    const uint8_t *report, size_t len, struct input_event *ev, uint32_t max)
{
	int32_t x, y, wheel;
	uint32_t n = 0;

	if (max < 2 + HID_BUTTONS || (p->report_id && (len == 0 || report[0] != p->report_id)))
		return 0; /* another report of the device */
	if (!hid_field_value(&p->x, report, len, &x) || !hid_field_value(&p->y, report, len, &y))
		return 0; /* too short */
	n += motion(p, st, x, y, ev);
	uint8_t buttons = buttons_of(p, report, len), changed = buttons ^ st->buttons;
	for (unsigned i = 0; i < HID_BUTTONS; i++)
		if (changed & (1u << i))
			ev[n++] = (struct input_event){.type = INPUT_BUTTON,
						       .action = (buttons >> i) & 1,
						       .code = (uint16_t)(INPUT_BTN_LEFT + i)};
	st->buttons = buttons;
	if (hid_field_value(&p->wheel, report, len, &wheel) && wheel)
		ev[n++] = (struct input_event){.type = INPUT_WHEEL, .y = wheel};
	return n;
}
