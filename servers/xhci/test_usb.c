/* SPDX-License-Identifier: MIT */
/*
 * Host test of the xHCI driver's pure parts (usb.h): the device,
 * configuration and string descriptor parsers, the HID report descriptor
 * parser and pointer reports, the boot keyboard and its US and JP keymaps.
 * The descriptors are written here from the USB and HID specifications
 * (a tablet, a relative mouse with a report ID, a boot keyboard's
 * configuration), then broken on purpose: zero and oversized lengths,
 * truncation, more interfaces than declared, absurd report sizes and
 * counts, nesting and Push past the limits. Last, a bounded seeded fuzz
 * run mutates the good descriptors and decodes random reports through
 * whatever parsed (under ASan/UBSan: any read out of bounds fails it).
 */
#include <string.h>

#include "check.h"
#include "rng.h"
#include "sys/errors.h"
#include "usb.h"

#define FUZZ_ROUNDS 20000

/* Buttons 1-3, 5 bits padding, X and Y 0..32767 absolute, a relative wheel. */
static const uint8_t tablet[] = {
	0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0x05, 0x09, 0x19,
	0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03, 0x75, 0x01, 0x81, 0x02,
	0x95, 0x01, 0x75, 0x05, 0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15,
	0x00, 0x26, 0xFF, 0x7F, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0x09, 0x38, 0x15,
	0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x01, 0x81, 0x06, 0xC0, 0xC0,
};
/* Report ID 2: buttons, then X, Y and wheel as signed relative bytes; ID 3 a vendor report first.
 */
static const uint8_t mouse[] = {
	0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x03, 0x75, 0x08, 0x95, 0x04, 0x81,
	0x02, 0xC0, 0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x09, 0x01, 0xA1, 0x00,
	0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03, 0x75, 0x01,
	0x81, 0x02, 0x95, 0x01, 0x75, 0x05, 0x81, 0x03, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31,
	0x09, 0x38, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x03, 0x81, 0x06, 0xC0, 0xC0,
};
/* Configuration 1: one interface, HID boot keyboard, HID descriptor (report 63 bytes), EP 1 IN. */
static const uint8_t kbd_config[] = {
	9, 2,	 34,   0,    1, 1, 0,	 0xA0, 50, /* configuration */
	9, 4,	 0,    0,    1, 3, 1,	 1,    0,  /* interface 0: HID, boot, keyboard */
	9, 0x21, 0x11, 0x01, 0, 1, 0x22, 63,   0,  /* HID, one report descriptor of 63 bytes */
	7, 5,	 0x81, 3,    8, 0, 10,		   /* endpoint 1 IN, interrupt, 8 bytes, 10 ms */
};
static const uint8_t device[18] = {18,	 1,    0x00, 0x02, 0, 0, 0, 8, 0x27,
				   0x06, 0x01, 0x00, 0,	   0, 1, 2, 3, 1};

static void test_device(void)
{
	struct usb_device_info d;
	uint8_t b[18];

	CHECK_EQ(usb_parse_device(device, 18, &d), E_OK);
	CHECK_EQ(d.vendor, 0x0627);
	CHECK_EQ(d.product, 1);
	CHECK_EQ(d.i_product, 2);
	CHECK_EQ(usb_parse_device(device, 8, &d), E_OK);
	CHECK_EQ(d.mps0_raw, 8);
	CHECK_EQ(usb_parse_device(device, 7, &d), E_INVAL);
	memcpy(b, device, 18);
	b[0] = 0;
	CHECK_EQ(usb_parse_device(b, 18, &d), E_INVAL);
	b[0] = 18, b[1] = 2;
	CHECK_EQ(usb_parse_device(b, 18, &d), E_INVAL);
	b[1] = 1, b[17] = 0; /* no configuration */
	CHECK_EQ(usb_parse_device(b, 18, &d), E_INVAL);
	CHECK_EQ(usb_ep0_mps(8, 1), 8);
	CHECK_EQ(usb_ep0_mps(64, 1), 64);
	CHECK_EQ(usb_ep0_mps(7, 1), 0);
	CHECK_EQ(usb_ep0_mps(64, 2), 0); /* low speed is 8 */
	CHECK_EQ(usb_ep0_mps(9, 4), 512);
	CHECK_EQ(usb_ep0_mps(0, 3), 0);
}

