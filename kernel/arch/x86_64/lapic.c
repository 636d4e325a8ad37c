/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of the boot CPU (xAPIC, memory-mapped, uncached) and the
 * legacy 8259 PIC, which is remapped above the I/O APIC vectors and masked so
 * that only its spurious IRQs can ever arrive (they are counted, not served).
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/vm.h"

#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0B0
#define LAPIC_SVR	0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310
#define LAPIC_TIMER_ICR 0x380
#define LAPIC_TIMER_CCR 0x390
#define LAPIC_TIMER_DCR 0x3E0

#define LVT_MASKED		(1u << 16)
#define LVT_PERIODIC		(1u << 17)
#define SVR_ENABLE		(1u << 8)
#define APIC_BASE_GLOBAL_ENABLE (1ull << 11)

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

static volatile uint32_t *lapic_regs;

static inline uint32_t lapic_read(uint32_t reg)
{
	return lapic_regs[reg / 4];
}

static inline void lapic_write(uint32_t reg, uint32_t v)
{
	lapic_regs[reg / 4] = v;
}

void pic_disable(void)
{
	static const uint8_t init[] = {0x11, 0x11};

	outb(PIC1_CMD, init[0]); /* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, init[1]);
	outb(PIC1_DATA, VEC_PIC_BASE); /* ICW2: vector bases */
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	outb(PIC1_DATA, 4); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xFF); /* mask everything */
	outb(PIC2_DATA, 0xFF);
}

int lapic_init(paddr_t base)
{
	uint64_t msr = rdmsr(MSR_APIC_BASE);

	if (!base)
		base = msr & ~0xFFFull;
	wrmsr(MSR_APIC_BASE, msr | APIC_BASE_GLOBAL_ENABLE);
	lapic_regs = vm_map_mmio(base, PAGE_SIZE);
	if (!lapic_regs)
		return -1;
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_EOI, 0);
	return 0;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_timer_start(uint32_t count, bool periodic)
{
	lapic_write(LAPIC_TIMER_DCR, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER | (periodic ? LVT_PERIODIC : 0));
	lapic_write(LAPIC_TIMER_ICR, count);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_ICR, 0);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CCR);
}

void lapic_self_ipi(uint8_t vector)
{
	lapic_write(LAPIC_ICR_HIGH, 0);
	lapic_write(LAPIC_ICR_LOW, (1u << 18) | vector); /* shorthand: self, fixed */
}

void msi_compose(uint8_t vector, uint64_t *address, uint32_t *data)
{
	*address = 0xFEE00000ull | ((uint64_t)lapic_id() << 12);
	*data = vector;
}
