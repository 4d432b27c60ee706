/* 16550 UART driver: enough for a polled console and interrupt-driven input. */
#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"

#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCRATCH	7

#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LSR_TX_IDLE	0x40
#define LCR_DLAB	0x80
#define IER_RX_DATA	0x01
#define MCR_DTR_RTS	0x03
#define MCR_OUT2	0x08

bool serial_present(uint16_t port)
{
	/* A UART keeps what is written to its scratch register; no UART reads 0xff. */
	outb(port + UART_SCRATCH, 0x5a);
	return inb(port + UART_SCRATCH) == 0x5a;
}

bool serial_init(uint16_t port, uint32_t baud)
{
	if (!serial_present(port))
		return false;

	uint32_t divisor = baud ? 115200 / baud : 1;
	if (divisor == 0)
		divisor = 1;

	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DATA, divisor & 0xff);
	outb(port + UART_IER, (divisor >> 8) & 0xff);
	outb(port + UART_LCR, 0x03);		/* 8 bits, no parity, 1 stop */
	outb(port + UART_FCR, 0xc7);		/* FIFOs on and cleared */
	outb(port + UART_MCR, 0x03);		/* DTR, RTS */
	return true;
}

void serial_putc(uint16_t port, char c)
{
	/* Bounded wait: a missing or stuck UART must not hang the core. */
	for (int i = 0; i < 100000; i++) {
		if (inb(port + UART_LSR) & LSR_THR_EMPTY)
			break;
		__builtin_ia32_pause();
	}
	outb(port + UART_DATA, (uint8_t)c);
}

void serial_flush(uint16_t port)
{
	for (int i = 0; i < 1000000; i++) {
		if (inb(port + UART_LSR) & LSR_TX_IDLE)
			return;
		__builtin_ia32_pause();
	}
}

void serial_rx_irq_enable(uint16_t port)
{
	outb(port + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	outb(port + UART_IER, IER_RX_DATA);
}

int serial_getc(uint16_t port)
{
	if (!(inb(port + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(port + UART_DATA);
}
