/* SPDX-License-Identifier: MIT */
/*
 * The input protocol (methods 0x0900-0x09FF, sys/protocols.h): key and
 * pointer events from the USB input driver (servers/xhci) to its consumers
 * (the shell's `input`, test/guest/itest, later the compositor).
 *
 * Delivery: each consumer (one badge, from its own ns_lookup) gives the
 * driver a notification; the driver keeps a bounded queue of events per
 * consumer (INPUT_QUEUE), signals the notification when one is queued, and
 * the consumer drains its queue with INPUT_READ. A consumer that stops
 * reading never blocks the driver: when its queue is full the oldest event
 * goes and a counter says how many went. Events are in order and none is
 * lost while the consumer keeps up. More than one consumer may subscribe;
 * each gets every event.
 *
 * INPUT_SUBSCRIBE (idempotent): cap = a notification the driver may signal
 *   (R_SIGNAL); replaces an earlier one of the same badge, keeps its queue.
 *   Errors: E_INVAL no notification, E_NOSPACE INPUT_CONSUMERS subscribed.
 * INPUT_READ (consumes): w0 = the most events wanted (1-INPUT_READ_MAX);
 *   reply: w0 = events in the buffer (struct input_event each), w1 = events
 *   dropped from this queue since the last read. E_NOENT: this badge has
 *   not subscribed (or the driver restarted and forgot it).
 * INPUT_DEVICES (idempotent): reply: w0 = entries in the buffer (struct
 *   input_device each), the devices the driver has enumerated (hubs too).
 * INPUT_SET_LAYOUT (idempotent): w0 = enum input_layout; the keymap used
 *   for the text of later key events, for every consumer.
 * INPUT_SET_REPEAT (idempotent): w0 = delay in ms before a held key repeats
 *   (INPUT_REPEAT_DELAY_MIN-INPUT_REPEAT_DELAY_MAX, or 0: no repeat), w1 =
 *   repeats per second (1-INPUT_REPEAT_RATE_MAX). Repeat is made by the
 *   driver (USB keyboards do not repeat): INPUT_KEY events with action
 *   INPUT_REPEAT for the last key pressed, while it is held. Defaults:
 *   INPUT_REPEAT_DELAY_MS, INPUT_REPEAT_RATE.
 *
 * Recovery: the driver is stateless. After a restart it has forgotten the
 * subscriptions; the client library (input_client_*) sees E_RESTARTED or
 * E_NOENT, subscribes again and carries on. Since a restarted driver
 * cannot signal a notification it does not know, input_client_read waits
 * on it for at most INPUT_TICK and then asks anyway. Events that come
 * while nobody is subscribed (between a restart and the consumers'
 * return) are kept, INPUT_QUEUE at most, for the first to subscribe.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"
#include "sys/units.h"

#define INPUT_PROTOCOL_BASE PROTOCOL_BASE(input)
#define INPUT_SUBSCRIBE	    (INPUT_PROTOCOL_BASE + 0x01)
#define INPUT_READ	    (INPUT_PROTOCOL_BASE + 0x02)
#define INPUT_DEVICES	    (INPUT_PROTOCOL_BASE + 0x03)
#define INPUT_SET_LAYOUT    (INPUT_PROTOCOL_BASE + 0x04)
#define INPUT_SET_REPEAT    (INPUT_PROTOCOL_BASE + 0x05)

#define INPUT_QUEUE	       256u /* events kept per consumer */
#define INPUT_CONSUMERS	       8u
#define INPUT_READ_MAX	       (IPC_BUF_BYTES / sizeof(struct input_event))
#define INPUT_TICK	       (100 * MS)
#define INPUT_ABS_MAX	       0x7FFF /* absolute positions are scaled to 0..INPUT_ABS_MAX */
#define INPUT_REPEAT_DELAY_MS  500
#define INPUT_REPEAT_RATE      30
#define INPUT_REPEAT_DELAY_MIN 100
#define INPUT_REPEAT_DELAY_MAX 5000
#define INPUT_REPEAT_RATE_MAX  100

enum input_type {
	INPUT_KEY = 1,	  /* code = HID usage (page 7), key = key code, text, modifiers */
	INPUT_REL = 2,	  /* x, y: relative motion */
	INPUT_ABS = 3,	  /* x, y: absolute position, 0..INPUT_ABS_MAX */
	INPUT_BUTTON = 4, /* code = enum input_button */
	INPUT_WHEEL = 5,  /* y: wheel steps, positive away from the user */
};
enum input_action { INPUT_RELEASE = 0, INPUT_PRESS = 1, INPUT_REPEAT = 2 };
enum input_button { INPUT_BTN_LEFT = 1, INPUT_BTN_RIGHT = 2, INPUT_BTN_MIDDLE = 3 };
enum input_layout { INPUT_LAYOUT_US = 0, INPUT_LAYOUT_JP = 1 };

