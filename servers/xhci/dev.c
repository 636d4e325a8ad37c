/* SPDX-License-Identifier: MIT */
/*
 * USB devices on the root ports (xHCI 1.2 section 4.3, USB 2.0 chapter 9):
 * reset the port (USB 2: PR; USB 3: warm reset if the link is not up),
 * Enable Slot, Address Device with EP0 at the speed's default packet size,
 * read 8 bytes of the device descriptor and fix EP0's packet size with
 * Evaluate Context, then the whole device, configuration and product
 * string descriptors, Set Configuration, and for a HID interface its
 * set-up: a boot keyboard gets SET_PROTOCOL(boot) and SET_IDLE (a stall of
 * either is fine), anything else must have a report descriptor with X and
 * Y. Configure Endpoint adds its interrupt IN endpoint, whose ring keeps
 * XHCI_REPORTS transfers queued. Anything a device gets wrong refuses that
 * device (its slot disabled, its pages freed, one log line); a stalled
 * control request resets EP0 and moves its dequeue pointer past the TD.
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "xhci.h"

#define PORT_CCS     (1u << 0)
#define PORT_PED     (1u << 1)
#define PORT_PR	     (1u << 4)
#define PORT_PP	     (1u << 9)
#define PORT_CHANGES (0x7Fu << 17)
#define PORT_WRC     (1u << 19)
#define PORT_PRC     (1u << 21)
#define PORT_WPR     (1u << 31)
#define PG_OUT	     0
#define PG_IN	     1
#define PG_EP0	     2
#define PG_INTR	     3
#define PG_DATA	     4
#define XFER_TIMEOUT (300 * MS)

static uint32_t *ctx(struct xhci *x, struct usb_dev *d, int page, unsigned index)
{
	return (uint32_t *)((uint8_t *)hc_page(x, d->pages[page]) + index * x->ctx_size);
}

uint64_t dev_data_phys(struct xhci *x, struct usb_dev *d)
{
	return x->phys[d->pages[PG_DATA]];
}

uint8_t *dev_data(struct xhci *x, struct usb_dev *d)
{
	return hc_page(x, d->pages[PG_DATA]);
}

/* The control transfer in flight on some EP0 (one at a time). */
static struct {
	uint8_t slot;
	uint64_t data_trb, status_trb;
	uint32_t residual;
	uint8_t cc;
	bool done;
} ctl;

bool dev_control_slot(uint8_t slot)
{
	return slot == ctl.slot;
}

long dev_recover_ep(struct xhci *x, struct usb_dev *d, uint8_t dci, struct ring *r)
{
	struct completion c;
	long err = hc_command(x, 0, 0, 0, TRB_TYPE(CMD_RESET_EP) | dci << 16 | d->slot << 24u, &c);
	if (err < 0 && c.cc != 19) /* Context State Error: it was not halted */
		return err;
	uint64_t deq = (r->phys + r->index * sizeof(struct trb)) | r->cycle;
	return hc_command(x, (uint32_t)deq, (uint32_t)(deq >> 32), 0,
			  TRB_TYPE(CMD_SET_DEQ) | dci << 16 | d->slot << 24u, &c);
}

long dev_control(struct xhci *x, struct usb_dev *d, uint8_t type, uint8_t request, uint16_t value,
		 uint16_t index, uint16_t len, uint32_t *actual)
{
	bool in = type & 0x80;
	uint32_t trt = len ? (in ? 3 : 2) : 0;
	uint64_t deadline = sys_clock() + XFER_TIMEOUT;

	ctl = (typeof(ctl)){.slot = d->slot, .cc = CC_SUCCESS};
	ring_push(&d->ep0, type | request << 8 | (uint32_t)value << 16, index | (uint32_t)len << 16,
		  8, TRB_TYPE(TRB_SETUP) | TRB_IDT | trt << 16);
	if (len)
		ctl.data_trb =
			ring_push(&d->ep0, (uint32_t)dev_data_phys(x, d),
				  (uint32_t)(dev_data_phys(x, d) >> 32), len,
				  TRB_TYPE(TRB_DATA) | TRB_IOC | TRB_ISP | (in ? 1u << 16 : 0));
	ctl.status_trb = ring_push(&d->ep0, 0, 0, 0,
				   TRB_TYPE(TRB_STATUS) | TRB_IOC | (in && len ? 0 : 1u << 16));
	ctl.residual = len;
	x->db[d->slot] = 1;
	while (!ctl.done) {
		hc_take_events(x);
		if (!ctl.done && x->wait_irq(x, deadline) == E_TIMEOUT)
			return E_TIMEOUT;
	}
	if (actual)
		*actual = len - (ctl.residual < len ? ctl.residual : len);
	if (ctl.cc == CC_SUCCESS || ctl.cc == CC_SHORT)
		return E_OK;
	dev_recover_ep(x, d, 1, &d->ep0);
	return ctl.cc == CC_STALL ? E_INVAL : E_IO;
}

