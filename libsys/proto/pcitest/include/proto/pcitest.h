/* SPDX-License-Identifier: MIT */
/*
 * The pcitest protocol (methods 0x7900-0x79FF) of the pcitest test server
 * (servers/test/pcitest): a driver of QEMU's xHCI controller (qemu-xhci,
 * 1b36:000d) granted by its manifest (pci = 1b36:000d, msix = 2, dma =
 * yes), through which stest checks the PCI grant path on a real device:
 * the handles and their geometry, that nothing beyond the function is
 * reachable, and MSI-X interrupts from the controller itself, masked by
 * the kernel at the device between a firing and its acknowledgement.
 *
 * PCITEST_HANDLES (idempotent)
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
 * PCITEST_RESTARTED (idempotent)
 *   reply: w0 = entry 0's vector control as this instance found it before
 *          binding (1: the kernel kept it masked while no driver was
 *          bound), w1 = the instance's pid
 *   errors: what the failing step gave (E_NOENT for a missing handle,
 *           E_TIMEOUT when the controller or the interrupt did not come)
 */
#pragma once

#define PCITEST_PROTOCOL_BASE 0x7900
#define PCITEST_HANDLES	      0x7901
#define PCITEST_PROBE	      0x7902
#define PCITEST_MSIX	      0x7903
#define PCITEST_RESTARTED     0x7904
