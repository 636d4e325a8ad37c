/* SPDX-License-Identifier: MIT */
/*
 * MSI objects (suite msi): a vector can be asked for exactly (for aligned
 * multi-message blocks); an MSI is masked when it fires until the driver
 * acknowledges, and what arrives meanwhile is delivered once, at the
 * acknowledgement, so a storm reaches the driver one notification per
 * acknowledgement; and SYS_IRQ_SET_MASK points the kernel at a mask bit in
 * device memory, which it then sets and clears with the object's state. The
 * device memory here is the framebuffer's last page: a dword of pixels
 * shows every write.
 */
#include <stdbool.h>

#include "dtest.h"

#define FB_VA	   0x0000220000000000ull
#define VECTOR	   0x90
#define BITS	   0x4
#define MASK_BIT   5
#define PAGE	   4096u
#define STORM	   1000
#define QUIET_WAIT (20 * MS)

static bool masked(handle_t irq)
{
	struct irq_info info;

	return sys_irq_info(irq, &info) == E_OK && info.masked;
}

static uint64_t count_of(handle_t irq)
{
	struct irq_info info;

	return sys_irq_info(irq, &info) == E_OK ? info.count : ~0ull;
}

TEST(msi, msi_exact_vectors,
     "a vector is given exactly when asked for, once, and is free again after")
{
	struct irq_info info;
	long a = sys_irq_create(dt_handle("irq"), VECTOR, IRQ_MSI);

	T_ASSERT(a > 0 && sys_irq_info((handle_t)a, &info) == E_OK);
	T_ASSERT(info.vector == VECTOR && info.msi_data == VECTOR && (info.flags & IRQ_MSI));
	T_EQ(sys_irq_create(dt_handle("irq"), VECTOR, IRQ_MSI), E_BUSY);
	T_EQ(sys_irq_create(dt_handle("irq"), IRQ_MSI_VECTOR_FIRST - 1, IRQ_MSI), E_RANGE);
	T_EQ(sys_irq_create(dt_handle("irq"), IRQ_MSI_VECTOR_LAST + 1, IRQ_MSI), E_RANGE);
	long any = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	T_ASSERT(any > 0 && sys_irq_info((handle_t)any, &info) == E_OK);
	T_ASSERT(info.vector != VECTOR);
	sys_handle_close((handle_t)any);
	sys_handle_close((handle_t)a);
	a = sys_irq_create(dt_handle("irq"), VECTOR, IRQ_MSI); /* free again */
	T_ASSERT(a > 0);
	sys_handle_close((handle_t)a);
}

TEST(msi, msi_masked_until_ack,
     "an MSI is masked when it fires; what arrives meanwhile comes once, at the ack")
{
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI), n = sys_ntfn_create();

	T_ASSERT(irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, BITS) == E_OK);
	T_ASSERT(!masked((handle_t)irq));
	T_EQ(sys_irq_trigger((handle_t)irq), E_OK);
	T_EQ(sys_ntfn_wait((handle_t)n, 1000 * MS), BITS);
	T_ASSERT(masked((handle_t)irq)); /* until the driver acknowledges */
	for (int i = 0; i < 3; i++)
		T_EQ(sys_irq_trigger((handle_t)irq), E_OK);
	T_EQ(sys_ntfn_wait((handle_t)n, QUIET_WAIT), E_TIMEOUT);
	T_EQ(count_of((handle_t)irq), 4); /* counted, not delivered */
	T_EQ(sys_irq_ack((handle_t)irq), E_OK);
	T_EQ(sys_ntfn_wait((handle_t)n, 0), BITS); /* the one that waited, at once */
	T_ASSERT(masked((handle_t)irq));
	T_EQ(sys_irq_ack((handle_t)irq), E_OK);
	T_ASSERT(!masked((handle_t)irq));
	T_EQ(sys_ntfn_wait((handle_t)n, QUIET_WAIT), E_TIMEOUT); /* nothing left */
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}

/* A thousand firings while masked reach the driver as one notification. */
TEST(msi, msi_storm_one_per_ack,
     "a thousand firings while masked reach the driver as one notification")
{
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI), n = sys_ntfn_create();
	int notifications = 0;

	T_ASSERT(irq > 0 && n > 0 && sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK);
	for (int i = 0; i < STORM; i++)
		sys_irq_trigger((handle_t)irq);
	while (sys_ntfn_wait((handle_t)n, QUIET_WAIT) > 0)
		notifications++;
	T_ASSERT(notifications == 1 && count_of((handle_t)irq) == STORM);
	T_EQ(sys_irq_ack((handle_t)irq), E_OK); /* delivers the rest as one */
	T_EQ(sys_ntfn_wait((handle_t)n, 0), 1);
	T_ASSERT(sys_irq_ack((handle_t)irq) == E_OK && !masked((handle_t)irq));
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}

