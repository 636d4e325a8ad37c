/* SPDX-License-Identifier: MIT */
/*
 * What the devices' interrupt endpoints bring: a transfer event for an
 * interrupt IN ring is decoded (boot keyboard, pointer report, or a hub's
 * port change bitmap) and the transfer requeued; software key repeat; and
 * the work an event handler cannot wait for, done later by the driver
 * loop (LEDs by SET_REPORT, a halted endpoint reset, hub port changes).
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "xhci.h"

/* A key pressed starts repeating after the delay; its release (or another press) stops it. */
static void track_repeat(struct xhci *x, const struct input_event *ev)
{
	bool lock = ev->code == 0x39 || ev->code == 0x53 || ev->code == 0x47;

	if (ev->type != INPUT_KEY || ev->code >= 0xE0)
		return;
	if (ev->action == INPUT_PRESS && !lock && x->repeat_delay) {
		x->repeating = true;
		x->repeat_ev = *ev;
		x->repeat_ev.action = INPUT_REPEAT;
		x->repeat_next = ev->time + x->repeat_delay;
	} else if (ev->action == INPUT_RELEASE && x->repeating && ev->code == x->repeat_ev.code &&
		   ev->device == x->repeat_ev.device) {
		x->repeating = false;
	}
}

uint64_t dev_repeat_deadline(const struct xhci *x)
{
	return x->repeating ? x->repeat_next : TIMEOUT_NEVER;
}

void dev_repeat(struct xhci *x)
{
	uint64_t now = sys_clock();

	if (!x->repeating || now < x->repeat_next)
		return;
	x->repeat_ev.time = now;
	x->repeat_ev.irq_tsc = 0;
	x->emit(x, &x->repeat_ev, 1);
	x->repeat_next += x->repeat_interval;
	if (x->repeat_next <= now) /* we were late: no burst to catch up */
		x->repeat_next = now + x->repeat_interval;
}

static void on_report(struct xhci *x, struct usb_dev *d, const uint8_t *r, uint32_t len)
{
	struct input_event ev[KBD_EVENTS_MAX];
	uint32_t n;
	bool leds = false;

	if (d->kind == INPUT_DEV_HUB) {
		d->hub_changed |=
			(uint16_t)((len > 0 ? r[0] : 0) | (len > 1 ? r[1] << 8 : 0)) & ~1u;
		return; /* bit n: port n changed; handled by the driver loop */
	}
	if (d->kind == INPUT_DEV_KEYBOARD)
		n = kbd_report(&d->kbd, r, len, ev, KBD_EVENTS_MAX, &leds);
	else
		n = hid_pointer_report(&d->ptr, &d->pst, r, len, ev, KBD_EVENTS_MAX);
	d->leds_pending |= leds;
	uint64_t now = sys_clock();
	for (uint32_t i = 0; i < n; i++) {
		ev[i].time = now, ev[i].device = d->number, ev[i].irq_tsc = x->irq_tsc;
		track_repeat(x, &ev[i]);
	}
	if (n)
		x->emit(x, ev, n);
}

void dev_on_transfer(struct xhci *x, const struct trb *e)
{
	struct usb_dev *d = dev_by_slot(x, (uint8_t)(e->w[3] >> 24));
	uint8_t dci = (e->w[3] >> 16) & 0x1F, cc = (uint8_t)(e->w[2] >> 24);
	uint64_t trb = e->w[0] | (uint64_t)e->w[1] << 32;

	if (!d)
		return;
	if (dci == 1 && dev_control_slot(d->slot)) {
		dev_control_event(trb, cc, e->w[2] & 0xFFFFFF);
		return;
	}
	if (dci != d->dci || !d->configured || trb < d->intr.phys ||
	    trb >= d->intr.phys + PAGE - sizeof(struct trb))
		return;
	const struct trb *t = &d->intr.trb[(trb - d->intr.phys) / sizeof(struct trb)];
	uint64_t buf = (t->w[0] | (uint64_t)t->w[1] << 32) - dev_data_phys(x, d);
	uint32_t len = t->w[2] & 0x1FFFF, residual = e->w[2] & 0xFFFFFF;
	if (buf < REPORT_AT || buf + REPORT_SIZE > PAGE || len > REPORT_SIZE)
		return;
	if (cc != CC_SUCCESS && cc != CC_SHORT) {
		d->recover = true;
		return;
	}
	on_report(x, d, dev_data(x, d) + buf, len - (residual < len ? residual : len));
	dev_queue_report(x, d, (unsigned)((buf - REPORT_AT) / REPORT_SIZE));
	x->db[d->slot] = d->dci;
}

bool dev_pending(const struct xhci *x)
{
	for (int i = 0; i < XHCI_DEVICES; i++) {
		const struct usb_dev *d = &x->dev[i];
		if (d->used && d->configured && (d->hub_changed || d->leds_pending || d->recover))
			return true;
	}
	return false;
}

/* What an event asked for but could not wait for: LEDs, endpoint recovery. */
void dev_deferred(struct xhci *x)
{
	for (int i = 0; i < XHCI_DEVICES; i++) {
		struct usb_dev *d = &x->dev[i];
		if (!d->used || !d->configured)
			continue;
		if (d->hub_changed)
			hub_scan(x, d);
		if (d->leds_pending) {
			d->leds_pending = false;
			dev_data(x, d)[0] = kbd_leds(&d->kbd);
			long err = dev_control(x, d, 0x21, 0x09, 0x0200, d->hid.number, 1,
					       NULL); /* SET_REPORT */
			printf("xhci: keyboard %u: LEDs 0x%x: %s\n", d->number, dev_data(x, d)[0],
			       sys_error_name(err));
		}
		if (d->recover) {
			d->recover = false;
			printf("xhci: device %u: interrupt endpoint halted; reset\n", d->number);
			/* the device's halt (CLEAR_FEATURE ENDPOINT_HALT), then the controller's */
			dev_control(x, d, 0x02, 1, 0, d->hid.ep_addr, 0, NULL);
			if (dev_recover_ep(x, d, d->dci, &d->intr) == E_OK) {
				for (unsigned n = 0; n < XHCI_REPORTS; n++)
					dev_queue_report(x, d, n);
				x->db[d->slot] = d->dci;
			}
		}
	}
}
