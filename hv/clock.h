/* The core's monotonic clock, from the TSC. */
#ifndef HV_CLOCK_H
#define HV_CLOCK_H

#include "hv/types.h"

/* Nanoseconds since the TSC started counting (power-on), 0 before tsc_init();
 * never goes back, the same on every CPU. */
uint64_t clock_ns(void);

#endif
