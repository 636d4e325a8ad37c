/* SPDX-License-Identifier: MIT */
/*
 * Hardware handles from manifests, seen from the service that gets them
 * (irqtest, proto/irqtest.h; its manifest lists irq = 10, ioport =
 * 0x70-0x71, devmem = ecam, dma = yes): it holds exactly those handles
 * under their names, they work (ECAM with its geometry, ports, DMA), and
 * its IRQ object survives crashes: each new instance binds the same object
 * again, so the count of firings goes on and the line still arrives.
 */
#include <string.h>

#include "proto/irqtest.h"
#include "stest.h"
#include "sys/units.h"

#define START_MS    2000
#define CALL_WAIT   (3000 * MS)
#define RESTARTS    3
#define PCI_INTEL   0x8086
#define CMOS_UNREAD 0xFF /* what a port that is not there reads */

static const char *const expected_handles[] = {"irqtest",   "ns",   "irq:10",
					       "ioport:70", "ecam", "dma"};

/* irqtest running (started if it is not), and a handle to it. */
static handle_t irqtest(struct test_ctx *t, struct svc_entry *e)
{
	long err = svc_control(st_ctl(), SVC_START, "irqtest");

	if (err < 0) {
		T_FAIL("svc start irqtest: %s", sys_error_name(err));
		return HANDLE_INVALID;
	}
	if (!st_wait_state(t, "irqtest", SVC_RUNNING, START_MS, e))
		return HANDLE_INVALID;
	return st_lookup(t, "irqtest");
}

TEST(device, device_handles, "a service holds exactly the handles its manifest lists")
{
	struct svc_entry e;
	struct irqtest_handles_reply rp;
	char names[IPC_BUF_BYTES];
	handle_t ep = irqtest(t, &e);
	size_t n = ARRAY_SIZE(expected_handles);

	T_RETURN_IF_FAILED();
	T_OK(irqtest_handles(ep, &rp, names, sizeof(names), CALL_WAIT));
	T_EQ(rp.count, n);
	const char *name = names;
	for (size_t i = 0; i < n; i++, name += strlen(name) + 1)
		if (strcmp(name, expected_handles[i]) != 0)
			T_FAIL("handle %zu is '%s', want '%s'", i, name, expected_handles[i]);
	sys_handle_close(ep);
}

TEST(device, device_probe, "its ECAM (with geometry), port and DMA handles work")
{
	struct svc_entry e;
	struct irqtest_probe_reply rp;
	handle_t ep = irqtest(t, &e);

	T_RETURN_IF_FAILED();
	T_OK(irqtest_probe(ep, &rp, CALL_WAIT));
	T_EQ(rp.pci_id & 0xFFFF, PCI_INTEL); /* q35's host bridge, 8086:29c0 */
	T_ASSERT(rp.ecam_base != 0 && (rp.ecam_base & 0xFFFFF) == 0);
	T_ASSERT((rp.buses >> 8) >= (rp.buses & 0xFF));
	T_ASSERT(rp.cmos_status_a != CMOS_UNREAD);
	T_ASSERT(rp.dma_phys != 0 && (rp.dma_phys & 0xFFF) == 0);
	test_note("irqtest_ecam_base", rp.ecam_base, "address");
	sys_handle_close(ep);
}

/* Crash irqtest and wait for its successor; false (test failed) if it does not come. */
static bool crash(struct test_ctx *t, uint64_t pid)
{
	struct svc_entry e;

	if (svc_fault(st_ctl(), "irqtest", SVC_FAULT_CRASH, SVC_CRASH_NULL_WRITE, 0) < 0) {
		T_FAIL("svc fi irqtest crash refused");
		return false;
	}
	return st_wait_new_instance(t, "irqtest", pid, START_MS, &e);
}

TEST(device, device_irq_across_restart,
     "the IRQ object outlives its server: every new instance binds it and receives it")
{
	struct svc_entry e;
	struct irqtest_fire_reply rp;
	handle_t ep = irqtest(t, &e);

	T_RETURN_IF_FAILED();
	T_OK(irqtest_fire(ep, &rp, CALL_WAIT));
	uint64_t count = rp.count, pid = rp.pid;
	T_ASSERT(count >= 1 && rp.gsi == 10 && rp.bits == 1);
	for (int i = 0; i < RESTARTS; i++) {
		if (!crash(t, pid))
			return;
		T_OK(irqtest_fire(ep, &rp, CALL_WAIT));
		T_ASSERT(rp.pid != pid);   /* a new instance answered */
		T_EQ(rp.count, count + 1); /* on the same IRQ object */
		T_EQ(rp.bits, 1);	   /* which it bound again */
		count = rp.count;
		pid = rp.pid;
	}
	test_note("irqtest_across_restarts", count, "firings");
	T_OK(svc_control(st_ctl(), SVC_STOP, "irqtest"));
	sys_handle_close(ep);
}
