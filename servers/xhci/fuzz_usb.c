/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the xHCI driver's parsers of device data (usb.h):
 * one input is read as a report descriptor (and, when it parses, the
 * input's tail as reports of that layout), as a configuration, device,
 * hub and string descriptor, and as boot keyboard reports. Built with
 * clang-14 -fsanitize=fuzzer,address,undefined when clang is there; the
 * suite's `fuzz-usb` runs it a bounded number of times from the corpus
 * in fuzz_corpus/ (descriptors written from the USB and HID specs), and
 * `build/servers/xhci/fuzz_usb DIR` runs it for as long as one likes.
 */
#include <stddef.h>
#include <stdint.h>

#include "usb.h"

static void pointer(const uint8_t *data, size_t size)
{
	struct hid_pointer p;
	struct hid_pointer_state st = {0};
	struct input_event ev[8];

	if (hid_parse_pointer(data, size, &p) != 0)
		return;
	for (size_t at = 0; at < size; at += 7) /* the input again, as reports */
		hid_pointer_report(&p, &st, data + at, size - at, ev, 8);
}

static void descriptors(const uint8_t *data, size_t size)
{
	struct usb_hid_iface h[USB_HID_IFACES_MAX];
	struct usb_device_info d;
	uint32_t count, ms;
	uint8_t ports;
	char text[32];

	usb_parse_config(data, size, h, USB_HID_IFACES_MAX, &count);
	usb_parse_device(data, size, &d);
	usb_parse_hub(data, size, &ports, &ms);
	usb_parse_string(data, size, text, sizeof(text));
}

static void keyboard(const uint8_t *data, size_t size)
{
	struct kbd_state k = {.layout = size & 1 ? INPUT_LAYOUT_JP : INPUT_LAYOUT_US};
	struct input_event ev[KBD_EVENTS_MAX];
	bool leds;

	for (size_t at = 0; at + 8 <= size; at += 8)
		kbd_report(&k, data + at, 8, ev, KBD_EVENTS_MAX, &leds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pointer(data, size);
	descriptors(data, size);
	keyboard(data, size);
	return 0;
}