void dev_control_event(uint64_t trb, uint8_t cc, uint32_t residual)
{
	if (trb == ctl.data_trb)
		ctl.residual = residual;
	if (cc != CC_SUCCESS && cc != CC_SHORT)
		ctl.cc = cc, ctl.done = true;
	else if (trb == ctl.status_trb)
		ctl.done = true;
}

static long get_descriptor(struct xhci *x, struct usb_dev *d, uint8_t type, uint8_t index,
			   uint16_t lang, uint16_t len, uint32_t *actual)
{
	memset(dev_data(x, d), 0, REPORT_AT);
	return dev_control(x, d, 0x80, 6, (uint16_t)(type << 8 | index), lang, len, actual);
}

struct usb_dev *dev_by_slot(struct xhci *x, uint8_t slot)
{
	for (int i = 0; i < XHCI_DEVICES; i++)
		if (x->dev[i].used && x->dev[i].slot == slot)
			return &x->dev[i];
	return NULL;
}

static struct usb_dev *dev_by_port(struct xhci *x, uint8_t port)
{
	for (int i = 0; i < XHCI_DEVICES; i++)
		if (x->dev[i].used && x->dev[i].parent < 0 && x->dev[i].port == port)
			return &x->dev[i];
	return NULL;
}

void dev_gone(struct xhci *x, struct usb_dev *d)
{
	printf("xhci: port %u%s: %s %u gone (slot %u freed)\n", d->port, dev_path(d),
	       dev_kind_names[d->kind], d->number, d->slot);
	dev_release(x, d);
}

void dev_release(struct xhci *x, struct usb_dev *d)
{
	struct completion c;

	for (int i = 0; i < XHCI_DEVICES; i++) /* what was behind a hub goes with it */
		if (x->dev[i].used && x->dev[i].parent == d - x->dev)
			dev_gone(x, &x->dev[i]);
	if (d->slot) {
		hc_command(x, 0, 0, 0, TRB_TYPE(CMD_DISABLE) | d->slot << 24u, &c);
		x->dcbaa[d->slot] = 0;
	}
	for (int i = 0; i < 5; i++)
		hc_page_free(x, d->pages[i]);
	if (x->repeating && x->repeat_ev.device == d->number)
		x->repeating = false;
	sys_lock(&x->devices_lock);
	d->used = false;
	sys_unlock(&x->devices_lock);
}

static long refuse(struct xhci *x, struct usb_dev *d, const char *what, long err)
{
	printf("xhci: port %u%s: device refused: %s (%s)\n", d->port, dev_path(d), what,
	       sys_error_name(err));
	dev_release(x, d);
	return err;
}

static long wait_port(struct xhci *x, unsigned port, uint32_t bits)
{
	uint64_t deadline = sys_clock() + XFER_TIMEOUT;

	while (!(*hc_portsc(x, port) & bits)) {
		hc_take_events(x);
		if (!(*hc_portsc(x, port) & bits) && x->wait_irq(x, deadline) == E_TIMEOUT)
			return E_TIMEOUT;
	}
	return E_OK;
}

/* Reset the port until it is enabled; its speed (PORTSC bits 10-13) in *speed. */
static long reset_port(struct xhci *x, unsigned port, uint8_t *speed)
{
	volatile uint32_t *sc = hc_portsc(x, port);
	long err = E_OK;

	if (x->port_major[port] == 3 && !(*sc & PORT_PED)) {
		*sc = PORT_PP | PORT_WPR;
		err = wait_port(x, port, PORT_WRC | PORT_PRC);
	} else if (x->port_major[port] != 3) {
		*sc = PORT_PP | PORT_PR;
		err = wait_port(x, port, PORT_PRC);
	}
	*sc = PORT_PP | (*sc & PORT_CHANGES);
	*speed = (uint8_t)((*sc >> 10) & 0xF);
	if (err == E_OK && !(*sc & PORT_PED))
		err = E_IO;
	return err;
}

static uint16_t default_mps0(uint8_t speed)
{
	return speed >= 4 ? 512 : speed == 3 ? 64 : 8;
}

