/*
 * ACPI: finding the firmware's tables (RSDP -> XSDT/RSDT -> tables) and the
 * few facts the core needs from them: the MADT for SMP and the FADT/DSDT for
 * power-off. Tables are read in place through the direct map.
 */
#ifndef ARCH_X86_ACPI_H
#define ARCH_X86_ACPI_H

#include "hv/types.h"

struct boot_info;
struct madt_info;

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;		/* whole table including this header */
	uint8_t revision;
	uint8_t checksum;		/* all bytes of the table sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI SDT header layout");

/* What power_off() needs for ACPI S5 (soft off). */
struct acpi_sleep_info {
	uint16_t pm1a_cnt;		/* PM1a control port; always present when valid */
	uint16_t pm1b_cnt;		/* 0: no PM1b block */
	uint16_t smi_cmd;		/* 0: ACPI mode is fixed (no SMI handshake) */
	uint8_t acpi_enable;		/* value to write to smi_cmd to enter ACPI mode */
	uint8_t slp_typa, slp_typb;	/* from the \_S5 package */
};

/* Finds and validates the ACPI tables. @bi supplies the RSDP copied from the
 * multiboot2 tags; without one, the BIOS areas are searched. Returns false
 * (after a warning) if there is no usable ACPI; the core then runs without. */
bool acpi_init(const struct boot_info *bi);

/* The @instance-th (0-based) valid table with @sig, or NULL. */
const struct acpi_sdt_header *acpi_find_table(const char sig[4], unsigned int instance);

/* The parsed MADT, or NULL if there was none or it was unusable. */
const struct madt_info *acpi_madt(void);
/* The FADT ("FACP") table, or NULL. */
const struct acpi_sdt_header *acpi_fadt(void);
/* The S5 parameters, or NULL if ACPI power-off is not possible. */
const struct acpi_sleep_info *acpi_sleep_info(void);

/*
 * Pure helpers (host-tested).
 */

/* True if the @len bytes at @p sum to 0 (mod 256). */
bool acpi_checksum_ok(const void *p, size_t len);

/*
 * Finds `Name(_S5_, Package(){a, b, ...})` in the AML byte stream @aml (@len
 * bytes) and returns the first two integer elements as the SLP_TYP values.
 * Returns false if no such name, or if the package is not made of integer
 * constants in range (a method or reference cannot be evaluated here).
 */
bool acpi_decode_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

#endif
