/* SPDX-License-Identifier: MIT */
/*
 * The IDT and trap_dispatch, where every vector lands. Exceptions in ring 0
 * are fatal: they dump the CPU state with a symbolised backtrace and stop the
 * machine. Interrupt vectors go to the handler registered for them; vectors
 * nobody claimed and spurious interrupts are counted and logged, never fatal.
 */
#include "arch/trap.h"

#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/percpu.h"
#include "kernel/fastpath.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/process.h"

#define UNCLAIMED_LOG_LIMIT 8

struct PACKED idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

struct PACKED idt_ptr {
	uint16_t limit;
	uint64_t base;
};

struct irq_slot {
	irq_handler_fn fn;
	void *ctx;
};

extern const uint64_t isr_stub_table[256];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct irq_slot irq_slots[256];
static uint64_t spurious_count, unclaimed_count;

static const char *const exception_names[VEC_EXCEPTIONS] = {
	[VEC_DE] = "#DE divide error",
	[VEC_DB] = "#DB debug",
	[VEC_NMI] = "NMI",
	[VEC_BP] = "#BP breakpoint",
	[VEC_OF] = "#OF overflow",
	[VEC_BR] = "#BR bound range",
	[VEC_UD] = "#UD invalid opcode",
	[VEC_NM] = "#NM device not available",
	[VEC_DF] = "#DF double fault",
	[VEC_TS] = "#TS invalid TSS",
	[VEC_NP] = "#NP segment not present",
	[VEC_SS] = "#SS stack fault",
	[VEC_GP] = "#GP general protection",
	[VEC_PF] = "#PF page fault",
	[VEC_MF] = "#MF x87 error",
	[VEC_AC] = "#AC alignment check",
	[VEC_MC] = "#MC machine check",
	[VEC_XM] = "#XM SIMD error",
	[VEC_VE] = "#VE virtualization",
	[VEC_CP] = "#CP control protection",
};

static void set_gate(unsigned vec, uint64_t handler, uint8_t ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = SEL_KCODE,
		.ist = ist,
		.type_attr = 0x8E, /* present, DPL 0, 64-bit interrupt gate */
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void trap_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, isr_stub_table[v], 0);
	idt[VEC_DF].ist = IST_DOUBLE_FAULT;
	idt[VEC_NMI].ist = IST_NMI;
	idt[VEC_MC].ist = IST_MACHINE_CHECK;
	struct idt_ptr p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(p));
}

int trap_set_handler(unsigned vector, irq_handler_fn fn, void *ctx)
{
	if (vector < VEC_IRQ_BASE || vector > 0xFF || vector == VEC_SPURIOUS)
		return -1;
	bool irq = irq_save();
	irq_slots[vector] = (struct irq_slot){fn, ctx};
	irq_restore(irq);
	return 0;
}

uint64_t trap_spurious_count(void)
{
	return spurious_count;
}

uint64_t trap_unclaimed_count(void)
{
	return unclaimed_count;
}

void trap_dump(const struct trap_frame *tf)
{
	kprintf("rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx\n", tf->rax, tf->rbx, tf->rcx,
		tf->rdx);
	kprintf("rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx rsp=0x%016lx\n", tf->rsi, tf->rdi, tf->rbp,
		tf->rsp);
	kprintf("r8 =0x%016lx r9 =0x%016lx r10=0x%016lx r11=0x%016lx\n", tf->r8, tf->r9, tf->r10,
		tf->r11);
	kprintf("r12=0x%016lx r13=0x%016lx r14=0x%016lx r15=0x%016lx\n", tf->r12, tf->r13, tf->r14,
		tf->r15);
	kprintf("rip=0x%016lx rflags=0x%08lx cs=0x%02lx ss=0x%02lx\n", tf->rip, tf->rflags, tf->cs,
		tf->ss);
	kprintf("cr0=0x%08lx cr3=0x%016lx cr4=0x%08lx\n", read_cr0(), read_cr3(), read_cr4());
}

