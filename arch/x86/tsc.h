/* The time-stamp counter: the core's clock for delays and timer conversions. */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include "hv/types.h"

/* Determines the TSC frequency (CPUID 0x15/0x16, checked against the PIT,
 * else measured with the PIT). Panics if neither gives an answer. */
void tsc_init(void);

/* TSC ticks per second; 0 before tsc_init(). */
uint64_t tsc_hz(void);

/* TSC ticks in @ns nanoseconds (saturates instead of overflowing). */
uint64_t tsc_ns_to_ticks(uint64_t ns);

/* Busy-waits at least @us microseconds. Before tsc_init() it falls back to
 * port 0x80 writes (about 1 us each), good enough for power-off paths. */
void tsc_delay_us(uint64_t us);

#endif
