/* SPDX-License-Identifier: MIT */
/*
 * Ports, device memory and DMA: only enabled ports work (the CMOS clock at
 * 0x70/0x71 answers); device memory is never RAM and maps uncached (the
 * framebuffer takes pixels); DMA buffers are physically contiguous.
 */
#include "dtest.h"

#define FB_VA 0x0000200000000000ull
#define DMA_VA 0x0000210000000000ull

static void ports(struct dtest_ctx *t)
{
	long io = sys_ioport_create(dt_handle("ioport"), 0x70, 2);

	DT_CHECK(t, io > 0);
	DT_CHECK(t, sys_ioport_create(dt_handle("ioport"), 0xFFFF, 2) == E_RANGE);
	DT_CHECK(t, sys_ioport_create(dt_handle("irq"), 0x70, 2) == E_TYPE);
	DT_CHECK(t, sys_ioport_enable((handle_t)io) == E_OK);
	port_out8(0x70, 0x0A); /* status register A: the divider bits say 32.768 kHz */
	uint8_t a = port_in8(0x71);
	DT_CHECK(t, (a & 0x70) == 0x20);
	port_out8(0x70, 0x00); /* seconds, BCD or binary: below 0x60 either way */
	DT_CHECK(t, port_in8(0x71) < 0x60);
	sys_handle_close((handle_t)io);
}
const struct dtest dtest_ports = {"ioport_cmos", ports};

static void devmem(struct dtest_ctx *t)
{
	const struct start_info *si = start_info();
	uint32_t size = 0;
	handle_t fb = start_handle("framebuffer", &size);

	DT_CHECK(t, sys_devmem_create(dt_handle("devmem"), 0x200000, 4096) == E_RANGE); /* RAM */
	DT_CHECK(t, sys_devmem_create(dt_handle("devmem"), 0xFEC00001, 4096) == E_INVAL);
	DT_CHECK(t, fb != HANDLE_INVALID && si->fb.width == 1024 && si->fb.bpp == 32);
	DT_CHECK(t, sys_mobj_map(HANDLE_SELF, fb, FB_VA, 0, size, R_READ | R_WRITE) == E_OK);
	volatile uint32_t *px = (volatile uint32_t *)FB_VA;
	for (uint32_t y = 0; y < 64; y++) /* a 64x64 green square, top left */
		for (uint32_t x = 0; x < 64; x++)
			px[y * (si->fb.pitch / 4) + x] = 0x0000FF00;
	DT_CHECK(t, px[10 * (si->fb.pitch / 4) + 10] == 0x0000FF00);
	printf("dtest: drew a green square at the framebuffer's top left\n");
	sys_sleep(500 * MS); /* time for a screendump before anything else happens */
	DT_CHECK(t, sys_unmap(HANDLE_SELF, FB_VA, size) == E_OK);
}
const struct dtest dtest_devmem = {"devmem_framebuffer", devmem};

static void dma(struct dtest_ctx *t)
{
	long m = sys_mobj_create(4 * 4096, MOBJ_CONTIGUOUS);

	DT_CHECK(t, m > 0);
	long p0 = sys_mobj_phys(dt_handle("dma"), (handle_t)m, 0);
	DT_CHECK(t, p0 > 0 && (p0 & 0xFFF) == 0);
	for (uint64_t i = 1; i < 4; i++)
		DT_CHECK(t, sys_mobj_phys(dt_handle("dma"), (handle_t)m, i) == p0 + (long)(i * 4096));
	DT_CHECK(t, sys_mobj_phys(dt_handle("dma"), (handle_t)m, 4) == E_RANGE);
	DT_CHECK(t, sys_mobj_phys(dt_handle("devmem"), (handle_t)m, 0) == E_TYPE);
	DT_CHECK(t, sys_mobj_create(4096, 0x80) == E_INVAL); /* unknown flag */
	DT_CHECK(t, sys_mobj_map(HANDLE_SELF, (handle_t)m, DMA_VA, 0, 4 * 4096, R_READ | R_WRITE) == E_OK);
	*(volatile uint64_t *)DMA_VA = 42;
	DT_CHECK(t, sys_unmap(HANDLE_SELF, DMA_VA, 4 * 4096) == E_OK);
	sys_handle_close((handle_t)m);
}
const struct dtest dtest_dma = {"dma_contiguous", dma};