static void fill_ep0(struct xhci *x, struct usb_dev *d, uint32_t *ep)
{
	uint64_t deq = d->ep0.phys | 1;

	ep[1] = 3u << 1 | 4u << 3 | (uint32_t)d->mps0 << 16; /* CErr 3, control */
	ep[2] = (uint32_t)deq, ep[3] = (uint32_t)(deq >> 32);
	ep[4] = 8;
	(void)x;
}

static long address(struct xhci *x, struct usb_dev *d)
{
	struct completion c;
	long err = hc_command(x, 0, 0, 0, TRB_TYPE(CMD_ENABLE_SLOT), &c);

	if (err < 0)
		return err;
	if (c.slot == 0 || c.slot > x->max_slots)
		return E_RANGE;
	d->slot = c.slot;
	for (int i = 0; i < 5; i++)
		if ((d->pages[i] = hc_page_alloc(x)) < 0)
			return E_NOMEM;
	ring_init(x, &d->ep0, d->pages[PG_EP0]);
	d->mps0 = default_mps0(d->speed);
	ctx(x, d, PG_IN, 0)[1] = 3; /* add the slot and EP0 */
	uint32_t *slot = ctx(x, d, PG_IN, 1);
	slot[0] = d->route | (uint32_t)d->speed << 20 | 1u << 27;
	slot[1] = (uint32_t)d->port << 16;
	fill_ep0(x, d, ctx(x, d, PG_IN, 2));
	x->dcbaa[d->slot] = x->phys[d->pages[PG_OUT]];
	uint64_t in = x->phys[d->pages[PG_IN]];
	return hc_command(x, (uint32_t)in, (uint32_t)(in >> 32), 0,
			  TRB_TYPE(CMD_ADDRESS) | (uint32_t)d->slot << 24, &c);
}

/* The first 8 bytes say EP0's real packet size; tell the controller if it differs. */
static long fix_mps0(struct xhci *x, struct usb_dev *d)
{
	struct usb_device_info info;
	uint32_t got;
	struct completion c;
	long err = get_descriptor(x, d, USB_DESC_DEVICE, 0, 0, 8, &got);

	if (err == E_OK)
		err = got == 8 ? usb_parse_device(dev_data(x, d), got, &info) : E_INVAL;
	if (err < 0)
		return err;
	uint16_t mps = usb_ep0_mps(info.mps0_raw, d->speed);
	if (mps == 0)
		return E_INVAL;
	if (mps == d->mps0)
		return E_OK;
	printf("xhci: port %u%s: EP0 max packet %u, not %u: Evaluate Context\n", d->port,
	       dev_path(d), mps, d->mps0);
	d->mps0 = mps;
	memset(ctx(x, d, PG_IN, 0), 0, 3 * x->ctx_size);
	ctx(x, d, PG_IN, 0)[1] = 2; /* evaluate EP0 */
	ctx(x, d, PG_IN, 2)[1] = (uint32_t)mps << 16;
	uint64_t in = x->phys[d->pages[PG_IN]];
	return hc_command(x, (uint32_t)in, (uint32_t)(in >> 32), 0,
			  TRB_TYPE(CMD_EVALUATE) | (uint32_t)d->slot << 24, &c);
}

static void read_product(struct xhci *x, struct usb_dev *d)
{
	uint32_t got;
	uint16_t lang = 0x0409;

	d->product[0] = '?', d->product[1] = 0;
	if (!d->info.i_product)
		return;
	if (get_descriptor(x, d, USB_DESC_STRING, 0, 0, 255, &got) == E_OK && got >= 4)
		lang = (uint16_t)(dev_data(x, d)[2] | dev_data(x, d)[3] << 8);
	if (get_descriptor(x, d, USB_DESC_STRING, d->info.i_product, lang, 255, &got) == E_OK)
		usb_parse_string(dev_data(x, d), got, d->product, sizeof(d->product));
}

static long read_descriptors(struct xhci *x, struct usb_dev *d)
{
	uint32_t got, count;
	long err = get_descriptor(x, d, USB_DESC_DEVICE, 0, 0, 18, &got);

	if (err == E_OK)
		err = usb_parse_device(dev_data(x, d), got, &d->info);
	if (err == E_OK && got < 18)
		err = E_INVAL;
	if (err == E_OK)
		err = get_descriptor(x, d, USB_DESC_CONFIG, 0, 0, 9, &got);
	uint16_t total = (uint16_t)(dev_data(x, d)[2] | dev_data(x, d)[3] << 8);
	if (err == E_OK && (got < 9 || total < 9 || total > REPORT_AT))
		err = E_INVAL;
	if (err == E_OK)
		err = get_descriptor(x, d, USB_DESC_CONFIG, 0, 0, total, &got);
	if (err == E_OK)
		err = usb_parse_config(dev_data(x, d), got, &d->hid, 1, &count);
	if (err == E_OK && count == 0)
		err = E_NOENT;
	return err;
}

