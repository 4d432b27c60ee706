/* Inter-processor calls: running a function on other CPUs (TLB shootdowns),
 * and kicking a CPU so it looks at its run queue or leaves guest/user mode. */
#ifndef ARCH_X86_IPI_H
#define ARCH_X86_IPI_H

#include "hv/types.h"

#define IPI_CALL_VECTOR		0xF0
#define IPI_KICK_VECTOR		0xF1

/* Sets up the vectors. @pre lapic_init() on the boot CPU. */
void ipi_init(void);
/* Runs @fn(@arg) on every online CPU but the caller, in interrupt context,
 * and returns when all have finished. @pre interrupts on (other CPUs may be
 * waiting for this one). */
void ipi_call_others(void (*fn)(void *), void *arg);
/* Interrupts CPU @cpu (a no-op interrupt: it reschedules on the way out). */
void ipi_kick(uint32_t cpu);

#endif