static long config(const uint8_t *b, size_t n, struct usb_hid_iface *h, uint32_t *count)
{
	return usb_parse_config(b, n, h, 1, count);
}

static void test_config(void)
{
	struct usb_hid_iface h;
	uint32_t count;
	uint8_t b[sizeof(kbd_config) + 9];

	CHECK_EQ(config(kbd_config, sizeof(kbd_config), &h, &count), E_OK);
	CHECK_EQ(count, 1);
	CHECK_EQ(h.protocol, 1);
	CHECK_EQ(h.ep_addr, 0x81);
	CHECK_EQ(h.ep_mps, 8);
	CHECK_EQ(h.report_len, 63);
	CHECK_EQ(h.config_value, 1);
	CHECK_EQ(config(kbd_config, sizeof(kbd_config) - 1, &h, &count),
		 E_INVAL); /* wTotalLength */
	memcpy(b, kbd_config, sizeof(kbd_config));
	b[9] = 0; /* a zero bLength */
	CHECK_EQ(config(b, sizeof(kbd_config), &h, &count), E_INVAL);
	memcpy(b, kbd_config, sizeof(kbd_config));
	b[27] = 200; /* past the end */
	CHECK_EQ(config(b, sizeof(kbd_config), &h, &count), E_INVAL);
	memcpy(b, kbd_config, sizeof(kbd_config));
	b[23] = 0; /* HID descriptor naming no class descriptor */
	CHECK_EQ(config(b, sizeof(kbd_config), &h, &count), E_INVAL);
	memcpy(b, kbd_config, sizeof(kbd_config));
	b[31] = 0; /* endpoint of 0 bytes */
	CHECK_EQ(config(b, sizeof(kbd_config), &h, &count), E_INVAL);
	memcpy(b, kbd_config, sizeof(kbd_config));
	memcpy(b + sizeof(kbd_config), kbd_config + 9, 9); /* a second interface, one declared */
	b[2] = sizeof(b), b[11] = 0;
	b[sizeof(kbd_config) + 2] = 1;
	CHECK_EQ(config(b, sizeof(b), &h, &count), E_INVAL);
	b[4] = 2; /* now declared */
	CHECK_EQ(config(b, sizeof(b), &h, &count), E_OK);
}

static void test_hub(void)
{
	/* A hub's configuration: interface of class 9, its status change endpoint (1 byte). */
	static const uint8_t cfg[] = {9, 2, 25, 0, 1, 1, 0, 0xE0, 0, 9, 4, 0,  0,
				      1, 9, 0,	0, 0, 7, 5, 0x81, 3, 1, 0, 255};
	static const uint8_t desc[] = {9, 0x29, 8, 0, 0, 10, 0, 0, 0xFF};
	struct usb_hid_iface h;
	uint32_t count, ms;
	uint8_t ports, b[sizeof(desc)];

	CHECK_EQ(usb_parse_config(cfg, sizeof(cfg), &h, 1, &count), E_OK);
	CHECK_EQ(count, 1);
	CHECK_EQ(h.class_code, USB_CLASS_HUB);
	CHECK_EQ(h.ep_mps, 1);
	CHECK_EQ(usb_parse_hub(desc, sizeof(desc), &ports, &ms), E_OK);
	CHECK_EQ(ports, 8);
	CHECK_EQ(ms, 20);
	CHECK_EQ(usb_parse_hub(desc, 6, &ports, &ms), E_INVAL); /* short */
	memcpy(b, desc, sizeof(b));
	b[2] = 0; /* no ports */
	CHECK_EQ(usb_parse_hub(b, sizeof(b), &ports, &ms), E_INVAL);
	b[2] = 16; /* more than a route string can name */
	CHECK_EQ(usb_parse_hub(b, sizeof(b), &ports, &ms), E_INVAL);
	b[2] = 4, b[0] = 200; /* bLength past the data */
	CHECK_EQ(usb_parse_hub(b, sizeof(b), &ports, &ms), E_INVAL);
}

