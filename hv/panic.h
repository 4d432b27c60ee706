/* Fatal errors in the core. */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include "hv/types.h"

/* Prints the message and a backtrace, then stops this CPU (or powers the
 * machine off when the command line says panic=poweroff). */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define ASSERT(cond)								\
	do {									\
		if (unlikely(!(cond)))						\
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
