/* What the boot loader told us, parsed and validated (see multiboot2.c). */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H

#include "hv/types.h"
#include "hv/frame.h"

#define BOOT_MAX_RAM_REGIONS	128
#define BOOT_MAX_MODULES	16
#define BOOT_CMDLINE_MAX	1024
#define BOOT_MODULE_STRING_MAX	256

struct boot_module {
	paddr_t start;		/* physical, inclusive */
	paddr_t end;		/* physical, exclusive */
	char string[BOOT_MODULE_STRING_MAX];	/* the module's command line as given by GRUB */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	/* Usable RAM (memory map type 1) minus every reserved range that overlaps it;
	 * sorted by base, non-overlapping, adjacent regions merged, page-aligned. */
	struct mem_region ram[BOOT_MAX_RAM_REGIONS];
	unsigned int nr_ram;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;
	/* ACPI RSDP copied out of the tag (new tag preferred over old); rsdp_len 0 if none. */
	uint8_t rsdp[36];
	unsigned int rsdp_len;
};

#endif
