/* SPDX-License-Identifier: MIT */
/*
 * Service manifests: what the supervisor (init) gives each server and how it
 * treats it. One file per server, servers/<name>/manifest; the build joins
 * them into the `services` boot module, each under a `[name]` header:
 *
 *   [loader]
 *   binary = loader          # boot module to run (required)
 *   priority = 20            # 0-31 (default 10)
 *   serves = loader          # endpoints it receives on; the supervisor owns them
 *   calls = ns               # endpoints it may call: send-only copies
 *   quota = 4096             # memory it may be charged, in pages (default 1024)
 *   restart = always         # always | on-failure | never (default always)
 *   recovery = stateless     # stateless | rebuild | memory (default stateless)
 *   state_pages = 1          # size of the "state" object of recovery = memory
 *   heartbeat_ms = 500       # ping period and answer deadline; 0 = none (default)
 *   autostart = yes          # yes | no: start at boot or only on `svc start`
 *   irq = 4, 12              # GSIs (ISA lines < 16: edge, active high)
 *   ioport = 0x3f8-0x3ff     # port ranges first-last, or one port
 *   devmem = framebuffer     # framebuffer | ecam | first-last | base+size (whole pages)
 *   dma = yes                # yes | no: may learn physical addresses (default no)
 *   pci = 1b36:000d          # the PCI function to drive: vendor:device, hex
 *   pci_class = 0c:03:30     # or/and by class:subclass[:prog-if], hex
 *   msix = 2                 # MSI-X vectors to grant with it (1-16), or
 *   msi = 1                  # MSI vectors (1, 2, 4, ... 32); not both
 *
 * `#` starts a comment; lists take commas and/or spaces. The parser treats
 * the text as hostile: anything it does not understand is an error with its
 * line number, and it never reads outside the text it is given.
 *
 * The hardware keys become start handles (made by the supervisor from its
 * resource handles; servers/init/devices.c), named:
 *
 *   irq = 4                  "irq:4"            the GSI in decimal
 *   ioport = 0x3f8-0x3ff     "ioport:3f8"       the first port in hex, no 0x
 *   devmem = framebuffer     "framebuffer"      geometry in start_info()->fb
 *   devmem = ecam            "ecam"             PCI configuration space, buses
 *                                               bus_start..bus_end of
 *                                               start_info()->pci (bus b at
 *                                               offset (b - bus_start) << 20)
 *   devmem = 0xfee00000-0xfee00fff  "devmem:fee00000"  the base in hex
 *   dma = yes                "dma"              a copy of the dma resource
 *   pci = / pci_class =      "pci.config"       the function's 4 KiB of ECAM; its
 *                                               struct start_pci_function (BDF,
 *                                               ids, class) in start_info()->pci_fn
 *                            "pci.bar0".."pci.bar5"  each memory BAR (device
 *                                               memory, its size the handle's
 *                                               size) and I/O BAR (a port range)
 *   msix = 2                 "irq.msix0", ...   MSI-X vectors 0..n-1 (IRQ objects;
 *   msi = 4                  "irq.msi0", ...    MSI vectors, an aligned block)
 *
 * IRQ, port and device-memory objects are made once, at a service's first
 * start, and kept across its restarts (a GSI can be claimed only once);
 * each instance gets new copies of the same objects. Ranges of one key may
 * not overlap. The PCI function is the first one matching every id given
 * that no other service holds; the supervisor sizes its BARs once, before
 * any driver runs, grants only BARs of whole pages, and tells the kernel
 * where each vector's mask bit is (sys/device.h, SYS_IRQ_SET_MASK). A
 * manifest counts 1 + 6 + vectors start handles for a PCI function.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define MANIFEST_NAME_MAX      16 /* names of services, binaries, endpoints: 15 characters */
#define MANIFEST_MAX_SERVICES  32 /* sections in a bundle: more is an error at its line */
#define MANIFEST_MAX_ENDPOINTS 8  /* entries of serves, and of calls */
#define MANIFEST_MAX_IRQS      8
#define MANIFEST_MAX_RANGES    8 /* entries of ioport, and of devmem */
#define MANIFEST_ERROR_MAX     96
#define MANIFEST_MAX_PRIORITY  31
#define MANIFEST_MAX_HEARTBEAT 60000
#define MANIFEST_MAX_STATE     256 /* pages */
#define MANIFEST_MAX_GSI       191
/*
 * Start handles of one instance (at most START_MAX_HANDLES, sys/start.h);
 * the loader's share its start_info with the boot modules, which init
 * checks when it starts it.
 */
