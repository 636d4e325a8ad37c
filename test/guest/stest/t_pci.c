/* SPDX-License-Identifier: MIT */
/*
 * PCI functions granted by manifests, seen from their drivers
 * (proto/pcitest.h). pcitest (pci = 1b36:000d, msix = 2, dma = yes) holds
 * exactly its configuration page, its one BAR and its two MSI-X vectors
 * under their names, with the function's geometry in its start_info and
 * sizes that match; nothing past its BAR can be mapped; the xHCI
 * controller's own MSI-X interrupts arrive, held off at the device (the
 * pending bit) between a firing and its acknowledgement; and across
 * crashes the kernel keeps the vector masked while no driver is bound,
 * and each new instance gets it working again on the same IRQ object.
 * ahcitest (pci = 8086:2922, msi = 1) gets the AHCI controller's MSI,
 * which has no mask bit: the kernel holds a second firing until the
 * acknowledgement; its I/O BAR works too. pcitest2, naming the function
 * pcitest holds, is started without it.
 */
#include <string.h>

#include "proto/pcitest.h"
#include "stest.h"

#define START_MS      3000
#define RESTARTS      2
#define XHCI_ID	      0x000D1B36u /* vendor 1b36 (Red Hat, QEMU), device 000d */
#define XHCI_CLASS    0x30030Cull /* class 0c (serial bus), subclass 03 (USB), prog-if 30 */
#define XHCI_BAR_SIZE 0x4000u

static const char *const xhci_handles[] = {"pcitest",  "ns",	    "dma",	 "pci.config",
					   "pci.bar0", "irq.msix0", "irq.msix1", NULL};
static const char *const ahci_handles[] = {"ahcitest", "ns",	   "dma",      "pci.config",
					   "pci.bar4", "pci.bar5", "irq.msi0", NULL};

/* `name` running (started if it is not), and a handle to it. */
static handle_t running(struct test_ctx *t, const char *name)
{
	struct svc_entry e;
	long err = svc_control(st_ctl(), SVC_START, name);

	if (err < 0) {
		T_FAIL("svc start %s: %s", name, sys_error_name(err));
		return HANDLE_INVALID;
	}
	if (!st_wait_state(t, name, SVC_RUNNING, START_MS, &e))
		return HANDLE_INVALID;
	return st_lookup(t, name);
}

static handle_t pcitest(struct test_ctx *t)
{
	return running(t, "pcitest");
}

static long call(handle_t ep, uint16_t method, struct ipc_msg *m)
{
	*m = (struct ipc_msg){.tag = IPC_TAG(method, 0, 0, 0)};
	long err = ipc_call(ep, m, 3000 * MS);

	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m->tag);
}

/* The server's start handles are exactly `want` (NULL-terminated), in order. */
static void check_handles(struct test_ctx *t, handle_t ep, const char *const *want)
{
	struct ipc_msg m;
	size_t n = 0;

	while (want[n])
		n++;
	T_OK(call(ep, PCITEST_HANDLES, &m));
	T_EQ(m.w[0], n);
	const char *name = (const char *)ipc_buffer()->data;
	for (size_t i = 0; i < n; i++, name += strlen(name) + 1)
		if (strcmp(name, want[i]) != 0)
			T_FAIL("handle %zu is '%s', want '%s'", i, name, want[i]);
}

TEST(pci, pci_handles, "a PCI driver holds exactly its function's handles, by name")
{
	handle_t ep = pcitest(t);

	T_RETURN_IF_FAILED();
	check_handles(t, ep, xhci_handles);
	sys_handle_close(ep);
}

TEST(pci, pci_geometry, "config page and BAR have the function's ids and sizes, no more")
{
	struct ipc_msg m;
	handle_t ep = pcitest(t);

	T_RETURN_IF_FAILED();
	T_OK(call(ep, PCITEST_PROBE, &m));
	T_EQ(m.w[0], XHCI_ID);		    /* read through its config page */
	T_EQ(m.w[2] & 0xFFFFFFFF, XHCI_ID); /* start_info()->pci_fn */
	T_EQ(m.w[2] >> 32, XHCI_CLASS);
	T_EQ(m.w[3] & 0xFFFFFFFF, 4096);   /* one page of ECAM */
	T_EQ(m.w[3] >> 32, XHCI_BAR_SIZE); /* BAR 0 as sized by init */
	T_ASSERT((m.w[4] & 0xFF) >= 0x20); /* CAPLENGTH */
	T_EQ(m.w[4] >> 16, 0x0100);	   /* HCIVERSION 1.0 */
	T_EQ((long)m.w[5], E_INVAL);	   /* a page past the BAR */
	test_note("pcitest_function", m.w[1], "bdf");
	sys_handle_close(ep);
}