static NORETURN void kernel_exception(struct trap_frame *tf)
{
	const char *name = exception_names[tf->vector];

	panic_enter();
	kprintf("\nEXCEPTION %s (vector %lu) err=0x%lx in %s mode\n", name ? name : "reserved",
		tf->vector, tf->error, (tf->cs & 3) ? "user" : "kernel");
	if (tf->vector == VEC_PF)
		kprintf("cr2=0x%016lx (%s %s, %s)\n", read_cr2(),
			(tf->error & 1) ? "protection violation on" : "not-present page on",
			(tf->error & 16)  ? "instruction fetch"
			: (tf->error & 2) ? "write"
					  : "read",
			(tf->error & 4) ? "user" : "supervisor");
	trap_dump(tf);
	backtrace_print(tf->rip, tf->rbp);
	kprintf("PANIC: unhandled exception in kernel mode\n");
	kernel_exit(KEXIT_FAILURE);
}

extern char copy_user_start[], copy_user_end[], copy_user_fixup[];

/* A fault inside the user-copy routine is the user's bad pointer, not ours. */
static bool fixup_user_copy(struct trap_frame *tf)
{
	if (tf->vector != VEC_PF || tf->rip < (uint64_t)copy_user_start ||
	    tf->rip >= (uint64_t)copy_user_end)
		return false;
	tf->rip = (uint64_t)copy_user_fixup;
	return true;
}

/* A ring-3 exception ends the faulting process (the supervisor will hear of it). */
static void user_exception(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	const char *name = exception_names[tf->vector];

	uint64_t addr = tf->vector == VEC_PF ? read_cr2() : 0;

	klog("fault: process %lu '%s' thread %lu: %s at rip 0x%lx", t->proc->pid, t->proc->name,
	     t->id, name ? name : "exception", tf->rip);
	if (tf->vector == VEC_PF)
		kprintf(" addr 0x%lx", addr);
	kprintf(" err 0x%lx%s\n", tf->error, t->proc->sup_ep ? ", to its supervisor" : "");
	if (t->proc->sup_ep && !t->proc->exited)
		thread_fault_to_supervisor(t, tf, addr); /* returns only if never killed */
	process_exit(t->proc, EXIT_FAULTED - (int64_t)tf->vector);
	thread_exit_current();
}

static void irq_unclaimed(struct trap_frame *tf)
{
	unclaimed_count++;
	if (unclaimed_count <= UNCLAIMED_LOG_LIMIT)
		klog("irq: unclaimed vector %lu (%lu so far)\n", tf->vector, unclaimed_count);
	lapic_eoi();
}

/* Returns NULL, or the frame of a thread to resume in ring 3 at once
 * (fastpath_preempt: isr.asm parks the current thread and returns there). */
struct trap_frame *trap_dispatch(struct trap_frame *tf)
{
	bool from_user = (tf->cs & 3) != 0;

	if (tf->vector < VEC_EXCEPTIONS) {
		if (from_user && current_thread()->proc)
			user_exception(tf);
		if (!fixup_user_copy(tf))
			kernel_exception(tf);
		return NULL;
	}
	if (tf->vector == VEC_SPURIOUS || tf->vector == VEC_PIC_BASE + 7 ||
	    tf->vector == VEC_PIC_BASE + 15) {
		spurious_count++; /* spurious interrupts take no EOI */
		return NULL;
	}
	struct irq_slot *s = &irq_slots[tf->vector];
	if (!s->fn) {
		irq_unclaimed(tf);
		return NULL;
	}
	struct trap_frame *to = s->fn(tf, s->ctx);
	if (to)
		return to;
	/* Preempt only at the boundary to user mode or in the idle loop: the
	 * kernel itself is never preempted. */
	if (!sched_preempt_pending() || (!from_user && current_thread() != this_cpu()->idle))
		return NULL;
	to = from_user ? fastpath_preempt(tf) : NULL;
	if (!to)
		schedule();
	return to;
}
