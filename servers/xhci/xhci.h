/* SPDX-License-Identifier: MIT */
/*
 * The xHCI driver's state and its parts: the controller (hc.c: reset,
 * rings, commands, the event ring), the devices (dev.c: enumeration,
 * control transfers, HID set-up; hub.c: hubs; report.c: interrupt
 * transfers, key repeat, deferred work), the consumers' event queues
 * (events.c) and the system glue (main.c: handles, MSI-X, threads).
 * Register and structure layouts follow the xHCI 1.2 specification
 * (sections 5 and 6); the comments name the fields they touch.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/input.h"
#include "sys/handle.h"
#include "sys/lock.h"
#include "usb.h"

#define PAGE	       4096u
#define XHCI_DMA_PAGES 160
#define XHCI_RING_TRBS 256 /* one page; the last is the link back */
#define XHCI_DEVICES   16
#define XHCI_PORTS_MAX 32
#define XHCI_REPORTS   8     /* interrupt transfers kept queued per device */
#define REPORT_AT      2048u /* in a device's data page: control data below, reports from here */
#define REPORT_SIZE    64u

#define TRB_TYPE(t)	((uint32_t)(t) << 10)
#define TRB_IOC		(1u << 5)
#define TRB_ISP		(1u << 2)
#define TRB_IDT		(1u << 6)
#define TRB_NORMAL	1
#define TRB_SETUP	2
#define TRB_DATA	3
#define TRB_STATUS	4
#define CMD_ENABLE_SLOT 9
#define CMD_DISABLE	10
#define CMD_ADDRESS	11
#define CMD_CONFIGURE	12
#define CMD_EVALUATE	13
#define CMD_RESET_EP	14
#define CMD_SET_DEQ	16
#define CC_SUCCESS	1
#define CC_STALL	6
#define CC_SHORT	13

struct trb {
	uint32_t w[4];
};

struct ring {
	struct trb *trb;
	uint64_t phys;
	uint32_t index, cycle;
};

/* What an event said about the command or control transfer being waited for. */
struct completion {
	bool done;
	uint64_t trb;
	uint8_t cc, slot;
	uint32_t residual;
};

struct usb_dev {
	bool used, configured, recover, leds_pending;
	uint8_t number, slot, port, speed, kind, dci;
	int8_t parent;		 /* the hub it is behind (index in dev[]), or -1: a root port */
	uint8_t hub_port, depth; /* its port on that hub; hubs above it */
	uint32_t route;		 /* route string (xHCI 8.9): a hub port per tier */
	uint8_t hub_ports;	 /* a hub's: its downstream ports */
	uint16_t hub_changed;	 /* a hub's: bit n, port n changed (from its interrupt EP) */
	uint16_t
		hub_refused; /* a hub's: bit n, the device on port n was refused, until unplugged */
	uint16_t mps0, report_len;
	struct usb_device_info info;
	struct usb_hid_iface hid;
	struct hid_pointer ptr;
	struct hid_pointer_state pst;
	struct kbd_state kbd;
	int pages[5]; /* output context, input context, EP0 ring, interrupt ring, data */
	struct ring ep0, intr;
	char product[52];
};

struct xhci {
	volatile uint8_t *cap, *op, *rt;
	volatile uint32_t *db;
	uint8_t *dma;
	uint64_t phys[XHCI_DMA_PAGES];
	uint8_t page_used[XHCI_DMA_PAGES];
	uint32_t ctx_size, max_slots, max_ports;
	uint8_t port_major[XHCI_PORTS_MAX + 1]; /* 2 or 3, from Supported Protocol; 0: none */
	uint64_t *dcbaa;
	struct ring cmd, events;
	struct completion cmd_done, xfer_done;
	uint32_t port_changed; /* bit n: port n had a Port Status Change Event */
	uint32_t port_refused; /* bit n: the device on port n was refused, until unplugged */
	struct usb_dev dev[XHCI_DEVICES];
	uint8_t next_number;
	/* The glue: wait for the interrupt (or the deadline); push events to consumers. */
	long (*wait_irq)(struct xhci *x, uint64_t deadline);
	void (*emit)(struct xhci *x, struct input_event *ev, uint32_t n);
	enum input_layout layout;
	uint64_t irq_tsc; /* TSC at the entry of the last interrupt */
	/* Software key repeat: the last key pressed, while held (0 delay: off). */
	uint64_t repeat_delay, repeat_interval, repeat_next;
	struct input_event repeat_ev;
	bool repeating;
	struct sys_lock devices_lock; /* dev[] against INPUT_DEVICES */
};

/* hc.c */
long hc_start(struct xhci *x, volatile uint8_t *bar, uint8_t *dma);
/*
 * Halt and reset a controller an earlier instance left running, before bus
 * mastering is enabled: its rings and transfer buffers were in memory that
 * instance's death freed, and a transfer completing there would write into
 * frames someone else has now (a page table, in the fault campaign).
 */
long hc_halt(struct xhci *x, volatile uint8_t *bar);
int hc_page_alloc(struct xhci *x);
void hc_page_free(struct xhci *x, int page);
void *hc_page(struct xhci *x, int page);
void ring_init(struct xhci *x, struct ring *r, int page);
uint64_t ring_push(struct ring *r, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t control);
long hc_command(struct xhci *x, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t control,
		struct completion *c);
void hc_take_events(struct xhci *x);
volatile uint32_t *hc_portsc(struct xhci *x, unsigned port);

/* dev.c: enumeration and control transfers */
void dev_scan_ports(struct xhci *x);
long dev_new(struct xhci *x, struct usb_dev *hub, uint8_t port, uint8_t speed, uint64_t start);
void dev_release(struct xhci *x, struct usb_dev *d);
void dev_gone(struct xhci *x, struct usb_dev *d); /* log it, then release it */
long dev_control(struct xhci *x, struct usb_dev *d, uint8_t type, uint8_t request, uint16_t value,
		 uint16_t index, uint16_t len, uint32_t *actual);
bool dev_control_slot(uint8_t slot);
void dev_control_event(uint64_t trb, uint8_t cc, uint32_t residual);
long dev_recover_ep(struct xhci *x, struct usb_dev *d, uint8_t dci, struct ring *r);
long dev_configure(struct xhci *x, struct usb_dev *d);
void dev_queue_report(struct xhci *x, struct usb_dev *d, unsigned n);
struct usb_dev *dev_by_slot(struct xhci *x, uint8_t slot);
uint8_t *dev_data(struct xhci *x, struct usb_dev *d);
uint64_t dev_data_phys(struct xhci *x, struct usb_dev *d);
const char *dev_path(const struct usb_dev *d);
extern const char *const dev_kind_names[];

/* hub.c: hubs (USB 2.0 chapter 11) */
long hub_setup(struct xhci *x, struct usb_dev *hub);
void hub_scan(struct xhci *x, struct usb_dev *hub);

/* report.c: interrupt transfers, key repeat, deferred work */
void dev_on_transfer(struct xhci *x, const struct trb *e);
void dev_deferred(struct xhci *x);
bool dev_pending(const struct xhci *x); /* deferred work is waiting */
/* When the next repeat is due (TIMEOUT_NEVER: none), and send it if it is. */
uint64_t dev_repeat_deadline(const struct xhci *x);
void dev_repeat(struct xhci *x);