TEST(pci, pci_msix, "the controller's MSI-X arrives; masked at the device until the ack")
{
	struct ipc_msg m;
	handle_t ep = pcitest(t);

	T_RETURN_IF_FAILED();
	T_OK(call(ep, PCITEST_MSIX, &m));
	T_EQ(m.w[2], 1);	  /* the kernel set entry 0's mask bit when it fired */
	T_EQ(m.w[3], 1);	  /* the second completion only set the pending bit */
	T_EQ(m.w[4], 1);	  /* the ack let it through: both completions seen */
	T_EQ(m.w[1], m.w[0] + 2); /* two interrupts, counted once each */
	test_note("pcitest_msix", m.w[1], "firings");
	sys_handle_close(ep);
}

/* Crash pcitest and wait for its successor; false (test failed) if it does not come. */
static bool crash(struct test_ctx *t, uint64_t pid)
{
	struct svc_entry e;

	if (svc_fault(st_ctl(), "pcitest", SVC_FAULT_CRASH, SVC_CRASH_NULL_WRITE, 0) < 0) {
		T_FAIL("svc fi pcitest crash refused");
		return false;
	}
	return st_wait_new_instance(t, "pcitest", pid, START_MS, &e);
}

TEST(pci, pci_msix_across_restart,
     "a dead driver's vector stays masked at the device; the next instance gets it back")
{
	struct ipc_msg m;
	handle_t ep = pcitest(t);

	T_RETURN_IF_FAILED();
	T_OK(call(ep, PCITEST_MSIX, &m)); /* ends acknowledged: entry 0 unmasked */
	uint64_t count = m.w[1], pid = m.w[5];
	for (int i = 0; i < RESTARTS; i++) {
		if (!crash(t, pid))
			return;
		T_OK(call(ep, PCITEST_RESTARTED, &m));
		T_ASSERT(m.w[1] != pid);
		T_EQ(m.w[0], 1); /* masked by the kernel when the old notification went */
		T_OK(call(ep, PCITEST_MSIX, &m));
		T_EQ(m.w[0], count); /* the same IRQ object */
		T_EQ(m.w[1], count + 2);
		T_ASSERT(m.w[2] == 1 && m.w[3] == 1 && m.w[4] == 1);
		count = m.w[1];
		pid = m.w[5];
	}
	T_OK(svc_control(st_ctl(), SVC_STOP, "pcitest"));
	sys_handle_close(ep);
}

TEST(pci, pci_msi_no_mask_bit,
     "AHCI's MSI arrives; without a mask bit the kernel holds the next until the ack")
{
	struct ipc_msg m;
	handle_t ep = running(t, "ahcitest");

	T_RETURN_IF_FAILED();
	check_handles(t, ep, ahci_handles);
	T_RETURN_IF_FAILED();
	T_OK(call(ep, PCITEST_MSI, &m));
	T_EQ(m.w[2] >> 16, m.w[2] & 0xFFFF); /* the MSI data is the vector */
	T_EQ(m.w[3], 1);		     /* counted, not delivered, while masked */
	T_EQ(m.w[4], 1);		     /* delivered at the ack */
	T_EQ(m.w[1], m.w[0] + 2);
	T_EQ(m.w[5], 1); /* its I/O BAR reaches the same registers */
	T_OK(svc_control(st_ctl(), SVC_STOP, "ahcitest"));
	sys_handle_close(ep);
}

TEST(pci, pci_function_held, "a second service naming a held function starts without it")
{
	struct svc_entry e;

	T_OK(svc_control(st_ctl(), SVC_START, "pcitest2"));
	T_ASSERT(st_wait_state(t, "pcitest2", SVC_STOPPED, START_MS, &e)); /* it gave up */
}