static void test_string(void)
{
	static const uint8_t s[] = {10, 3, 'Q', 0, 'E', 0, 'M', 0, 0xAC, 0x20};
	char out[8];

	CHECK_EQ(usb_parse_string(s, sizeof(s), out, sizeof(out)), E_OK);
	CHECK(strcmp(out, "QEM?") == 0);
	CHECK_EQ(usb_parse_string(s, sizeof(s), out, 3), E_OK);
	CHECK(strcmp(out, "QE") == 0);
	CHECK_EQ(usb_parse_string(s, 9, out, sizeof(out)), E_INVAL); /* bLength past the data */
	uint8_t odd[] = {3, 3, 'A'};
	CHECK_EQ(usb_parse_string(odd, 3, out, sizeof(out)), E_INVAL);
}

static void test_tablet(void)
{
	struct hid_pointer p;
	struct hid_pointer_state st = {0};
	struct input_event ev[8];
	const uint8_t r1[] = {0x01, 0xFF, 0x3F, 0x00, 0x40, 0x00},
		      r2[] = {0x00, 0xFF, 0x7F, 0, 0, 0xFF};

	CHECK_EQ(hid_parse_pointer(tablet, sizeof(tablet), &p), E_OK);
	CHECK_EQ(p.report_id, 0);
	CHECK_EQ(p.x.offset, 8);
	CHECK_EQ(p.x.size, 16);
	CHECK_EQ(p.y.offset, 24);
	CHECK(!p.x.relative);
	CHECK_EQ(p.wheel.offset, 40);
	CHECK(p.wheel.relative);
	CHECK_EQ(p.button[2].offset, 2);
	CHECK_EQ(hid_pointer_report(&p, &st, r1, sizeof(r1), ev, 8), 2);
	CHECK_EQ(ev[0].type, INPUT_ABS);
	CHECK_EQ(ev[0].x, 0x3FFF);
	CHECK_EQ(ev[0].y, 0x4000);
	CHECK_EQ(ev[1].type, INPUT_BUTTON);
	CHECK_EQ(ev[1].code, INPUT_BTN_LEFT);
	CHECK_EQ(ev[1].action, INPUT_PRESS);
	CHECK_EQ(hid_pointer_report(&p, &st, r1, sizeof(r1), ev, 8), 0); /* nothing changed */
	CHECK_EQ(hid_pointer_report(&p, &st, r2, sizeof(r2), ev, 8), 3);
	CHECK_EQ(ev[0].x, INPUT_ABS_MAX);
	CHECK_EQ(ev[1].action, INPUT_RELEASE);
	CHECK_EQ(ev[2].type, INPUT_WHEEL);
	CHECK_EQ(ev[2].y, -1);
	CHECK_EQ(hid_pointer_report(&p, &st, r1, 4, ev, 8), 0);	    /* too short for Y */
	CHECK_EQ(input_abs_to_pixel(INPUT_ABS_MAX / 2, 1024), 511); /* 511.49 */
	for (int x = 0; x < 1024; x++) /* what QMP sends for pixel x comes back as x */
		CHECK_EQ(input_abs_to_pixel(x * INPUT_ABS_MAX / 1023, 1024), x);
}

static void test_mouse(void)
{
	struct hid_pointer p;
	struct hid_pointer_state st = {0};
	struct input_event ev[8];
	const uint8_t r[] = {0x02, 0x04, 0x05, 0xFB, 0x01}, other[] = {0x03, 1, 2, 3, 4};

	CHECK_EQ(hid_parse_pointer(mouse, sizeof(mouse), &p), E_OK);
	CHECK_EQ(p.report_id, 2);
	CHECK_EQ(p.x.offset, 16);
	CHECK_EQ(p.y.offset, 24);
	CHECK_EQ(p.wheel.offset, 32);
	CHECK(p.x.relative);
	CHECK_EQ(hid_pointer_report(&p, &st, r, sizeof(r), ev, 8), 3);
	CHECK_EQ(ev[0].type, INPUT_REL);
	CHECK_EQ(ev[0].x, 5);
	CHECK_EQ(ev[0].y, -5);
	CHECK_EQ(ev[1].code, INPUT_BTN_MIDDLE);
	CHECK_EQ(ev[2].y, 1);
	CHECK_EQ(hid_pointer_report(&p, &st, other, sizeof(other), ev, 8), 0); /* another report */
}

