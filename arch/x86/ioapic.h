/*
 * The host's I/O APICs: routing the few device interrupts the core itself
 * takes (COM1's receiver; the PIT as the NMI tick). Guests never see these;
 * their interrupt controllers are emulated in emul/.
 */
#ifndef ARCH_X86_IOAPIC_H
#define ARCH_X86_IOAPIC_H

#include "hv/types.h"

/* Finds the IOAPICs in the MADT and masks every pin, so nothing the firmware
 * left enabled fires into vectors the core does not expect. @pre acpi_init(). */
void ioapic_init(void);

/*
 * Routes ISA IRQ @irq to @vector, fixed delivery to the CPU with @apic_id, and
 * unmasks it. The MADT's interrupt source overrides decide the GSI, polarity
 * and trigger (ISA default: edge, active high). False, after a warning, when
 * no IOAPIC serves the GSI or @apic_id cannot be reached (above 255).
 */
bool ioapic_route_isa_irq(unsigned int irq, uint8_t vector, uint32_t apic_id);

/* The same with NMI delivery: each edge of the IRQ is an NMI on @apic_id. */
bool ioapic_route_isa_irq_nmi(unsigned int irq, uint32_t apic_id);

#endif
