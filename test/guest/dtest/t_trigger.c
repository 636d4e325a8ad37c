/* SPDX-License-Identifier: MIT */
/*
 * Raising an IRQ by software needs R_TRIGGER: the creator of an IRQ object
 * has it, a copy made without it is refused with E_RIGHTS and leaves the
 * line untouched.
 */
#include "dtest.h"

TEST(irq, irq_trigger_right, "a software trigger needs R_TRIGGER; a copy without it is refused")
{
	struct irq_info info;
	T_HANDLE(irq, sys_irq_create(dt_handle("irq"), 0, IRQ_MSI));
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(copy, sys_handle_dup(irq, R_DUP | R_TRANSFER));

	T_EQ(sys_irq_bind(copy, n, 1), E_OK); /* still a driver */
	T_EQ(sys_irq_trigger(copy), E_RIGHTS);
	T_EQ(sys_irq_info(irq, &info), E_OK);
	T_EQ(info.count, 0);
	T_EQ(sys_irq_trigger(irq), E_OK);
	T_EQ(sys_ntfn_wait(n, 1000 * MS), 1);
	sys_handle_close(copy);
	sys_handle_close(irq);
	sys_handle_close(n);
}
