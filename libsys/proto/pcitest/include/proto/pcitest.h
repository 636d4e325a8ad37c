/* SPDX-License-Identifier: MIT */
/*
 * The pcitest protocol (methods 0x7900-0x79FF, sys/protocols.h) of the PCI
 * test servers: pcitest (servers/test/pcitest), a driver of QEMU's xHCI
 * controller (qemu-xhci, 1b36:000d) granted by its manifest (pci =
 * 1b36:000d, msix = 2, dma = yes), and ahcitest (servers/test/ahcitest), a
 * driver of q35's AHCI controller (pci = 8086:2922, msi = 1). Through them
 * stest checks the PCI grant path on real devices: the handles and their
 * geometry, that nothing beyond the function is reachable, MSI-X interrupts
 * from the xHCI controller, masked by the kernel at the device between a
 * firing and its acknowledgement, and MSI interrupts from the AHCI
 * controller, which has no mask bits, held by the kernel's own masking
 * instead.
 *
 * PCITEST_HANDLES (idempotent; both servers)
 *   reply: w0 = how many start handles the instance was given; the buffer
 *          holds their names in order, each NUL-terminated
 * PCITEST_PROBE (idempotent)
 *   reply: w0 = the first dword of the function's configuration space,
 *          read through "pci.config" (vendor | device << 16);
 *          w1 = start_info()->pci_fn's bus << 16 | dev << 8 | fn;
 *          w2 = its vendor | device << 16 | class << 32 | subclass << 40 |
 *          prog-if << 48; w3 = the sizes (SYS_HANDLE_INFO) of pci.config
 *          and pci.bar0, config | bar0 << 32; w4 = the xHCI's CAPLENGTH
 *          and HCIVERSION dword read through pci.bar0; w5 = what mapping
 *          one page more than pci.bar0 gives (an error)
 * PCITEST_MSIX (not idempotent: the controller runs two No Op commands)
 *   The controller completes a No Op command and raises MSI-X vector 0;
 *   then, before the driver acknowledges, a second No Op.
 *   reply: w0 = the vector's firings (struct irq_info.count) before,
 *          w1 = after both; w2 = entry 0's vector control after the first
 *          firing (1: masked by the kernel), w3 = 1 if the second
 *          completion set entry 0's pending bit instead of interrupting
 *          and no notification came while masked, w4 = 1 if the
 *          acknowledgement let the pending message through (a second
 *          notification, and both completion events found in the event
 *          ring), w5 = the server's pid
 * PCITEST_MSI (not idempotent; ahcitest: the controller is reset twice)
 *   Each reset, then the port's FIS receive area switched on, makes the
 *   controller send its first D2H register FIS and raise its MSI; the
 *   second comes before the driver acknowledges the first.
 *   reply: w0 = the vector's firings before, w1 = after both; w2 = the
 *   vector | the MSI data register read through pci.config << 16; w3 = 1
 *   if the second firing was counted but not delivered while masked; w4 =
 *   1 if the acknowledgement delivered it at once; w5 = the AHCI CAP
 *   register read through the I/O BAR (pci.bar4's index/data pair) ==
 *   the one read through pci.bar5 (1 if equal)
 * PCITEST_RESTARTED (idempotent; pcitest)
 *   reply: w0 = entry 0's vector control as this instance found it before
 *          binding (1: the kernel kept it masked while no driver was
 *          bound), w1 = the instance's pid
 *   errors: what the failing step gave (E_NOENT for a missing handle,
 *           E_TIMEOUT when the controller or the interrupt did not come)
 */
#pragma once

#include "sys/protocols.h"
#include "sys/server.h"

#define PCITEST_PROTOCOL_BASE PROTOCOL_BASE(pcitest)
#define PCITEST_HANDLES	      (PCITEST_PROTOCOL_BASE + 0x01)
#define PCITEST_PROBE	      (PCITEST_PROTOCOL_BASE + 0x02)
#define PCITEST_MSIX	      (PCITEST_PROTOCOL_BASE + 0x03)
#define PCITEST_RESTARTED     (PCITEST_PROTOCOL_BASE + 0x04)
#define PCITEST_MSI	      (PCITEST_PROTOCOL_BASE + 0x05)

/* PCITEST_HANDLES as both servers answer it, for their method tables. */
long pcitest_handles_handler(struct server_request *req);
