/* SPDX-License-Identifier: MIT */
/*
 * Boot-CPU set-up for running user code: the per-CPU block behind GS, the
 * SYSCALL/SYSRET MSRs, SMEP and SMAP when the CPU has them, the FPU/SSE
 * state (saved eagerly on every switch between threads, see thread.c), and
 * the PAT with one write-combining entry for framebuffers.
 */
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/pagetable.h"
#include "arch/percpu.h"
#include "kernel/printk.h"

#define MSR_STAR	   0xC0000081
#define MSR_LSTAR	   0xC0000082
#define MSR_FMASK	   0xC0000084
#define MSR_KERNEL_GS_BASE 0xC0000102
#define EFER_SCE	   (1ull << 0)

#define CR0_MP	       (1ull << 1)
#define CR0_EM	       (1ull << 2)
#define CR0_TS	       (1ull << 3)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_SMEP       (1ull << 20)
#define CR4_SMAP       (1ull << 21)

/*
 * The PAT: entries 0-3 keep their power-on types (WB, WT, UC-, UC), so
 * every mapping made with PWT/PCD means what it meant; entry 4 (the PAT bit
 * of a 4 KiB page alone) becomes write-combining. Entries 5-7 as at reset.
 */
#define PAT_TYPE_WC  0x01ull
#define PAT_POWER_ON 0x0007040600070406ull
#define PAT_WITH_WC  ((PAT_POWER_ON & ~(0xFFull << 32)) | (PAT_TYPE_WC << 32))

/*
 * Flags cleared on SYSCALL entry: TF, IF, DF, NT, AC. The kernel runs with
 * IF=0. NT matters because RFLAGS travels with the CPU across a context
 * switch: a thread that entered with NT set (POPF can set it in ring 3)
 * would hand it to the next thread, whose IRETQ then faults (#GP in 64-bit
 * mode). Interrupt and exception entries clear NT themselves.
 */
#define SYSCALL_FMASK 0x44700ull

extern char syscall_entry[];
extern uint8_t smap_enabled;

struct percpu cpu0;
static bool has_smep, has_smap, has_pat;

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
}

static void protection_init(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	cpuid(7, 0, r);
	has_smep = (r[1] >> 7) & 1;
	has_smap = (r[1] >> 20) & 1;
	uint64_t cr4 = read_cr4();
	if (has_smep)
		cr4 |= CR4_SMEP;
	if (has_smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	smap_enabled = has_smap;
}

/*
 * Nothing maps with the PAT bit before this runs (the kernel's large pages
 * leave it clear), so no cached line or TLB entry has the old entry 4 type.
 */
static void pat_init(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	has_pat = (r[3] >> 16) & 1;
	if (!has_pat)
		return; /* write-combining mappings stay uncached */
	wrmsr(MSR_PAT, PAT_WITH_WC);
	pt_set_pat_wc(true);
}

void cpu_init(void)
{
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&cpu0);
	cpu0.tss_rsp0 = gdt_kernel_stack_slot();
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA & ~3) - 8) << 48 | (uint64_t)SEL_KCODE << 32);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	fpu_init();
	protection_init();
	pat_init();
	klog("cpu: syscall ready, SMEP %s, SMAP %s, PAT write-combining %s, FPU state saved "
	     "eagerly\n",
	     has_smep ? "on" : "off", has_smap ? "on" : "off", has_pat ? "on" : "off");
}

void cpu_set_kernel_stack(uintptr_t top)
{
	cpu0.kernel_rsp = top;
	gdt_set_kernel_stack(top);
}

bool cpu_has_smap(void)
{
	return has_smap;
}

bool cpu_has_pat_wc(void)
{
	return has_pat;
}

bool cpu_has_smep(void)
{
	return has_smep;
}