static long parse_with(const uint8_t *prefix, size_t n)
{
	struct hid_pointer p;
	uint8_t b[HID_REPORT_DESC_MAX];

	memcpy(b, prefix, n);
	memcpy(b + n, tablet, sizeof(tablet));
	return hid_parse_pointer(b, n + sizeof(tablet), &p);
}

static void test_hostile_reports(void)
{
	struct hid_pointer p;
	uint8_t b[64];

	CHECK_EQ(hid_parse_pointer(tablet, 0, &p), E_RANGE);
	CHECK_EQ(hid_parse_pointer(tablet, sizeof(tablet) - 1, &p), E_INVAL); /* unclosed */
	CHECK_EQ(hid_parse_pointer(tablet, 42, &p), E_INVAL);		      /* 2-byte item cut */
	CHECK_EQ(hid_parse_pointer(tablet, HID_REPORT_DESC_MAX + 1, &p), E_RANGE);
	CHECK_EQ(parse_with((const uint8_t[]){0xC0}, 1), E_INVAL);    /* End without start */
	CHECK_EQ(parse_with((const uint8_t[]){0x75, 0xFF}, 2), E_OK); /* size 255 bits... */
	CHECK_EQ(parse_with((const uint8_t[]){0x76, 0x01, 0x01}, 3),
		 E_RANGE); /* ...257 is absurd */
	CHECK_EQ(parse_with((const uint8_t[]){0x97, 0, 0, 1, 0}, 5), E_RANGE); /* count 65536 */
	CHECK_EQ(parse_with((const uint8_t[]){0x75, 32, 0x95, 200, 0x81, 2}, 6), E_RANGE);
	CHECK_EQ(parse_with((const uint8_t[]){0x85, 0}, 2), E_INVAL); /* report ID 0 */
	CHECK_EQ(parse_with((const uint8_t[]){0xB4}, 1), E_INVAL);    /* Pop, no Push */
	memset(b, 0xA4, HID_PUSH_MAX + 1);			      /* Push x5 */
	CHECK_EQ(parse_with(b, HID_PUSH_MAX + 1), E_RANGE);
	memset(b, 0, sizeof(b));
	for (int i = 0; i <= HID_NEST_MAX; i++)
		b[2 * i] = 0xA1;
	CHECK_EQ(parse_with(b, 2 * (HID_NEST_MAX + 1)), E_RANGE);
	CHECK_EQ(parse_with((const uint8_t[]){0xFE, 10, 0}, 3), E_INVAL); /* long item overrun */
	CHECK_EQ(hid_parse_pointer(tablet, 26, &p) == E_NOENT ||
			 hid_parse_pointer(tablet, 26, &p) == E_INVAL,
		 1);
	memcpy(b, tablet, sizeof(tablet));
	b[42] = 0x00; /* X/Y logical max 0x7F00 -> 0x0000: no range to scale */
	b[41] = 0x00;
	CHECK_EQ(hid_parse_pointer(b, sizeof(tablet), &p), E_INVAL);
	struct hid_field f = {.offset = 40, .size = 16};
	int32_t v;
	CHECK(!hid_field_value(&f, b, 6, &v)); /* past the report */
	f.size = 33;
	CHECK(!hid_field_value(&f, b, 64, &v));
}

static uint32_t type(struct kbd_state *k, const uint8_t r[8], struct input_event *ev, bool *leds)
{
	return kbd_report(k, r, 8, ev, KBD_EVENTS_MAX, leds);
}