/* Every way SYS_IRQ_SET_MASK refuses; nothing changes on any of them. */
static void set_mask_refusals(struct test_ctx *t, handle_t irq, handle_t fb, uint32_t size)
{
	long ro = sys_handle_dup(fb, R_READ | R_DUP), ram = sys_mobj_create(PAGE, 0);
	long line = sys_irq_create(dt_handle("irq"), 10, IRQ_LEVEL), n = sys_ntfn_create();
	long copy = sys_handle_dup(irq, R_DUP | R_TRANSFER | R_TRIGGER); /* as a driver gets it */
	uint64_t at = size - PAGE;

	T_ASSERT(ro > 0 && ram > 0 && line > 0 && n > 0 && copy > 0);
	T_EQ(sys_irq_set_mask((handle_t)copy, fb, at, 0), E_RIGHTS);
	T_EQ(sys_irq_set_mask(irq, fb, at, 32), E_INVAL);
	T_EQ(sys_irq_set_mask(irq, fb, at + 2, 0), E_INVAL);
	T_EQ(sys_irq_set_mask(irq, fb, size, 0), E_RANGE);
	T_EQ(sys_irq_set_mask(irq, fb, ~3ull, 0), E_RANGE);
	T_EQ(sys_irq_set_mask(irq, (handle_t)ro, at, 0), E_RIGHTS);
	T_EQ(sys_irq_set_mask(irq, (handle_t)ram, 0, 0), E_TYPE); /* RAM: never */
	T_EQ(sys_irq_set_mask(irq, (handle_t)n, 0, 0), E_TYPE);
	T_EQ(sys_irq_set_mask((handle_t)n, fb, at, 0), E_TYPE);
	T_EQ(sys_irq_set_mask(0x12345, fb, at, 0), E_BADHANDLE);
	T_EQ(sys_irq_set_mask(irq, 0x12345, at, 0), E_BADHANDLE);
	T_EQ(sys_irq_set_mask((handle_t)line, fb, at, 0), E_INVAL); /* lines: IOAPIC */
	sys_handle_close((handle_t)ro);
	sys_handle_close((handle_t)ram);
	sys_handle_close((handle_t)line);
	sys_handle_close((handle_t)n);
	sys_handle_close((handle_t)copy);
}

TEST(msi, msi_device_mask,
     "SYS_IRQ_SET_MASK: the kernel sets and clears a mask bit in device memory")
{
	uint32_t size = 0;
	handle_t fb = start_handle("framebuffer", &size);
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI), n = sys_ntfn_create();

	T_ASSERT(fb != HANDLE_INVALID && irq > 0 && n > 0);
	T_EQ(sys_mobj_map(HANDLE_SELF, fb, FB_VA, 0, size, R_READ | R_WRITE), E_OK);
	volatile uint32_t *word = (volatile uint32_t *)(FB_VA + size - PAGE);
	*word = 0x12340000; /* the other bits must survive every write */
	set_mask_refusals(t, (handle_t)irq, fb, size);
	T_RETURN_IF_FAILED();
	T_EQ(*word, 0x12340000);
	T_EQ(sys_irq_set_mask((handle_t)irq, fb, size - PAGE, MASK_BIT), E_OK);
	T_EQ(*word, 0x12340000 | 1u << MASK_BIT); /* unbound: masked */
	T_EQ(sys_irq_bind((handle_t)irq, (handle_t)n, 1), E_OK);
	T_EQ(*word, 0x12340000);
	T_ASSERT(sys_irq_trigger((handle_t)irq) == E_OK && sys_ntfn_wait((handle_t)n, 0) == 1);
	T_EQ(*word, 0x12340000 | 1u << MASK_BIT); /* fired: masked at the "device" */
	T_ASSERT(sys_irq_ack((handle_t)irq) == E_OK && *word == 0x12340000);
	sys_handle_close((handle_t)n); /* the driver is gone: masked again */
	T_EQ(*word, 0x12340000 | 1u << MASK_BIT);
	T_EQ(sys_irq_set_mask((handle_t)irq, HANDLE_INVALID, 0, 0), E_OK);
	*word = 0;
	n = sys_ntfn_create();
	T_ASSERT(sys_irq_bind((handle_t)irq, (handle_t)n, 1) == E_OK && *word == 0); /* forgot */
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
	T_EQ(sys_unmap(HANDLE_SELF, FB_VA, size), E_OK);
}
