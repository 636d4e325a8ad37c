/* SPDX-License-Identifier: MIT */
/*
 * The one door input comes into the compositor by. Today that is
 * DISPLAY_INJECT (a test program, or the shell's `win point` and `win
 * key`); when the USB input protocol lands, the compositor will subscribe
 * to it and feed its events here, translated: a pointer report becomes an
 * absolute position and button mask (relative motion added to the cursor,
 * a tablet's absolute axes scaled to the screen), a key report a code
 * point and pressed/released. Nothing past this file knows where input
 * comes from.
 */
#include "comp.h"
#include "sys/errors.h"

long input_source_inject(struct comp *c, uint64_t kind, uint64_t a, uint64_t b, uint64_t c2)
{
	switch (kind) {
	case DISPLAY_INJECT_POINTER:
		comp_pointer(c, (int32_t)a, (int32_t)b, (uint32_t)c2);
		return E_OK;
	case DISPLAY_INJECT_KEY:
		if (a > 0x10FFFF)
			return E_INVAL;
		comp_key(c, (uint32_t)a, b != 0);
		return E_OK;
	default:
		return E_INVAL;
	}
}