static void test_keyboard(void)
{
	struct kbd_state k = {0};
	struct input_event ev[KBD_EVENTS_MAX];
	bool leds;

	CHECK_EQ(type(&k, (const uint8_t[8]){0, 0, 0x04}, ev, &leds), 1);
	CHECK(strcmp(ev[0].text, "a") == 0);
	CHECK_EQ(ev[0].key, 'a');
	CHECK_EQ(type(&k, (const uint8_t[8]){2, 0, 0x04, 0x1F}, ev, &leds), 2);
	CHECK_EQ(ev[0].code, 0xE1); /* left shift down */
	CHECK(strcmp(ev[1].text, "@") == 0);
	CHECK_EQ(type(&k, (const uint8_t[8]){0, 0, 1, 1, 1, 1, 1, 1}, ev, &leds), 0); /* rollover */
	CHECK_EQ(type(&k, (const uint8_t[8]){0}, ev, &leds), 3);
	CHECK_EQ(ev[1].action, INPUT_RELEASE);
	CHECK_EQ(type(&k, (const uint8_t[8]){0, 0, 0x39}, ev, &leds), 1);
	CHECK(leds);
	CHECK_EQ(kbd_leds(&k), 2);
	CHECK_EQ(type(&k, (const uint8_t[8]){0, 0, 0x39, 0x05}, ev, &leds), 1);
	CHECK(strcmp(ev[0].text, "B") == 0);
	CHECK(!leds);
	CHECK_EQ(kbd_report(&k, (const uint8_t[8]){0}, 7, ev, KBD_EVENTS_MAX, &leds), 0);
	k = (struct kbd_state){.layout = INPUT_LAYOUT_JP};
	type(&k, (const uint8_t[8]){0, 0, 0x89}, ev, &leds);
	CHECK(strcmp(ev[0].text, "\xC2\xA5") == 0); /* yen */
	type(&k, (const uint8_t[8]){0}, ev, &leds);
	type(&k, (const uint8_t[8]){2, 0, 0x1F}, ev, &leds);
	CHECK(strcmp(ev[1].text, "\"") == 0);
	type(&k, (const uint8_t[8]){0}, ev, &leds);
	type(&k, (const uint8_t[8]){2, 0, 0x87}, ev, &leds);
	CHECK(strcmp(ev[1].text, "_") == 0); /* ro, shifted */
	type(&k, (const uint8_t[8]){0}, ev, &leds);
	type(&k, (const uint8_t[8]){0, 0, 0x8A}, ev, &leds);
	CHECK_EQ(ev[0].key, 0x100 + 0x8A); /* henkan: a key, no text */
	CHECK_EQ(ev[0].action, INPUT_PRESS);
	CHECK(ev[0].text[0] == 0);
}

/* Mutate a good descriptor a few bytes at a time and cut it anywhere. */
static size_t mutate(uint32_t *rng, const uint8_t *good, size_t n, uint8_t *out)
{
	memcpy(out, good, n);
	for (uint32_t i = 0, flips = 1 + xorshift32(rng) % 4; i < flips; i++)
		out[xorshift32(rng) % n] = (uint8_t)xorshift32(rng);
	return xorshift32(rng) % 4 ? n : xorshift32(rng) % (n + 1);
}

static void test_fuzz(void)
{
	static const struct {
		const uint8_t *b;
		size_t n;
	} seeds[] = {{tablet, sizeof(tablet)}, {mouse, sizeof(mouse)}};
	uint32_t rng = 0x5EED1234, parsed = 0;
	uint8_t b[128], report[64];
	struct input_event ev[8];

	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		struct hid_pointer p;
		struct hid_pointer_state st = {0};
		struct usb_hid_iface h[2];
		uint32_t count;
		size_t n = mutate(&rng, seeds[round % 2].b, seeds[round % 2].n, b);
		if (hid_parse_pointer(b, n, &p) == E_OK) {
			parsed++;
			CHECK(p.x.size && p.y.size);
			for (size_t i = 0; i < sizeof(report); i++)
				report[i] = (uint8_t)xorshift32(&rng);
			uint32_t len = xorshift32(&rng) % sizeof(report);
			CHECK(hid_pointer_report(&p, &st, report, len, ev, 8) <= 8);
		}
		n = mutate(&rng, kbd_config, sizeof(kbd_config), b);
		if (usb_parse_config(b, n, h, 2, &count) == E_OK)
			CHECK(count <= 2);
	}
	CHECK(parsed > 0); /* the fuzz did reach the decoder */
	printf("fuzz: %d rounds, %u report descriptors parsed\n", FUZZ_ROUNDS, parsed);
}

int main(void)
{
	test_device();
	test_config();
	test_hub();
	test_string();
	test_tablet();
	test_mouse();
	test_hostile_reports();
	test_keyboard();
	test_fuzz();
	return check_summary("usb");
}
