/* SPDX-License-Identifier: MIT */
/*
 * Hubs (USB 2.0 chapter 11, xHCI 1.2 section 4.3.3 for the slot context):
 * a hub's descriptor gives its port count, Configure Endpoint marks its
 * slot as a hub with that many ports and adds its status change endpoint,
 * and every port is powered. A port whose bit comes in on the status
 * change endpoint (or every port, at first) is asked for its status: a
 * new connection is reset (SET_FEATURE PORT_RESET, then GET_STATUS every
 * 10 ms until C_PORT_RESET, at most 200 ms) and enumerated with the route
 * string of its place; a disconnection releases what was there. Devices
 * behind a high-speed hub at full or low speed would need the transaction
 * translator fields; QEMU's usb-hub is full speed, so none is set.
 */
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "xhci.h"

#define HUB_CLASS_IN   0xA0 /* class request, device to host, to the hub */
#define HUB_PORT_IN    0xA3 /* to one of its ports */
#define HUB_PORT_OUT   0x23
#define GET_STATUS     0
#define CLEAR_FEATURE  1
#define SET_FEATURE    3
#define PORT_RESET     4
#define PORT_POWER     8
#define C_PORT_CONNECT 16
#define C_PORT_ENABLE  17
#define C_PORT_RESET   20
#define ST_CONNECTION  (1u << 0)
#define ST_ENABLE      (1u << 1)
#define ST_LOW_SPEED   (1u << 9)
#define ST_HIGH_SPEED  (1u << 10)
#define CH_RESET       (1u << 4)
#define RESET_TRIES    20
#define MAX_DEPTH      5 /* tiers of hubs a route string holds */

long hub_setup(struct xhci *x, struct usb_dev *hub)
{
	uint32_t got, power_ms;
	long err = dev_control(x, hub, HUB_CLASS_IN, 6, USB_DESC_HUB << 8, 0, 16, &got);

	if (err == E_OK)
		err = usb_parse_hub(dev_data(x, hub), got, &hub->hub_ports, &power_ms);
	if (err == E_OK && hub->depth >= MAX_DEPTH)
		err = E_RANGE;
	if (err < 0)
		return err;
	hub->kind = INPUT_DEV_HUB;
	for (uint8_t p = 1; p <= hub->hub_ports && err == E_OK; p++)
		err = dev_control(x, hub, HUB_PORT_OUT, SET_FEATURE, PORT_POWER, p, 0, NULL);
	if (err < 0)
		return err;
	sys_sleep((power_ms ? power_ms : 2) * MS);
	hub->hub_changed = (uint16_t)(((1u << hub->hub_ports) - 1) << 1); /* look at every port */
	return E_OK;
}

static long port_status(struct xhci *x, struct usb_dev *hub, uint8_t port, uint16_t *status,
			uint16_t *change)
{
	uint32_t got;
	long err = dev_control(x, hub, HUB_PORT_IN, GET_STATUS, 0, port, 4, &got);
	uint8_t *b = dev_data(x, hub);

	if (err == E_OK && got != 4)
		err = E_INVAL;
	*status = (uint16_t)(b[0] | b[1] << 8);
	*change = (uint16_t)(b[2] | b[3] << 8);
	return err;
}

static long reset_port(struct xhci *x, struct usb_dev *hub, uint8_t port, uint8_t *speed)
{
	uint16_t status = 0, change = 0;
	long err = dev_control(x, hub, HUB_PORT_OUT, SET_FEATURE, PORT_RESET, port, 0, NULL);

	for (int i = 0; err == E_OK && i < RESET_TRIES && !(change & CH_RESET); i++) {
		sys_sleep(10 * MS); /* the hub reports the end only on its next poll */
		err = port_status(x, hub, port, &status, &change);
	}
	if (err == E_OK && !(change & CH_RESET))
		err = E_TIMEOUT;
	dev_control(x, hub, HUB_PORT_OUT, CLEAR_FEATURE, C_PORT_RESET, port, 0, NULL);
	if (err == E_OK && !(status & ST_ENABLE))
		err = E_IO;
	*speed = status & ST_LOW_SPEED ? 2 : status & ST_HIGH_SPEED ? 3 : 1;
	return err;
}

static struct usb_dev *child(struct xhci *x, struct usb_dev *hub, uint8_t port)
{
	for (int i = 0; i < XHCI_DEVICES; i++)
		if (x->dev[i].used && x->dev[i].parent == hub - x->dev &&
		    x->dev[i].hub_port == port)
			return &x->dev[i];
	return NULL;
}

static void port_changed(struct xhci *x, struct usb_dev *hub, uint8_t port)
{
	uint16_t status, change, bit = (uint16_t)(1u << port);
	uint64_t start = sys_clock();
	uint8_t speed;

	if (port_status(x, hub, port, &status, &change) < 0)
		return;
	if (change & 1)
		dev_control(x, hub, HUB_PORT_OUT, CLEAR_FEATURE, C_PORT_CONNECT, port, 0, NULL);
	if (change & 2)
		dev_control(x, hub, HUB_PORT_OUT, CLEAR_FEATURE, C_PORT_ENABLE, port, 0, NULL);
	if (!(status & ST_CONNECTION) || (change & 1))
		hub->hub_refused &= (uint16_t)~bit; /* unplugged: a new device may come */
	struct usb_dev *d = child(x, hub, port);
	if (d && (!(status & ST_CONNECTION) || (change & 1))) {
		dev_gone(x, d);
		d = NULL;
	}
	if (d || !(status & ST_CONNECTION) || (hub->hub_refused & bit))
		return;
	long err = reset_port(x, hub, port, &speed);
	if (err < 0)
		printf("xhci: port %u%s.%u: device refused: port reset (%s)\n", hub->port,
		       dev_path(hub), port, sys_error_name(err));
	else
		err = dev_new(x, hub, port, speed, start);
	if (err < 0)
		hub->hub_refused |= bit;
}

void hub_scan(struct xhci *x, struct usb_dev *hub)
{
	uint16_t changed = hub->hub_changed;

	hub->hub_changed = 0;
	for (uint8_t p = 1; p <= hub->hub_ports; p++)
		if (changed & (1u << p) && hub->used)
			port_changed(x, hub, p);
}
