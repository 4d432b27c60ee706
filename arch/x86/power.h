/* Ending a run: power the machine off. */
#ifndef ARCH_X86_POWER_H
#define ARCH_X86_POWER_H

#include "hv/types.h"

/* Powers off: ACPI S5 when ACPI was found, then the emulators' exit ports
 * (QEMU isa-debug-exit at 0xf4, Bochs' 0x8900); halts if nothing worked. */
__noreturn void power_off(void);

#endif
