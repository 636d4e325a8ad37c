/* SPDX-License-Identifier: MIT */
/*
 * The 16550 UART driver of the serial console (uart.h). Registers, from the
 * 16550 data sheet: receive buffer / transmit holding (0), interrupt enable
 * (1), interrupt identification / FIFO control (2), line control (3), modem
 * control (4), line status (5), modem status (6), scratch (7).
 *
 * Only "received data available" is enabled, which also covers the FIFO's
 * character timeout. The IRQ line is edge-triggered at the IOAPIC, so after
 * each interrupt every byte is read and every other pending cause cleared:
 * a cause left pending would keep the line high and no new edge would come.
 */
#include "uart.h"

#include "sys/device.h"
#include "sys/errors.h"

enum uart_reg {
	REG_DATA = 0, /* RBR on read, THR on write */
	REG_IER = 1,
	REG_IIR = 2, /* FCR on write */
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCRATCH = 7,
};

#define IER_RX_AVAILABLE 0x01
#define FCR_ENABLE	 0x01 /* keep the FIFO on; receive trigger at 1 byte */
#define MCR_DTR_RTS	 0x03
#define MCR_OUT2	 0x08 /* gates the IRQ line on PC-compatible boards */
#define LSR_DATA_READY	 0x01
#define LSR_THR_EMPTY	 0x20
#define IIR_NO_INTERRUPT 0x01
#define IIR_CAUSE	 0x0E
#define IIR_LINE_STATUS	 0x06
#define IIR_MODEM_STATUS 0x00
#define TX_SPIN_LIMIT	 100000 /* polls of the line status before sending anyway */
#define CAUSES_MAX	 8	/* interrupt causes cleared in one go */

static uint16_t uart_base;

static uint8_t reg_in(enum uart_reg r)
{
	return port_in8((uint16_t)(uart_base + r));
}

static void reg_out(enum uart_reg r, uint8_t v)
{
	port_out8((uint16_t)(uart_base + r), v);
}

int uart_init(uint16_t base)
{
	uart_base = base;
	reg_out(REG_SCRATCH, 0xA5);
	if (reg_in(REG_SCRATCH) != 0xA5)
		return E_NOENT;
	reg_out(REG_IER, 0);
	reg_out(REG_IIR, FCR_ENABLE);
	reg_out(REG_MCR, reg_in(REG_MCR) | MCR_DTR_RTS | MCR_OUT2);
	return E_OK;
}

void uart_enable_rx_irq(void)
{
	reg_out(REG_IER, IER_RX_AVAILABLE);
}

/* Read whatever the identification register says is pending besides data. */
static void clear_other_causes(void)
{
	for (int i = 0; i < CAUSES_MAX; i++) {
		uint8_t iir = reg_in(REG_IIR); /* reading it clears a THR-empty cause */
		if (iir & IIR_NO_INTERRUPT)
			return;
		if ((iir & IIR_CAUSE) == IIR_LINE_STATUS)
			reg_in(REG_LSR);
		else if ((iir & IIR_CAUSE) == IIR_MODEM_STATUS)
			reg_in(REG_MSR);
		else
			return; /* data again: it raised a new edge, so we come back */
	}
}

size_t uart_read(uint8_t *buf, size_t max)
{
	size_t n = 0;

	while (n < max && (reg_in(REG_LSR) & LSR_DATA_READY))
		buf[n++] = reg_in(REG_DATA);
	if (n < max)
		clear_other_causes();
	return n;
}

static void put_byte(uint8_t c)
{
	for (int i = 0; i < TX_SPIN_LIMIT; i++)
		if (reg_in(REG_LSR) & LSR_THR_EMPTY)
			break;
	reg_out(REG_DATA, c);
}

void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte((uint8_t)s[i]);
}
