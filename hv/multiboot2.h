/*
 * The multiboot2 boot information (GRUB's hand-off): a header (total_size,
 * reserved) followed by 8-byte aligned tags {type, size, payload}, ended by a
 * tag of type 0. Only the tags tern uses are named here.
 */
#ifndef HV_MULTIBOOT2_H
#define HV_MULTIBOOT2_H

#include "hv/types.h"
#include "hv/boot_info.h"

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

#define MB2_MMAP_AVAILABLE	1
#define MB2_MMAP_ENTRY_MIN	24	/* u64 base, u64 length, u32 type, u32 reserved */

#define MB2_RSDP_V1_LEN		20
#define MB2_RSDP_V2_LEN		36

/* The largest information block the core accepts; GRUB's is a few KiB. */
#define MB2_INFO_MAX		(1024 * 1024)

/*
 * Parses the information in [info, info + avail) into @bi. The bytes are
 * untrusted: nothing outside that range is read. A structurally broken block
 * (sizes that do not add up, no end tag, a malformed memory map tag) is
 * rejected: returns false with the reason in @err. Oddities that leave the
 * meaning clear (unsorted or overlapping regions, empty modules, unterminated
 * strings, more entries than boot_info holds) are normalised with a warning.
 * A block without a memory map parses fine and yields nr_ram == 0.
 */
bool mb2_parse(const void *info, size_t avail, struct boot_info *bi, char *err, size_t errlen);

/*
 * Reads the information GRUB left at physical @info_pa (through the boot
 * direct map) into @bi. Panics when it is unusable or lists no RAM: without
 * a memory map there is nothing to boot.
 */
void mb2_load(paddr_t info_pa, struct boot_info *bi);

#endif
