/* A periodic NMI on the boot CPU: the guest run loop's last resort. */
#ifndef ARCH_X86_NMI_TICK_H
#define ARCH_X86_NMI_TICK_H

#include "hv/types.h"

/* NMIs a second; below the PIT's floor of ~18.2 Hz the divisor would overflow. */
#define NMI_TICK_HZ	20

/*
 * Makes the PIT's channel 0 pulse NMI_TICK_HZ times a second and routes its
 * IRQ through the IOAPIC to the boot CPU with NMI delivery. False (after the
 * IOAPIC's warning) when no IOAPIC serves ISA IRQ 0. @pre ioapic_init().
 */
bool nmi_tick_start(void);

#endif
