/* Physical <-> virtual translation for the core's direct map. */
#ifndef HV_MM_H
#define HV_MM_H

#include "hv/types.h"
#include "boot/layout.h"

/* Every physical address below the top of RAM (and the low 4 GiB, which holds
 * the LAPIC/IOAPIC/ACPI) is mapped at DIRECT_MAP_BASE + pa. */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

/* Works for direct-map addresses and for addresses inside the core image. */
static inline paddr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}

#endif
