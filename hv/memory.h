/* Bring-up of physical memory management from the boot loader's memory map. */
#ifndef HV_MEMORY_H
#define HV_MEMORY_H

#include "hv/boot_info.h"

/*
 * Gives the frame allocator all RAM of @bi except the first MiB (BIOS data, AP
 * trampoline), the core image and the multiboot2 modules; extends the direct
 * map over RAM above 4 GiB; prints the "memory: ..." line. Panics only when no
 * memory at all can be managed.
 */
void memory_init(const struct boot_info *bi);

#endif
