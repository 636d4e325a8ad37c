/* SPDX-License-Identifier: MIT */
/*
 * Raising an IRQ by software needs R_TRIGGER: the creator of an IRQ object
 * has it, a copy made without it is refused with E_RIGHTS and leaves the
 * line untouched.
 */
#include "dtest.h"

static void irq_trigger_right(struct dtest_ctx *t)
{
	struct irq_info info;
	long irq = sys_irq_create(dt_handle("irq"), 0, IRQ_MSI);
	long n = sys_ntfn_create();

	DT_CHECK(t, irq > 0 && n > 0);
	long copy = sys_handle_dup((handle_t)irq, R_DUP | R_TRANSFER);
	DT_CHECK(t, copy > 0);
	DT_CHECK(t, sys_irq_bind((handle_t)copy, (handle_t)n, 1) == E_OK); /* still a driver */
	DT_CHECK(t, sys_irq_trigger((handle_t)copy) == E_RIGHTS);
	DT_CHECK(t, sys_irq_info((handle_t)irq, &info) == E_OK && info.count == 0);
	DT_CHECK(t, sys_irq_trigger((handle_t)irq) == E_OK);
	DT_CHECK(t, sys_ntfn_wait((handle_t)n, 1000 * MS) == 1);
	sys_handle_close((handle_t)copy);
	sys_handle_close((handle_t)irq);
	sys_handle_close((handle_t)n);
}

const struct dtest dtest_irq_trigger_right = {"irq_trigger_right", irq_trigger_right};
