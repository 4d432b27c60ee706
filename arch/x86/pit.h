/* The legacy 8254 PIT: a known-frequency reference at boot, then channel 0
 * as the source of the NMI tick (arch/x86/nmi_tick.c). */
#ifndef ARCH_X86_PIT_H
#define ARCH_X86_PIT_H

#include "hv/types.h"

#define PIT_HZ			1193182
/* Channel 2's 16-bit counter limits one measurement to about 54 ms. */
#define PIT_MAX_MEASURE_MS	50

/*
 * Counts TSC ticks over @ms (1..PIT_MAX_MEASURE_MS) milliseconds of PIT
 * channel 2, gated through port 0x61 (no interrupts involved). Returns false
 * if the PIT never reached its terminal count (absent or gated off).
 */
bool pit_measure_tsc(unsigned int ms, uint64_t *tsc_ticks);

/* Channel 0 as a rate generator: its output (ISA IRQ 0) pulses @hz times a
 * second (PIT_HZ / 65535 ..  PIT_HZ). */
void pit_start_periodic(unsigned int hz);

#endif
