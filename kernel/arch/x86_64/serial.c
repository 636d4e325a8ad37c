/* SPDX-License-Identifier: MIT */
/*
 * COM1 (16550 UART at 0x3F8) as the kernel console: 115200 baud, 8N1,
 * polled output. Probed with the scratch and loopback registers so a machine
 * without a UART boots silently instead of hanging on a full transmitter.
 */
#include "arch/cpu.h"
#include "kernel/printk.h"

#define COM1	      0x3F8
#define UART_DATA     0
#define UART_IER      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_SCRATCH  7
#define LSR_THR_EMPTY 0x20
#define TX_SPIN_LIMIT 100000

static bool uart_present;

static bool uart_probe(void)
{
	outb(COM1 + UART_SCRATCH, 0x5A);
	if (inb(COM1 + UART_SCRATCH) != 0x5A)
		return false;
	outb(COM1 + UART_MCR, 0x1E); /* loopback */
	outb(COM1 + UART_DATA, 0xAE);
	bool ok = inb(COM1 + UART_DATA) == 0xAE;
	outb(COM1 + UART_MCR, 0x0F); /* normal operation, OUT2 for IRQs later */
	return ok;
}

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);  /* DLAB: divisor follows */
	outb(COM1 + UART_DATA, 0x01); /* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xC7); /* FIFO on, cleared, 14-byte threshold */
	uart_present = uart_probe();
}

void console_putc(char c)
{
	if (!uart_present)
		return;
	for (int i = 0; i < TX_SPIN_LIMIT; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}
