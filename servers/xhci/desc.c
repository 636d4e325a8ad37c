/* SPDX-License-Identifier: MIT */
/*
 * Standard descriptors (USB 2.0 section 9.6): the device descriptor, the
 * configuration descriptor walked for HID interfaces (interface, HID and
 * endpoint descriptors inside it) and string descriptors. Each descriptor
 * is checked before it is read: bLength at least its type's size and no
 * larger than what is left, wTotalLength within what arrived, no more
 * interfaces than bNumInterfaces declares.
 */
#include <string.h>

#include "sys/errors.h"
#include "usb.h"

static uint16_t le16(const uint8_t *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

long usb_parse_device(const uint8_t *b, size_t n, struct usb_device_info *out)
{
	memset(out, 0, sizeof(*out));
	if (n < 8 || b[0] < 18 || b[1] != USB_DESC_DEVICE)
		return E_INVAL;
	out->bcd_usb = le16(b + 2);
	out->class_code = b[4];
	out->subclass = b[5];
	out->protocol = b[6];
	out->mps0_raw = b[7];
	if (n < 18)
		return E_OK;
	out->vendor = le16(b + 8);
	out->product = le16(b + 10);
	out->i_product = b[15];
	out->configs = b[17];
	return out->configs ? E_OK : E_INVAL;
}

uint16_t usb_ep0_mps(uint8_t raw, uint8_t speed)
{
	if (speed >= 4)
		return raw == 9 ? 512 : 0; /* SuperSpeed: 2^9 */
	if (speed == 3)
		return raw == 64 ? 64 : 0;
	if (speed == 2)
		return raw == 8 ? 8 : 0;
	return raw == 8 || raw == 16 || raw == 32 || raw == 64 ? raw : 0;
}

struct walk {
	struct usb_hid_iface *out, *cur;
	uint32_t max, count, interfaces, declared;
	uint8_t config_value;
};

static long on_interface(struct walk *w, const uint8_t *d)
{
	w->cur = NULL;
	if (d[0] < 9)
		return E_INVAL;
	if (d[3] == 0 && ++w->interfaces > w->declared)
		return E_INVAL; /* more interfaces than declared */
	if (d[3] != 0 || (d[5] != USB_CLASS_HID && d[5] != USB_CLASS_HUB) || w->count == w->max)
		return E_OK; /* alternate settings and other classes are not ours */
	w->cur = &w->out[w->count];
	memset(w->cur, 0, sizeof(*w->cur));
	w->cur->number = d[2];
	w->cur->class_code = d[5];
	w->cur->subclass = d[6];
	w->cur->protocol = d[7];
	w->cur->config_value = w->config_value;
	return E_OK;
}

static long on_hid(struct walk *w, const uint8_t *d)
{
	if (d[0] < 9 || d[5] == 0 || d[0] < 6 + 3 * d[5])
		return E_INVAL;
	for (unsigned i = 0; w->cur && i < d[5]; i++)
		if (d[6 + 3 * i] == USB_DESC_REPORT && !w->cur->report_len)
			w->cur->report_len = le16(d + 7 + 3 * i);
	return E_OK;
}

static long on_endpoint(struct walk *w, const uint8_t *d)
{
	if (d[0] < 7)
		return E_INVAL;
	bool interrupt_in = (d[2] & 0x80) && (d[3] & 3) == 3;
	if (!w->cur || !interrupt_in || w->cur->ep_addr)
		return E_OK;
	uint16_t mps = le16(d + 4) & 0x7FF;
	if (mps == 0 || d[6] == 0 || (d[2] & 0x0F) == 0)
		return E_INVAL;
	w->cur->ep_addr = d[2];
	w->cur->ep_mps = mps;
	w->cur->interval = d[6];
	if (w->cur->report_len || w->cur->class_code == USB_CLASS_HUB)
		w->count++; /* complete: (HID descriptor and) its endpoint */
	w->cur = NULL;
	return E_OK;
}

long usb_parse_config(const uint8_t *b, size_t n, struct usb_hid_iface *out, uint32_t max,
		      uint32_t *count)
{
	struct walk w = {.out = out, .max = max};

	*count = 0;
	if (n < 9 || b[0] < 9 || b[1] != USB_DESC_CONFIG || le16(b + 2) > n || le16(b + 2) < 9)
		return E_INVAL;
	n = le16(b + 2);
	w.declared = b[4];
	w.config_value = b[5];
	for (size_t at = b[0]; at < n;) {
		const uint8_t *d = b + at;
		if (n - at < 2 || d[0] < 2 || d[0] > n - at)
			return E_INVAL;
		long err = E_OK;
		if (d[1] == USB_DESC_INTERFACE)
			err = on_interface(&w, d);
		else if (d[1] == USB_DESC_HID)
			err = on_hid(&w, d);
		else if (d[1] == USB_DESC_ENDPOINT)
			err = on_endpoint(&w, d);
		if (err < 0)
			return err;
		at += d[0];
	}
	*count = w.count;
	return E_OK;
}

long usb_parse_hub(const uint8_t *b, size_t n, uint8_t *ports, uint32_t *power_ms)
{
	if (n < 7 || b[0] < 7 || b[0] > n || b[1] != USB_DESC_HUB || b[2] == 0 || b[2] > 15)
		return E_INVAL;
	*ports = b[2];
	*power_ms = 2u * b[5];
	return E_OK;
}

long usb_parse_string(const uint8_t *b, size_t n, char *out, size_t size)
{
	if (size == 0)
		return E_INVAL;
	out[0] = 0;
	if (n < 2 || b[0] < 2 || b[0] > n || b[1] != USB_DESC_STRING || (b[0] & 1))
		return E_INVAL;
	size_t chars = (b[0] - 2u) / 2, i;
	for (i = 0; i < chars && i + 1 < size; i++) {
		uint16_t c = le16(b + 2 + 2 * i);
		out[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	}
	out[i] = 0;
	return E_OK;
}