#define MANIFEST_MAX_HANDLES   32
#define MANIFEST_MAX_MSI       32
#define MANIFEST_MAX_MSIX      16
#define MANIFEST_PCI_BARS      6 /* handles a PCI function may get for its BARs */

enum manifest_restart {
	MANIFEST_RESTART_ALWAYS = 0,
	MANIFEST_RESTART_ON_FAILURE = 1, /* not after a clean exit (code 0) */
	MANIFEST_RESTART_NEVER = 2,
};

enum manifest_recovery {
	MANIFEST_RECOVERY_STATELESS = 0, /* nothing to recover */
	MANIFEST_RECOVERY_REBUILD = 1,	 /* clients tell the new instance again */
	MANIFEST_RECOVERY_MEMORY = 2,	 /* kept in the "state" memory object */
};

struct manifest_range {
	uint64_t base, size;
};

/* Which ids a PCI function must have (manifest_pci.match). */
#define MANIFEST_PCI_ID	     0x1 /* vendor and device */
#define MANIFEST_PCI_CLASS   0x2 /* class and subclass */
#define MANIFEST_PCI_PROG_IF 0x4 /* and the programming interface */

struct manifest_pci {
	uint8_t match; /* MANIFEST_PCI_* bits; 0: no PCI function */
	uint8_t class_code, subclass, prog_if;
	uint16_t vendor, device;
	uint8_t msi, msix; /* vectors to grant (0: none) */
};

struct manifest {
	char name[MANIFEST_NAME_MAX];
	char binary[MANIFEST_NAME_MAX];
	uint32_t line; /* of the [name] header */
	uint32_t priority;
	uint64_t quota_pages;
	uint32_t heartbeat_ms;
	uint32_t state_pages; /* 0 unless recovery = memory */
	uint8_t restart;      /* enum manifest_restart */
	uint8_t recovery;     /* enum manifest_recovery */
	uint8_t autostart;
	uint8_t serves_count, calls_count, irq_count, ioport_count, devmem_count;
	uint8_t framebuffer, ecam, dma; /* devmem = framebuffer, devmem = ecam, dma = yes */
	uint32_t calls_line;
	char serves[MANIFEST_MAX_ENDPOINTS][MANIFEST_NAME_MAX];
	char calls[MANIFEST_MAX_ENDPOINTS][MANIFEST_NAME_MAX];
	uint8_t irqs[MANIFEST_MAX_IRQS];
	struct manifest_range ioports[MANIFEST_MAX_RANGES]; /* base = first port, size = count */
	struct manifest_range devmem[MANIFEST_MAX_RANGES];  /* base and size in bytes */
	struct manifest_pci pci;
};

struct manifest_error {
	uint32_t line; /* 1-based line of the problem */
	char text[MANIFEST_ERROR_MAX];
};

/*
 * Endpoint names a service may call without anyone serving them: the
 * supervisor's own ("ns": names, "svc": control). No service may serve them,
 * nor "state", "bootstrap", "parent", "framebuffer", "ecam" or "dma", nor
 * anything starting "pci." or "irq.", which name other start handles.
 */
#define MANIFEST_SUPERVISOR_ENDPOINTS "ns", "svc"

/*
 * Parse `len` bytes of a services bundle into out[0..max). Returns the
 * number of services, or -1 with *err saying what and where. Beyond the
 * syntax it checks the set: every service has a binary, no endpoint is
 * served twice, and every endpoint called is served by someone.
 */
int manifest_parse(const char *text, size_t len, struct manifest *out, size_t max,
		   struct manifest_error *err);

/*
 * How many start handles an instance of m gets at most, in this order: the
 * endpoints it serves, those it calls, "ns" (unless called), "state", then
 * irq:*, ioport:*, framebuffer, ecam, devmem:*, dma (each as listed), then
 * pci.config, pci.bar*, irq.msi* or irq.msix*. For a PCI function, which
 * BARs it has is known only on the machine: six are counted.
 */
unsigned manifest_handle_count(const struct manifest *m);
/* The PCI part of that count: 1 + MANIFEST_PCI_BARS + vectors, or 0 without pci. */
unsigned manifest_pci_handle_count(const struct manifest *m);

/* "always", "stateless", ... for messages and `svc list`. */
const char *manifest_restart_name(unsigned restart);
const char *manifest_recovery_name(unsigned recovery);
