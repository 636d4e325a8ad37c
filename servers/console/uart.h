/* SPDX-License-Identifier: MIT */
/*
 * A 16550 UART driven from ring 3 (servers/console/uart.c): receive by
 * interrupt, transmit by polling the transmitter-empty bit. The kernel sets
 * the line up (115200 baud, 8N1, FIFO on) and keeps writing its own log to
 * the same port by polling, so the driver never touches the line settings:
 * changing them would race the kernel's writes.
 *
 * The caller must have the eight ports at `base` enabled (SYS_IOPORT_ENABLE).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define UART_COM1_BASE 0x3F8
#define UART_COM1_IRQ  4
#define UART_PORTS     8

/* Check that a UART answers at `base` and make its IRQ line usable; E_NOENT if absent. */
int uart_init(uint16_t base);
/* Raise the IRQ when a byte arrives (after a short silence, for bytes in the FIFO). */
void uart_enable_rx_irq(void);
/*
 * Read the bytes that have arrived, at most `max`, and clear every pending
 * interrupt cause, so the edge-triggered line can fire again. Returns the
 * count; call again while it returns `max`.
 */
size_t uart_read(uint8_t *buf, size_t max);
/* Send `n` bytes, waiting (boundedly) for room in the transmitter. */
void uart_write(const char *s, size_t n);