/* Modifier bits: the boot keyboard report's first byte. */
#define INPUT_MOD_LCTRL	 0x01u
#define INPUT_MOD_LSHIFT 0x02u
#define INPUT_MOD_LALT	 0x04u
#define INPUT_MOD_LGUI	 0x08u
#define INPUT_MOD_RCTRL	 0x10u
#define INPUT_MOD_RSHIFT 0x20u
#define INPUT_MOD_RALT	 0x40u
#define INPUT_MOD_RGUI	 0x80u
#define INPUT_MOD_CAPS	 0x100u /* Caps Lock on */
#define INPUT_MOD_NUM	 0x200u /* Num Lock on */
#define INPUT_MOD_CTRL	 (INPUT_MOD_LCTRL | INPUT_MOD_RCTRL)
#define INPUT_MOD_SHIFT	 (INPUT_MOD_LSHIFT | INPUT_MOD_RSHIFT)
#define INPUT_MOD_ALT	 (INPUT_MOD_LALT | INPUT_MOD_RALT)

struct input_event {
	uint64_t time;	/* sys_clock() when the driver took the report */
	uint8_t type;	/* enum input_type */
	uint8_t action; /* enum input_action (keys and buttons) */
	uint16_t code;	/* INPUT_KEY: HID usage; INPUT_BUTTON: enum input_button */
	uint16_t
		key; /* INPUT_KEY: key code: the layout's unshifted character, else 0x100 + usage */
	uint16_t mods;	  /* INPUT_MOD_* after this event */
	int32_t x, y;	  /* motion, position or wheel */
	uint8_t device;	  /* the driver's device number (INPUT_DEVICES) */
	char text[7];	  /* INPUT_KEY press/repeat: UTF-8, NUL-terminated; "" for none */
	uint64_t irq_tsc; /* TSC at the entry of the interrupt that brought it (0: a repeat) */
};
_Static_assert(sizeof(struct input_event) == 40, "40 bytes: 51 per read");

enum input_kind {
	INPUT_DEV_OTHER = 0,
	INPUT_DEV_KEYBOARD = 1,
	INPUT_DEV_MOUSE = 2,
	INPUT_DEV_TABLET = 3,
	INPUT_DEV_HUB = 4
};

struct input_device {
	uint8_t number, port, speed, kind; /* speed: 1 full, 2 low, 3 high, 4 super */
	uint16_t vendor, product;
	uint8_t class_code, subclass, protocol, slot;
	char product_name[52]; /* the product string, ASCII, NUL-terminated */
};
_Static_assert(sizeof(struct input_device) == 64, "64 bytes: 32 per reply");
#define INPUT_DEVICES_MAX (IPC_BUF_BYTES / sizeof(struct input_device))

/* Client library: a consumer's subscription, kept across driver restarts. */
struct input_client {
	handle_t ep;   /* "input", from ns_lookup (a badge of its own) */
	handle_t ntfn; /* the consumer's notification, waited on */
	bool subscribed;
	uint64_t dropped;  /* events the driver dropped for us, in all */
	uint64_t restarts; /* subscriptions made again after a restart */
};

/* Look up "input", make a notification and subscribe. */
long input_client_open(struct input_client *c);
/*
 * Up to `max` events into ev (*count of them), waiting for at most
 * `timeout` ns for the first; E_TIMEOUT if none came. Subscribes again
 * after a restart of the driver.
 */
long input_client_read(struct input_client *c, struct input_event *ev, uint32_t max,
		       uint32_t *count, uint64_t timeout);

/* The stubs, one call each. */
long input_subscribe(handle_t ep, handle_t ntfn);
long input_read(handle_t ep, struct input_event *ev, uint32_t max, uint32_t *count,
		uint64_t *dropped);
long input_devices(handle_t ep, struct input_device *dev, uint32_t max, uint32_t *count);
long input_set_layout(handle_t ep, enum input_layout layout);
long input_set_repeat(handle_t ep, uint32_t delay_ms, uint32_t rate);

/* An absolute position scaled to a w x h screen, rounded to the nearest pixel. */
static inline int32_t input_abs_to_pixel(int32_t v, uint32_t pixels)
{
	if (v <= 0 || pixels == 0)
		return 0;
	if (v >= INPUT_ABS_MAX)
		return (int32_t)pixels - 1;
	return (int32_t)(((int64_t)v * (pixels - 1) + INPUT_ABS_MAX / 2) / INPUT_ABS_MAX);
}
/* One line like evtest's: "key a press", "ptr abs 512 384", "btn left press". */
int input_format(const struct input_event *ev, uint32_t width, uint32_t height, char *out,
		 uint32_t size);

/* Server side: what the driver implements, and the method table that decodes into it. */
struct input_ops {
	/* Takes ntfn (on success only). */
	long (*subscribe)(void *ctx, uint64_t badge, handle_t ntfn);
	long (*read)(void *ctx, uint64_t badge, struct input_event *ev, uint32_t max,
		     uint32_t *count, uint64_t *dropped);
	long (*devices)(void *ctx, struct input_device *dev, uint32_t max, uint32_t *count);
	long (*set_layout)(void *ctx, uint32_t layout);
	long (*set_repeat)(void *ctx, uint32_t delay_ms, uint32_t rate); /* checked already */
	void (*client_gone)(void *ctx, uint64_t badge);
};
struct input_server {
	const struct input_ops *ops;
	void *ctx;
};
struct server input_server(handle_t ep, struct input_server *is);
