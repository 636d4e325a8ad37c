/* SPDX-License-Identifier: MIT */
/*
 * USB descriptors (USB 2.0 chapter 9, HID 1.11 section 6.2.1) and the HID
 * parts of the xHCI driver that are pure C: the device and configuration
 * descriptor parsers (desc.c), the report descriptor parser and pointer
 * report decoder (hid.c), and the boot keyboard with its keymaps (kbd.c).
 * Every byte they read came from a device and is treated as hostile: a
 * malformed descriptor gives E_INVAL (or E_RANGE for sizes past the limits
 * below), never a read outside the buffer. Host tests: test_usb_desc.c,
 * test_hid.c, test_kbd.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/input.h"

#define USB_DESC_DEVICE	   1
#define USB_DESC_CONFIG	   2
#define USB_DESC_STRING	   3
#define USB_DESC_INTERFACE 4
#define USB_DESC_ENDPOINT  5
#define USB_DESC_HID	   0x21
#define USB_DESC_REPORT	   0x22
#define USB_DESC_HUB	   0x29
#define USB_CLASS_HID	   3
#define USB_CLASS_HUB	   9

struct usb_device_info {
	uint16_t bcd_usb, vendor, product;
	uint8_t class_code, subclass, protocol, mps0_raw, configs, i_product;
};

/* One HID (or hub) interface with its interrupt IN endpoint. */
struct usb_hid_iface {
	uint8_t number, class_code, subclass, protocol, ep_addr, interval, config_value;
	uint16_t ep_mps, report_len; /* report_len: HID only */
};
#define USB_HID_IFACES_MAX 4

/* The first 8 or all 18 bytes of a device descriptor (8: only mps0_raw is set). */
long usb_parse_device(const uint8_t *b, size_t n, struct usb_device_info *out);
/* EP0's max packet size from bMaxPacketSize0 at a port speed (1 FS, 2 LS, 3 HS, 4+ SS); 0: bad. */
uint16_t usb_ep0_mps(uint8_t raw, uint8_t speed);
/* The HID and hub interfaces of a configuration descriptor of n bytes (wTotalLength checked). */
long usb_parse_config(const uint8_t *b, size_t n, struct usb_hid_iface *out, uint32_t max,
		      uint32_t *count);
/* A hub descriptor (USB 2.0 11.23.2.1): its port count (1-15) and power-on time in ms. */
long usb_parse_hub(const uint8_t *b, size_t n, uint8_t *ports, uint32_t *power_ms);
/* A string descriptor (UTF-16LE) as ASCII ('?' for the rest), NUL-terminated. */
long usb_parse_string(const uint8_t *b, size_t n, char *out, size_t size);

/* Where one value sits in a report. */
struct hid_field {
	uint16_t offset, size; /* bits; size 0: absent */
	int32_t lmin, lmax;
	bool relative;
};
#define HID_BUTTONS 3

/* A mouse or tablet: the report (by ID) holding X and Y, as the parser found it. */
struct hid_pointer {
	uint8_t report_id; /* 0: reports carry no ID */
	uint16_t report_bytes;
	struct hid_field x, y, wheel, button[HID_BUTTONS];
};
#define HID_REPORT_DESC_MAX 4096 /* bytes of a report descriptor */
#define HID_REPORT_BITS_MAX 4096 /* bits of one report */
#define HID_NEST_MAX	    16	 /* collections within collections */
#define HID_PUSH_MAX	    4	 /* Push without Pop */
#define HID_REPORT_IDS_MAX  16

/* Parse a report descriptor; E_NOENT: valid, but no X and Y in it. */
long hid_parse_pointer(const uint8_t *desc, size_t n, struct hid_pointer *out);
/* Unpack a field's value (sign-extended when lmin < 0); false if it lies past len bytes. */
bool hid_field_value(const struct hid_field *f, const uint8_t *report, size_t len, int32_t *v);

/* Pointer state kept between reports, to report changes only. */
struct hid_pointer_state {
	int32_t x, y;
	uint8_t buttons;
	bool have_position;
};
/* The events one report makes (at most `max`), each stamped by the caller. */
uint32_t hid_pointer_report(const struct hid_pointer *p, struct hid_pointer_state *st,
			    const uint8_t *report, size_t len, struct input_event *ev,
			    uint32_t max);

/* Boot keyboard state: the last report and the lock keys. */
struct kbd_state {
	uint8_t last[8];
	uint16_t locks; /* INPUT_MOD_CAPS, INPUT_MOD_NUM */
	enum input_layout layout;
};
#define KBD_EVENTS_MAX 20 /* 8 modifiers, 6 keys up and 6 down */
/* The key events one 8-byte boot report makes; *leds_changed when a lock key toggled. */
uint32_t kbd_report(struct kbd_state *k, const uint8_t *report, size_t len, struct input_event *ev,
		    uint32_t max, bool *leds_changed);
/* The LED output report byte for the lock state (bit 0 Num, bit 1 Caps). */
uint8_t kbd_leds(const struct kbd_state *k);
/* Fill key code and text for a key press of `usage` with modifiers `mods` (input.h). */
void kbd_translate(enum input_layout layout, uint16_t usage, uint16_t mods, uint16_t *key,
		   char text[7]);