static long setup_hid(struct xhci *x, struct usb_dev *d)
{
	uint32_t got;

	if (d->hid.subclass == 1 && d->hid.protocol == 1) {
		d->kind = INPUT_DEV_KEYBOARD;
		dev_control(x, d, 0x21, 0x0B, 0, d->hid.number, 0, NULL); /* SET_PROTOCOL boot */
		dev_control(x, d, 0x21, 0x0A, 0, d->hid.number, 0, NULL); /* SET_IDLE 0 */
		d->kbd.layout = x->layout;
		return E_OK;
	}
	if (d->hid.report_len == 0 || d->hid.report_len > REPORT_AT)
		return E_RANGE;
	/* Report protocol is the default; a device that stalls asking for it (usb-tablet) is fine,
	 * and the next request shows EP0 recovered from the stall. */
	if (dev_control(x, d, 0x21, 0x0B, 1, d->hid.number, 0, NULL) == E_INVAL)
		printf("xhci: port %u%s: SET_PROTOCOL stalled; EP0 reset\n", d->port, dev_path(d));
	memset(dev_data(x, d), 0, REPORT_AT);
	long err = dev_control(x, d, 0x81, 6, USB_DESC_REPORT << 8, d->hid.number,
			       d->hid.report_len, &got);
	if (err == E_OK)
		err = hid_parse_pointer(dev_data(x, d), got, &d->ptr);
	if (err == E_OK)
		d->kind = d->ptr.x.relative ? INPUT_DEV_MOUSE : INPUT_DEV_TABLET;
	return err;
}

static uint8_t interval(const struct usb_dev *d)
{
	unsigned i = 3, frames = d->hid.interval;

	if (d->speed >= 3)
		return (uint8_t)(frames > 16 ? 15 : frames - 1);
	while (i < 10 && (2u << (i - 3)) <= frames) /* 2^i x 125 us <= frames ms */
		i++;
	return (uint8_t)i;
}

void dev_queue_report(struct xhci *x, struct usb_dev *d, unsigned n)
{
	uint64_t buf = dev_data_phys(x, d) + REPORT_AT + n * REPORT_SIZE;
	uint32_t len = d->hid.ep_mps < REPORT_SIZE ? d->hid.ep_mps : REPORT_SIZE;

	ring_push(&d->intr, (uint32_t)buf, (uint32_t)(buf >> 32), len,
		  TRB_TYPE(TRB_NORMAL) | TRB_IOC | TRB_ISP);
}

long dev_configure(struct xhci *x, struct usb_dev *d)
{
	struct completion c;
	long err = dev_control(x, d, 0x00, 9, d->hid.config_value, 0, 0, NULL);

	if (err < 0)
		return err;
	d->dci = (uint8_t)((d->hid.ep_addr & 0xF) * 2 + 1);
	ring_init(x, &d->intr, d->pages[PG_INTR]);
	memset(ctx(x, d, PG_IN, 0), 0, (2u + d->dci) * x->ctx_size);
	ctx(x, d, PG_IN, 0)[1] = 1u | 1u << d->dci;
	memcpy(ctx(x, d, PG_IN, 1), ctx(x, d, PG_OUT, 0), x->ctx_size);
	uint32_t *slot = ctx(x, d, PG_IN, 1), *ep = ctx(x, d, PG_IN, 1u + d->dci);
	slot[0] = (slot[0] & ~(0x1Fu << 27)) | (uint32_t)d->dci << 27;
	if (d->kind == INPUT_DEV_HUB) { /* Hub, Number of Ports */
		slot[0] |= 1u << 26;
		slot[1] = (slot[1] & 0x00FFFFFFu) | (uint32_t)d->hub_ports << 24;
	}
	slot[3] = 0; /* device address and state are the controller's */
	uint64_t deq = d->intr.phys | 1;
	ep[0] = (uint32_t)interval(d) << 16;
	ep[1] = 3u << 1 | 7u << 3 | (uint32_t)d->hid.ep_mps << 16; /* CErr 3, interrupt IN */
	ep[2] = (uint32_t)deq, ep[3] = (uint32_t)(deq >> 32);
	ep[4] = d->hid.ep_mps | (uint32_t)d->hid.ep_mps << 16;
	uint64_t in = x->phys[d->pages[PG_IN]];
	err = hc_command(x, (uint32_t)in, (uint32_t)(in >> 32), 0,
			 TRB_TYPE(CMD_CONFIGURE) | (uint32_t)d->slot << 24, &c);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < XHCI_REPORTS; i++)
		dev_queue_report(x, d, i);
	d->configured = true;
	x->db[d->slot] = d->dci;
	return E_OK;
}

