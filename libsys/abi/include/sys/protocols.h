/* SPDX-License-Identifier: MIT */
/*
 * Method ranges: every IPC protocol in the system and where its labels
 * start, listed once. A protocol owns the 0x100 labels from its base; its
 * methods are base + 1 and up, so a raw trace's label says which protocol
 * it belongs to (protocol_name). Each protocol's header takes its base from
 * here with PROTOCOL_BASE(name); a new protocol is one more line below.
 *
 * Checked at compile time: every base is a multiple of PROTOCOL_RANGE
 * between 0x0100 and 0x7F00 (a reply's label is its status, 0 or negative
 * as 16 bits, and the kernel's event labels sit at 0xFFFD-0xFFFF), and
 * protocol_name has one case per base, so two protocols on one base (that
 * is, overlapping ranges) do not compile.
 *
 * Labels a range holds besides its header's methods: init's internal
 * INIT_HUNG (0x02F0, servers/init/init.h), which only init's own
 * heartbeat thread sends, lies in svc's range.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PROTOCOL_RANGE 0x100u

/* X(name, base): the protocol and its first label; where its methods are listed. */
#define PROTOCOL_LIST(X)                                                                           \
	X(loader, 0x0100)   /* proto/loader.h */                                                   \
	X(svc, 0x0200)	    /* proto/svc.h */                                                      \
	X(ns, 0x0300)	    /* proto/ns.h */                                                       \
	X(echo, 0x0400)	    /* proto/echo.h */                                                     \
	X(counter, 0x0500)  /* proto/counter.h */                                                  \
	X(block, 0x0600)    /* proto/block.h */                                                    \
	X(fs, 0x0700)	    /* proto/fs.h */                                                       \
	X(input, 0x0900)    /* proto/input.h */                                                    \
	X(display, 0x0A00)  /* proto/display.h */                                                  \
	X(stream, 0x0B00)   /* proto/stream.h */                                                   \
	X(term, 0x0C00)	    /* proto/term.h */                                                     \
	X(rtc, 0x0D00)	    /* proto/rtc.h */                                                      \
	X(console, 0x1000)  /* proto/console.h */                                                  \
	X(utest, 0x7700)    /* test/guest/utest/utest.h */                                         \
	X(irqtest, 0x7800)  /* proto/irqtest.h */                                                  \
	X(pcitest, 0x7900)  /* proto/pcitest.h */                                                  \
	X(ipcbench, 0x7F00) /* apps/ipcbench/bench.h */

enum protocol_base {
#define PROTOCOL_ENUM(name, base) PROTOCOL_BASE_##name = (base),
	PROTOCOL_LIST(PROTOCOL_ENUM)
#undef PROTOCOL_ENUM
};

/* The first label of protocol `name` (a word of PROTOCOL_LIST). */
#define PROTOCOL_BASE(name) PROTOCOL_BASE_##name

#define PROTOCOL_CHECK(name, base)                                                                 \
	_Static_assert((base) % PROTOCOL_RANGE == 0 && (base) >= 0x0100 && (base) <= 0x7F00,       \
		       #name ": a base is a multiple of 0x100 in 0x0100-0x7F00");
PROTOCOL_LIST(PROTOCOL_CHECK)
#undef PROTOCOL_CHECK

/* The protocol a label belongs to ("loader", "svc", ...), or NULL. */
static inline const char *protocol_name(uint32_t label)
{
	switch (label & ~(PROTOCOL_RANGE - 1) & 0xFFFFu) {
#define PROTOCOL_CASE(name, base)                                                                  \
	case base:                                                                                 \
		return #name;
		PROTOCOL_LIST(PROTOCOL_CASE)
#undef PROTOCOL_CASE
	default:
		return NULL;
	}
}
