/* SPDX-License-Identifier: MIT */
/*
 * lspci: one line per PCI function, `bus:dev.fn vendor:device class`, read
 * with libsys's PCI library (pci/pci.h). Configuration space comes through
 * the "ecam" device memory the manifest grants (geometry in start_info's
 * pci), mapped one bus (1 MiB) at a time into a window, so a scan of 256
 * buses never maps 256 MiB at once. Without ECAM it falls back to the
 * legacy ports 0xCF8/0xCFC ("ioport:cf8"). Nothing is written: BARs are
 * not sized, since the drivers may be using their devices.
 */
#include "commands.h"
#include "pci/pci.h"
#include "sys/device.h"
#include "sys/sys.h"

#define ECAM_WINDOW_VA	0x0000600000000000ull
#define ECAM_BUS_SHIFT	20 /* 1 MiB of configuration space per bus */
#define ECAM_BUS_BYTES	(1ull << ECAM_BUS_SHIFT)
#define PCI_CONFIG_ADDR 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_ADDR_ENABLE 0x80000000u
#define NO_BUS		(-1)

struct ecam_window {
	const struct cmd_env *env;
	int bus; /* mapped at ECAM_WINDOW_VA, or NO_BUS */
};

/* Map `bus` into the window if it is not there; false if it cannot be. */
static bool ecam_map_bus(struct ecam_window *w, uint8_t bus)
{
	const struct cmd_env *env = w->env;
	uint64_t offset = (uint64_t)(bus - env->pci.bus_start) << ECAM_BUS_SHIFT;

	if (w->bus == bus)
		return true;
	if (w->bus != NO_BUS)
		sys_unmap(HANDLE_SELF, ECAM_WINDOW_VA, ECAM_BUS_BYTES);
	w->bus = NO_BUS;
	if (bus < env->pci.bus_start || bus > env->pci.bus_end ||
	    offset + ECAM_BUS_BYTES > env->ecam_size)
		return false;
	if (sys_mobj_map(HANDLE_SELF, env->ecam, ECAM_WINDOW_VA, offset, ECAM_BUS_BYTES,
			 R_READ | R_WRITE) < 0)
		return false;
	w->bus = bus;
	return true;
}

static uint32_t ecam_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	uint64_t at = ((uint64_t)dev << 15) | ((uint64_t)fn << 12) | (off & 0xFFC);

	if (!ecam_map_bus(ctx, bus))
		return 0xFFFFFFFFu; /* reads as "no function here" */
	return *(volatile uint32_t *)(ECAM_WINDOW_VA + at);
}

static void ecam_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
	uint64_t at = ((uint64_t)dev << 15) | ((uint64_t)fn << 12) | (off & 0xFFC);

	if (ecam_map_bus(ctx, bus))
		*(volatile uint32_t *)(ECAM_WINDOW_VA + at) = v;
}

static uint32_t port_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	return PCI_ADDR_ENABLE | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
	       (off & 0xFC);
}

static uint32_t port_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	(void)ctx;
	port_out32(PCI_CONFIG_ADDR, port_address(bus, dev, fn, off));
	return port_in32(PCI_CONFIG_DATA);
}

static void port_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
	(void)ctx;
	port_out32(PCI_CONFIG_ADDR, port_address(bus, dev, fn, off));
	port_out32(PCI_CONFIG_DATA, v);
}

static int print_function(void *arg, const struct pci_device *d)
{
	shell_printf(arg, "%02x:%02x.%x %04x:%04x %s\n", d->addr.bus, d->addr.dev, d->addr.fn,
		     d->vendor, d->device, pci_class_name(d->class_code, d->subclass, d->prog_if));
	return 0;
}

/* Scan through ECAM, or the ports; E_NOENT when the console has neither. */
static long scan(struct shell *sh, size_t *found)
{
	const struct cmd_env *env = cmd_env_of(sh);
	struct ecam_window w = {env, NO_BUS};
	struct pci_access ecam = {ecam_read32, ecam_write32, &w};
	struct pci_access ports = {port_read32, port_write32, NULL};

	if (env->ecam != HANDLE_INVALID && env->pci.ecam_base) {
		long err = pci_scan(&ecam, env->pci.bus_start, env->pci.bus_end, 0, print_function,
				    sh, found);
		if (w.bus != NO_BUS)
			sys_unmap(HANDLE_SELF, ECAM_WINDOW_VA, ECAM_BUS_BYTES);
		return err;
	}
	if (env->pci_ports == HANDLE_INVALID || sys_ioport_enable(env->pci_ports) < 0)
		return E_NOENT;
	return pci_scan(&ports, 0, 255, 0, print_function, sh, found);
}

int cmd_lspci(struct shell *sh, int argc, char **argv)
{
	size_t found = 0;

	if (argc != 1) {
		shell_printf(sh, "usage: %s (no arguments)\n", argv[0]);
		return E_INVAL;
	}
	long err = scan(sh, &found);
	if (err == E_NOENT)
		shell_printf(sh, "lspci: no access to PCI configuration space\n");
	else if (found == 0)
		shell_printf(sh, "lspci: no PCI functions found\n");
	return err < 0 ? (int)err : 0;
}
