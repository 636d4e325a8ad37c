/* SPDX-License-Identifier: MIT */
/*
 * Ports, device memory and DMA (suite mem): only enabled ports work (the
 * CMOS clock at 0x70/0x71 answers); device memory is never RAM and maps
 * uncached (the framebuffer takes pixels); DMA buffers are physically
 * contiguous.
 */
#include "dtest.h"

#define FB_VA  0x0000200000000000ull
#define DMA_VA 0x0000210000000000ull

TEST(mem, ioport_cmos, "only enabled ports work: the CMOS clock at 0x70/0x71 answers")
{
	long io = sys_ioport_create(dt_handle("ioport"), 0x70, 2);

	T_ASSERT(io > 0);
	T_ASSERT(sys_ioport_create(dt_handle("ioport"), 0xFFFF, 2) == E_RANGE);
	T_ASSERT(sys_ioport_create(dt_handle("irq"), 0x70, 2) == E_TYPE);
	T_ASSERT(sys_ioport_enable((handle_t)io) == E_OK);
	port_out8(0x70, 0x0A); /* status register A: the divider bits say 32.768 kHz */
	uint8_t a = port_in8(0x71);
	T_ASSERT((a & 0x70) == 0x20);
	port_out8(0x70, 0x00); /* seconds, BCD or binary: below 0x60 either way */
	T_ASSERT(port_in8(0x71) < 0x60);
	sys_handle_close((handle_t)io);
}

TEST(mem, devmem_framebuffer,
     "device memory is never RAM and maps uncached: the framebuffer takes pixels")
{
	const struct start_info *si = start_info();
	uint32_t size = 0;
	handle_t fb = start_handle("framebuffer", &size);

	T_ASSERT(sys_devmem_create(dt_handle("devmem"), 0x200000, 4096) == E_RANGE); /* RAM */
	T_ASSERT(sys_devmem_create(dt_handle("devmem"), 0xFEC00001, 4096) == E_INVAL);
	T_ASSERT(fb != HANDLE_INVALID && si->fb.width == 1024 && si->fb.bpp == 32);
	T_ASSERT(sys_mobj_map(HANDLE_SELF, fb, FB_VA, 0, size, R_READ | R_WRITE) == E_OK);
	volatile uint32_t *px = (volatile uint32_t *)FB_VA;
	for (uint32_t y = 0; y < 64; y++) /* a 64x64 green square, top left */
		for (uint32_t x = 0; x < 64; x++)
			px[y * (si->fb.pitch / 4) + x] = 0x0000FF00;
	T_ASSERT(px[10 * (si->fb.pitch / 4) + 10] == 0x0000FF00);
	printf("dtest: drew a green square at the framebuffer's top left\n");
	sys_sleep(500 * MS); /* time for a screendump before anything else happens */
	T_ASSERT(sys_unmap(HANDLE_SELF, FB_VA, size) == E_OK);
}

TEST(mem, dma_contiguous, "a DMA buffer is physically contiguous; only the dma handle says where")
{
	long m = sys_mobj_create(4 * 4096, MOBJ_CONTIGUOUS);

	T_ASSERT(m > 0);
	long p0 = sys_mobj_phys(dt_handle("dma"), (handle_t)m, 0);
	T_ASSERT(p0 > 0 && (p0 & 0xFFF) == 0);
	for (uint64_t i = 1; i < 4; i++)
		T_ASSERT(sys_mobj_phys(dt_handle("dma"), (handle_t)m, i) == p0 + (long)(i * 4096));
	T_ASSERT(sys_mobj_phys(dt_handle("dma"), (handle_t)m, 4) == E_RANGE);
	T_ASSERT(sys_mobj_phys(dt_handle("devmem"), (handle_t)m, 0) == E_TYPE);
	T_ASSERT(sys_mobj_create(4096, 0x80) == E_INVAL); /* unknown flag */
	T_ASSERT(sys_mobj_map(HANDLE_SELF, (handle_t)m, DMA_VA, 0, 4 * 4096, R_READ | R_WRITE) ==
		 E_OK);
	*(volatile uint64_t *)DMA_VA = 42;
	T_ASSERT(sys_unmap(HANDLE_SELF, DMA_VA, 4 * 4096) == E_OK);
	sys_handle_close((handle_t)m);
}
