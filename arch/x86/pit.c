/*
 * PIT channel 2 as a stopwatch. Its gate is bit 0 of port 0x61 and its output
 * reads back as bit 5 there, so it can time an interval by polling, with
 * interrupts off and before any interrupt controller is set up. Channel 0
 * as a rate generator for the NMI tick.
 */
#include "arch/x86/pit.h"
#include "arch/x86/cpu.h"

#define PIT_CH0_DATA		0x40
#define PIT_CH2_DATA		0x42
#define PIT_COMMAND		0x43
#define PORT_B			0x61
#define PORT_B_GATE2		0x01
#define PORT_B_SPEAKER		0x02	/* speaker data: keep it off */
#define PORT_B_OUT2		0x20

/* Channel 2, low then high byte, mode 0 (interrupt on terminal count), binary. */
#define PIT_CH2_MODE0		0xB0
/* Channel 0, low then high byte, mode 2 (rate generator), binary. */
#define PIT_CH0_MODE2		0x34

/* Polls of port 0x61 before giving up: each takes ~1 us on real hardware, so
 * this is seconds, far beyond the longest measurement. */
#define PIT_POLL_LIMIT		20000000UL

bool pit_measure_tsc(unsigned int ms, uint64_t *tsc_ticks)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * ms / 1000);
	uint8_t saved = inb(PORT_B);
	uint64_t start, end;
	unsigned long polls = 0;

	if (ms == 0 || ms > PIT_MAX_MEASURE_MS)
		return false;
	/* Gate low while programming: in mode 0 the count is loaded but not
	 * decremented until the gate rises, which is when the TSC is read. */
	outb(PORT_B, saved & ~(PORT_B_GATE2 | PORT_B_SPEAKER));
	outb(PIT_COMMAND, PIT_CH2_MODE0);
	outb(PIT_CH2_DATA, count & 0xFF);
	outb(PIT_CH2_DATA, count >> 8);
	outb(PORT_B, (saved & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	start = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2)) {
		if (++polls == PIT_POLL_LIMIT) {
			outb(PORT_B, saved & ~PORT_B_SPEAKER);
			return false;
		}
	}
	end = rdtsc();
	outb(PORT_B, saved & ~PORT_B_SPEAKER);
	/* OUT2 high at once means nothing is counting (an absent PIT reads 0xFF). */
	if (polls == 0)
		return false;
	*tsc_ticks = end - start;
	return true;
}

void pit_start_periodic(unsigned int hz)
{
	uint32_t divisor = hz ? PIT_HZ / hz : 0xFFFF;

	if (divisor > 0xFFFF)
		divisor = 0xFFFF;
	if (divisor < 2)
		divisor = 2;	/* mode 2 needs a count of at least 2 */
	outb(PIT_COMMAND, PIT_CH0_MODE2);
	outb(PIT_CH0_DATA, divisor & 0xFF);
	outb(PIT_CH0_DATA, divisor >> 8);
}