const char *const dev_kind_names[] = {"device", "keyboard", "mouse", "tablet", "hub"};

static long attach(struct xhci *x, struct usb_dev *d, uint64_t start)
{
	long err = address(x, d);

	if (err < 0)
		return refuse(x, d, "Enable Slot / Address Device", err);
	if ((err = fix_mps0(x, d)) < 0)
		return refuse(x, d, "device descriptor", err);
	if ((err = read_descriptors(x, d)) < 0)
		return refuse(x, d, err == E_NOENT ? "no HID or hub interface" : "descriptors",
			      err);
	read_product(x, d);
	if (d->hid.class_code == USB_CLASS_HUB) {
		if ((err = hub_setup(x, d)) < 0)
			return refuse(x, d, "hub", err);
	} else if ((err = setup_hid(x, d)) < 0) {
		return refuse(x, d, "HID report descriptor", err);
	}
	if ((err = dev_configure(x, d)) < 0)
		return refuse(x, d, "Set Configuration / Configure Endpoint", err);
	printf("xhci: port %u%s: %s %04x:%04x \"%s\" on slot %u as input device %u (in %lu us)\n",
	       d->port, dev_path(d), dev_kind_names[d->kind], d->info.vendor, d->info.product,
	       d->product, d->slot, d->number, (unsigned long)((sys_clock() - start) / 1000));
	return E_OK;
}

/* ".1.3" for what sits on port 3 of the hub on port 1 of the hub on the root port. */
const char *dev_path(const struct usb_dev *d)
{
	static char path[24];
	unsigned n = 0;

	for (uint32_t r = d->route; r && n + 2 < sizeof(path); r >>= 4) {
		path[n] = '.';
		path[n + 1] = "0123456789abcdef"[r & 0xF];
		n += 2;
	}
	path[n] = 0;
	return path;
}

long dev_new(struct xhci *x, struct usb_dev *hub, uint8_t port, uint8_t speed, uint64_t start)
{
	for (int i = 0; i < XHCI_DEVICES; i++)
		if (!x->dev[i].used) {
			struct usb_dev *d = &x->dev[i];
			memset(d, 0, sizeof(*d));
			for (int p = 0; p < 5; p++)
				d->pages[p] = -1;
			d->used = true;
			d->parent = hub ? (int8_t)(hub - x->dev) : -1;
			d->port = hub ? hub->port : port;
			d->hub_port = hub ? port : 0;
			d->depth = hub ? (uint8_t)(hub->depth + 1) : 0;
			d->route = hub ? hub->route | (uint32_t)port << (4 * hub->depth) : 0;
			d->speed = speed;
			d->number = x->next_number++;
			return attach(x, d, start);
		}
	printf("xhci: port %u: no room for another device\n", port);
	return E_NOSPACE;
}

static void port_changed(struct xhci *x, unsigned port)
{
	volatile uint32_t *sc = hc_portsc(x, port);
	struct usb_dev *d = dev_by_port(x, (uint8_t)port);
	bool connected = *sc & PORT_CCS;
	uint64_t start = sys_clock();

	*sc = PORT_PP | (*sc & PORT_CHANGES & ~PORT_PRC);
	if (!connected)
		x->port_refused &= ~(1u << port); /* a new device may come */
	if (d && !connected) {
		dev_gone(x, d);
		return;
	}
	if (d || !connected || (x->port_refused & (1u << port)))
		return; /* a refused device stays refused until it is unplugged */
	uint8_t speed;
	long err = reset_port(x, port, &speed);
	if (err < 0)
		printf("xhci: port %u: device refused: port reset (%s)\n", port,
		       sys_error_name(err));
	else
		err = dev_new(x, NULL, (uint8_t)port, speed, start);
	if (err < 0)
		x->port_refused |= 1u << port;
}

void dev_scan_ports(struct xhci *x)
{
	uint32_t changed = x->port_changed;

	x->port_changed = 0;
	for (unsigned p = 1; p <= x->max_ports; p++)
		if (changed & (1u << p))
			port_changed(x, p);
}
