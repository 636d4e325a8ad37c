/* SPDX-License-Identifier: MIT */
/*
 * Client side of the input protocol (proto/input.h): one stub per method,
 * and the consumer library that subscribes again after a driver restart.
 */
#include <string.h>

#include "proto/input.h"
#include "proto/ns.h"
#include "sys/fmt.h"
#include "sys/sys.h"

#define CALL_TIMEOUT (1000 * MS)

static long status_of(const struct ipc_msg *m)
{
	return ipc_label_status(m);
}

long input_subscribe(handle_t ep, handle_t ntfn)
{
	long copy = sys_handle_dup(ntfn, R_SIGNAL | R_TRANSFER);
	if (copy < 0)
		return copy;
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_SUBSCRIBE, 0, 1, 0), .cap = (handle_t)copy};
	long err = ipc_call(ep, &m, CALL_TIMEOUT);
	if (err < 0) {
		sys_handle_close((handle_t)copy); /* it did not travel */
		return err;
	}
	return status_of(&m);
}

long input_read(handle_t ep, struct input_event *ev, uint32_t max, uint32_t *count,
		uint64_t *dropped)
{
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_READ, 1, 0, 0), .w = {max}};

	*count = 0;
	if (max == 0 || max > INPUT_READ_MAX)
		return E_INVAL;
	long err = ipc_call(ep, &m, CALL_TIMEOUT);
	if (err < 0 || (err = status_of(&m)) < 0)
		return err;
	uint32_t n = (uint32_t)m.w[0];
	if (IPC_TAG_WORDS(m.tag) != 2 || n > max ||
	    IPC_TAG_BYTES(m.tag) != n * sizeof(struct input_event))
		return E_PROTO;
	memcpy(ev, ipc_buffer()->data, n * sizeof(struct input_event));
	*count = n;
	*dropped = m.w[1];
	return E_OK;
}

long input_devices(handle_t ep, struct input_device *dev, uint32_t max, uint32_t *count)
{
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_DEVICES, 0, 0, 0)};

	*count = 0;
	long err = ipc_call_retry(ep, &m, CALL_TIMEOUT, 3);
	if (err < 0 || (err = status_of(&m)) < 0)
		return err;
	uint32_t n = (uint32_t)m.w[0];
	if (IPC_TAG_WORDS(m.tag) != 1 || n > INPUT_DEVICES_MAX ||
	    IPC_TAG_BYTES(m.tag) != n * sizeof(struct input_device))
		return E_PROTO;
	n = n < max ? n : max;
	memcpy(dev, ipc_buffer()->data, n * sizeof(struct input_device));
	*count = n;
	return E_OK;
}

long input_set_layout(handle_t ep, enum input_layout layout)
{
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_SET_LAYOUT, 1, 0, 0), .w = {layout}};
	long err = ipc_call_retry(ep, &m, CALL_TIMEOUT, 3);

	return err < 0 ? err : status_of(&m);
}

long input_set_repeat(handle_t ep, uint32_t delay_ms, uint32_t rate)
{
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_SET_REPEAT, 2, 0, 0), .w = {delay_ms, rate}};
	long err = ipc_call_retry(ep, &m, CALL_TIMEOUT, 3);

	return err < 0 ? err : status_of(&m);
}

long input_client_open(struct input_client *c)
{
	memset(c, 0, sizeof(*c));
	long ep = ns_lookup_self("input");
	if (ep < 0)
		return ep;
	long n = sys_ntfn_create();
	if (n < 0) {
		sys_handle_close((handle_t)ep);
		return n;
	}
	c->ep = (handle_t)ep;
	c->ntfn = (handle_t)n;
	long err = input_subscribe(c->ep, c->ntfn);
	c->subscribed = err == E_OK;
	return err == E_RESTARTED ? E_OK : err; /* the next read subscribes again */
}

/* One read; after a restart (E_RESTARTED, or E_NOENT: forgotten) subscribe again once. */
static long read_once(struct input_client *c, struct input_event *ev, uint32_t max, uint32_t *count)
{
	uint64_t dropped = 0;

	for (int attempt = 0; attempt < 3; attempt++) {
		long err = c->subscribed ? input_read(c->ep, ev, max, count, &dropped) : E_NOENT;
		if (err == E_OK) {
			c->dropped += dropped;
			return E_OK;
		}
		if (err != E_NOENT && err != E_RESTARTED)
			return err;
		c->subscribed = false;
		err = input_subscribe(c->ep, c->ntfn);
		if (err == E_OK) {
			c->subscribed = true;
			c->restarts++;
		} else if (err != E_RESTARTED) {
			return err;
		}
	}
	return E_RESTARTED;
}

long input_client_read(struct input_client *c, struct input_event *ev, uint32_t max,
		       uint32_t *count, uint64_t timeout)
{
	uint64_t start = sys_clock();

	if (max > INPUT_READ_MAX)
		max = INPUT_READ_MAX;
	for (;;) {
		long err = read_once(c, ev, max, count);
		if (err < 0 && err != E_RESTARTED && err != E_TIMEOUT)
			return err;
		if (err == E_OK && *count > 0)
			return E_OK;
		uint64_t spent = sys_clock() - start;
		if (spent >= timeout)
			return E_TIMEOUT;
		uint64_t left = timeout - spent;
		sys_ntfn_wait(c->ntfn, left < INPUT_TICK ? left : INPUT_TICK);
	}
}

static const char *button_name(uint16_t code)
{
	static const char *const names[] = {"?", "left", "right", "middle"};

	return code < 4 ? names[code] : "?";
}

static const char *action_name(uint8_t action)
{
	static const char *const names[] = {"release", "press", "repeat"};

	return action < 3 ? names[action] : "?";
}

int input_format(const struct input_event *ev, uint32_t width, uint32_t height, char *out,
		 uint32_t size)
{
	switch (ev->type) {
	case INPUT_KEY: {
		char text[sizeof(ev->text) + 2] = {0};
		memcpy(text, ev->text, sizeof(ev->text));
		if (text[0] > 0 && text[0] < ' ') /* a control character, shown as ^C */
			text[1] = (char)(text[0] + '@'), text[0] = '^', text[2] = 0;
		return snprintf(out, size, "key %s %s usage 0x%02x key %u mods 0x%03x text \"%s\"",
				(uint8_t)text[0] > ' ' ? text : "-", action_name(ev->action),
				ev->code, ev->key, ev->mods, text);
	}
	case INPUT_REL:
		return snprintf(out, size, "ptr rel %d %d", ev->x, ev->y);
	case INPUT_ABS:
		return snprintf(out, size, "ptr abs %d %d", input_abs_to_pixel(ev->x, width),
				input_abs_to_pixel(ev->y, height));
	case INPUT_BUTTON:
		return snprintf(out, size, "btn %s %s", button_name(ev->code),
				action_name(ev->action));
	case INPUT_WHEEL:
		return snprintf(out, size, "wheel %d", ev->y);
	default:
		return snprintf(out, size, "event type %u", ev->type);
	}
}
