/* The core's monotonic clock, from the TSC. */
#ifndef HV_CLOCK_H
#define HV_CLOCK_H

#include "hv/types.h"

/* Nanoseconds since tsc_init(); never goes back, same on every CPU. */
uint64_t clock_ns(void);

#endif
