/* 16550 UART: polled output, interrupt-driven input. */
#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H

#include "hv/types.h"

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8

/* Programs the UART at @port for @baud 8N1; false if no UART answers there. */
bool serial_init(uint16_t port, uint32_t baud);
void serial_putc(uint16_t port, char c);
/* Waits (bounded) until every byte written has left the UART. */
void serial_flush(uint16_t port);


/* True when a UART answers at @port (its scratch register keeps a value). */
bool serial_present(uint16_t port);
/* Lets the UART raise its IRQ line when a byte arrives (IER receive, and MCR
 * OUT2, which gates the line to the interrupt controller on PCs). */
void serial_rx_irq_enable(uint16_t port);
/* The next received byte, or -1 when none is waiting. */
int serial_getc(uint16_t port);

#endif
