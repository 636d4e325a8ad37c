/* SPDX-License-Identifier: MIT */
/*
 * The GDT and TSS of the boot CPU. Selector order is fixed by SYSCALL/SYSRET:
 * kernel code, kernel data, user data, user code, then the 16-byte TSS
 * descriptor. The TSS carries the ring-0 stack for entries from user mode and
 * the IST stacks for double fault, NMI and machine check.
 */
#include "arch/gdt.h"

struct PACKED tss_hw {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss_hw) == 104 && __builtin_offsetof(struct tss_hw, rsp) == 4,
	       "TSS layout (fastpath.asm's TSS_RSP0)");

struct PACKED descriptor_ptr {
	uint16_t limit;
	uint64_t base;
};

extern char ist_df_top[], ist_nmi_top[], ist_mc_top[];

static uint64_t gdt[7] __attribute__((aligned(16)));
/* The TSS followed by its I/O permission bitmap (8 KiB + the 0xFF end byte);
 * fastpath.asm writes its rsp0 (TSS_RSP0) straight. */
struct {
	struct tss_hw tss;
	uint8_t iopb[IO_BITMAP_BYTES + 1];
} PACKED tss_block __attribute__((aligned(16)));
#define tss (tss_block.tss)
/* Leading bytes of tss_block.iopb that may allow a port; the rest are 0xFF (all at first). */
static size_t iopb_loaded = IO_BITMAP_BYTES;

static uint64_t segment(bool code, unsigned dpl)
{
	uint64_t d = (1ull << 47) | (1ull << 44) | ((uint64_t)dpl << 45) | (1ull << 41);
	if (code)
		d |= (1ull << 43) | (1ull << 53); /* executable, long mode */
	return d;
}

static void set_tss_descriptor(uint64_t *slot, const struct tss_hw *t)
{
	uint64_t base = (uint64_t)(uintptr_t)t;
	uint64_t limit = sizeof(tss_block) - 1;

	slot[0] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
		  (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	slot[1] = base >> 32;
}

static void load_gdt_and_tss(void)
{
	struct descriptor_ptr p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"((uint64_t)SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[SEL_KCODE >> 3] = segment(true, 0);
	gdt[SEL_KDATA >> 3] = segment(false, 0);
	gdt[SEL_UDATA >> 3] = segment(false, 3);
	gdt[SEL_UCODE >> 3] = segment(true, 3);
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(uintptr_t)ist_df_top;
	tss.ist[IST_NMI - 1] = (uint64_t)(uintptr_t)ist_nmi_top;
	tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)(uintptr_t)ist_mc_top;
	tss.iomap_base = sizeof(tss_block); /* no bitmap yet: every port traps in ring 3 */
	tss_block.iopb[IO_BITMAP_BYTES] = 0xFF;
	set_tss_descriptor(&gdt[SEL_TSS >> 3], &tss);
	load_gdt_and_tss();
}

void gdt_set_kernel_stack(uintptr_t top)
{
	tss.rsp[0] = top;
}

void *gdt_kernel_stack_slot(void)
{
	return (uint8_t *)&tss_block + __builtin_offsetof(struct tss_hw, rsp);
}

void gdt_set_io_bitmap(const uint8_t *bitmap, size_t bytes)
{
	size_t i = 0;

	if (!bitmap) {
		tss.iomap_base = sizeof(tss_block); /* past the limit: no port allowed */
		return;
	}
	for (; i < bytes && i < IO_BITMAP_BYTES; i++)
		tss_block.iopb[i] = bitmap[i];
	for (; i < iopb_loaded; i++)
		tss_block.iopb[i] = 0xFF; /* what the last bitmap allowed beyond this one's */
	iopb_loaded = bytes < IO_BITMAP_BYTES ? bytes : IO_BITMAP_BYTES;
	tss.iomap_base = sizeof(struct tss_hw);
}
