/* SPDX-License-Identifier: MIT */
/* Wrappers of the device syscalls (sys/device.h). */
#include "sys/device.h"

#include "sys/sys.h"

long sys_irq_create(uint32_t res, uint32_t gsi, uint32_t flags)
{
	return sys_call6(SYS_IRQ_CREATE, res, gsi, flags, 0, 0, 0);
}

long sys_irq_bind(uint32_t irq, uint32_t ntfn, uint64_t bits)
{
	return sys_call6(SYS_IRQ_BIND, irq, ntfn, (long)bits, 0, 0, 0);
}

long sys_irq_ack(uint32_t irq)
{
	return sys_call6(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0);
}

long sys_irq_trigger(uint32_t irq)
{
	return sys_call6(SYS_IRQ_ACK, irq, IRQ_TEST_TRIGGER, 0, 0, 0, 0);
}

long sys_irq_info(uint32_t irq, struct irq_info *out)
{
	return sys_call6(SYS_IRQ_INFO, irq, (long)out, 0, 0, 0, 0);
}

long sys_ioport_create(uint32_t res, uint16_t base, uint32_t count)
{
	return sys_call6(SYS_IOPORT_CREATE, res, base, count, 0, 0, 0);
}

long sys_ioport_enable(uint32_t ioport)
{
	return sys_call6(SYS_IOPORT_ENABLE, ioport, 0, 0, 0, 0, 0);
}

long sys_devmem_create(uint32_t res, uint64_t phys, uint64_t size)
{
	return sys_call6(SYS_DEVMEM_CREATE, res, (long)phys, (long)size, 0, 0, 0);
}

long sys_mobj_phys(uint32_t res, uint32_t mobj, uint64_t page)
{
	return sys_call6(SYS_MOBJ_PHYS, res, mobj, (long)page, 0, 0, 0);
}

long sys_devmem_create_flags(uint32_t res, uint64_t phys, uint64_t size, uint32_t flags)
{
	return sys_call6(SYS_DEVMEM_CREATE, res, (long)phys, (long)size, flags, 0, 0);
}

long sys_mobj_phys_list(uint32_t res, uint32_t mobj, uint64_t first, uint64_t *out, uint64_t count)
{
	return sys_call6(SYS_MOBJ_PHYS_LIST, res, mobj, (long)first, (long)out, (long)count, 0);
}

long sys_irq_set_mask(uint32_t irq, uint32_t mobj, uint64_t offset, uint32_t bit)
{
	return sys_call6(SYS_IRQ_SET_MASK, irq, mobj, (long)offset, bit, 0, 0);
}
