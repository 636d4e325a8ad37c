/* SPDX-License-Identifier: MIT */
/*
 * kmain: the boot sequence after boot.asm has entered long mode. Order
 * matters: the console and exception handlers first (so every later failure
 * is reported), then the boot information, physical memory, the kernel page
 * tables, the heap, ACPI, interrupt controllers and the timer.
 */
#include "acpi/acpi.h"
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "boot/mb2.h"
#include "kernel/bootinfo.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/fastpath.h"
#include "kernel/kheap.h"
#include "kernel/ktest.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "kernel/vm.h"

#define MB2_INFO_MAX (1u << 20) /* refuse absurd boot information sizes */

static struct boot_info boot_info;
static struct acpi_info acpi_info;

const struct boot_info *kernel_boot_info(void)
{
	return &boot_info;
}

const struct acpi_info *kernel_acpi_info(void)
{
	return &acpi_info;
}

static void report_warnings(const char *what, uint32_t bits, const char *(*name)(uint32_t))
{
	for (unsigned b = 0; b < 32; b++) {
		if (bits & (1u << b))
			klog("warning: %s: %s\n", what, name(1u << b));
	}
}

static void parse_boot_info(uint32_t magic, paddr_t info_pa)
{
	if (mb2_check_magic(magic) != 0)
		panic("boot: not started by a multiboot2 loader (magic 0x%x)", magic);
	const void *info = phys_to_virt(info_pa);
	uint32_t total = *(const uint32_t *)info;
	if (total > MB2_INFO_MAX || mb2_parse(info, total, &boot_info) != 0)
		panic("boot: multiboot2 information at 0x%lx is malformed", info_pa);
	cmdline_set(boot_info.cmdline);
	report_warnings("multiboot2", boot_info.warnings, mb2_warning_name);
	klog("boot: loader '%s', cmdline '%s', %zu memory map entries, %zu modules\n",
	     boot_info.loader_name ? boot_info.loader_name : "?", cmdline_raw(),
	     boot_info.mmap_count, boot_info.module_count);
	if (boot_info.fb.usable)
		klog("boot: framebuffer %ux%ux%u at 0x%lx, pitch %u\n", boot_info.fb.width,
		     boot_info.fb.height, boot_info.fb.bpp, boot_info.fb.addr, boot_info.fb.pitch);
	else
		klog("warning: no usable framebuffer; the serial console is the only output\n");
}

static const void *acpi_map(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	return vm_map_phys(phys, len);
}

static void parse_acpi(void)
{
	if (cmdline_list_has("acpi", "off")) {
		klog("warning: ACPI disabled on the command line; using legacy defaults\n");
		return;
	}
	if (!boot_info.has_rsdp) {
		klog("warning: no ACPI RSDP from the loader; using legacy defaults\n");
		return;
	}
	int err = acpi_parse(boot_info.rsdp, boot_info.rsdp_len, acpi_map, NULL, &acpi_info);
	if (err) {
		klog("warning: ACPI unusable (error %d); using legacy defaults\n", err);
		return;
	}
	report_warnings("ACPI", acpi_info.warnings, acpi_warning_name);
	for (size_t i = 0; i < acpi_info.bad_table_count; i++)
		klog("warning: ACPI table '%s' rejected: %s\n", acpi_info.bad_tables[i].signature,
		     acpi_warning_name(acpi_info.bad_tables[i].reason));
	klog("acpi: OEM '%s', %s, %zu CPUs, %zu I/O APICs, PM timer %s\n", acpi_info.oem_id,
	     acpi_info.used_xsdt ? "XSDT" : "RSDT", acpi_info.madt.cpu_count,
	     acpi_info.madt.ioapic_count, acpi_info.fadt.pm_timer_present ? "yes" : "no");
}

static void interrupts_init(void)
{
	pic_disable();
	paddr_t lapic_base = acpi_info.has_madt ? acpi_info.madt.lapic_addr : 0;
	if (lapic_init(lapic_base) != 0)
		panic("irq: cannot map the local APIC");
	if (ioapic_init(&acpi_info) != 0)
		klog("warning: no I/O APIC found; device interrupts unavailable\n");
	if (timer_init(&acpi_info) != 0)
		panic("timer: calibration failed");
	irq_enable();
}

NORETURN void kmain(uint32_t magic, paddr_t info_pa)
{
	clock_mark_boot();
	console_init();
	gdt_init();
	trap_init();
	kprintf("\n");
	klog("kernel: starting (image %lu KiB at 0x%lx)\n",
	     (unsigned long)(__kernel_end - __kernel_start) / 1024, virt_to_phys(__kernel_start));
	parse_boot_info(magic, info_pa);
	pmm_init(&boot_info, info_pa, info_pa + boot_info.total_size);
	paging_init(&boot_info);
	kheap_init();
	parse_acpi();
	interrupts_init();
	cpu_init();
	sched_init();
	fastpath_init();
	KASSERT(syscall_table_complete());
	klog("kernel: ready in %lu us\n", clock_ns() / 1000);
	ktest_crash_selected();
	ktest_run_selected();
	init_start(&boot_info);
	sched_start();
}
