/* SPDX-License-Identifier: MIT */
/*
 * How a process starts: its first thread enters _start with rdi pointing at
 * a struct start_info that the creator placed in the process (at the top of
 * its stack): the arguments and named handles it is given (for init: one
 * read-only memory object per boot module, named by the module's name).
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"

#define START_MAGIC	  0x5354415254494E46ull /* "STARTINF" */
#define START_MAX_ARGS	  16
#define START_MAX_HANDLES 80
#define START_NAME_MAX	  24
#define START_STRINGS	  1024

/* The user address-space layout every program starts with. */
#define USER_IMAGE_BASE	   0x0000000000400000ull
#define USER_HEAP_BASE	   0x0000100000000000ull
#define USER_IPCBUF_BASE   0x00007f0000000000ull /* one page per thread, 2 pages apart */
#define USER_THREAD_STACKS 0x00007e0000000000ull /* thread_spawn stacks (sys/thread.h) */
#define USER_STACK_TOP	   0x00007ffffff00000ull
#define USER_STACK_SIZE	   (256 * 1024)

struct start_handle {
	char name[START_NAME_MAX];
	handle_t handle;
	uint32_t size; /* memory objects: the byte size (a boot module's exact size) */
};

/* The boot framebuffer (its memory is the "framebuffer" handle), for init and whoever gets it. */
struct start_framebuffer {
	uint64_t phys;
	uint32_t width, height, pitch, bpp; /* pitch in bytes; 0 width: none */
};

/*
 * PCI configuration space through ECAM, from the ACPI MCFG table: for init,
 * and for a program given the "ecam" handle (which covers buses
 * bus_start..bus_end, bus b at offset (b - bus_start) << 20).
 */
struct start_pci {
	uint64_t ecam_base; /* 0: no MCFG; use the legacy ports 0xCF8/0xCFC */
	uint8_t bus_start, bus_end;
	uint16_t segment;
	uint32_t reserved;
};

/*
 * The PCI function a service drives (manifest pci / pci_class): where it is
 * and what it is. Its configuration space is the "pci.config" handle (its
 * 4 KiB of ECAM), BAR n the "pci.bar<n>" handle, vector i "irq.msi<i>" or
 * "irq.msix<i>". All zero for a process without one.
 */
#define START_PCI_IRQ_NONE 0
#define START_PCI_IRQ_MSI  1
#define START_PCI_IRQ_MSIX 2

struct start_pci_function {
	uint16_t segment;
	uint8_t bus, dev, fn;
	uint8_t irq_kind;  /* START_PCI_IRQ_* */
	uint8_t irq_count; /* vectors granted */
	uint8_t bars;	   /* bit n: "pci.bar<n>" was granted */
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t bars_io; /* bit n: BAR n is a port range (an ioport handle) */
	uint8_t reserved[7];
};

struct start_info {
	uint64_t magic;
	uint32_t argc;
	uint32_t handle_count;
	struct start_framebuffer fb;
	struct start_pci pci;
	struct start_pci_function pci_fn;
	uint64_t argv[START_MAX_ARGS]; /* user addresses into strings[] */
	struct start_handle handles[START_MAX_HANDLES];
	char strings[START_STRINGS];
};
_Static_assert(sizeof(struct start_info) <= 4096, "start_info fits in one page");

/*
 * libsys: the start_info of this process, and a named handle: from the
 * start_info, or else one of those a supervisor gave at start-up (below).
 */
const struct start_info *start_info(void);
handle_t start_handle(const char *name, uint32_t *size);

/*
 * A service started by the supervisor gets one start handle, "bootstrap";
 * before main, libsys fetches the service's handles through it (SVC_BOOT,
 * proto/svc.h) into a second table of named handles, which start_handle
 * also searches. libsys internal (bootstrap.c):
 */
handle_t bootstrap_handle(const char *name, uint32_t *size);
/* All of them, in the order given (tests check what a service holds). */
const struct start_handle *bootstrap_handles(uint32_t *count);
