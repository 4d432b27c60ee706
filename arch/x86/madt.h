/*
 * MADT ("APIC") parsing: a pure function over the table's bytes, so that it can
 * be tested on the host with crafted and malformed tables.
 */
#ifndef ARCH_X86_MADT_H
#define ARCH_X86_MADT_H

#include "hv/types.h"

#define MADT_MAX_CPUS		256
#define MADT_MAX_IOAPICS	16
#define MADT_MAX_OVERRIDES	32
#define MADT_MAX_NMIS		32

/* MADT flags (offset 40). */
#define MADT_PCAT_COMPAT	(1u << 0)	/* dual 8259s present: mask them */

/* Processor entry flags (types 0 and 9). */
#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)

/* A processor usable now (enabled) or hot-addable later (online-capable). */
struct madt_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled;
	bool x2apic_entry;		/* from a type 9 entry */
};

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

/* An ISA IRQ that is wired to a different GSI or polarity/trigger (type 2). */
struct madt_override {
	uint8_t bus;
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;			/* MPS INTI flags: polarity [1:0], trigger [3:2] */
};

/* NMI wiring: a LAPIC LINT pin (types 4 and 0xA) or a GSI (type 3). */
struct madt_nmi {
	bool is_gsi;
	uint32_t acpi_uid;		/* LINT: MADT_NMI_ALL_CPUS for every processor */
	uint8_t lint;			/* LINT: 0 or 1 */
	uint32_t gsi;			/* GSI source */
	uint16_t flags;
};
#define MADT_NMI_ALL_CPUS	0xFFFFFFFFu

struct madt_info {
	uint64_t lapic_addr;		/* 32-bit field, or the type 5 override */
	uint32_t flags;
	struct madt_cpu cpus[MADT_MAX_CPUS];
	unsigned int nr_cpus;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	unsigned int nr_ioapics;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	unsigned int nr_overrides;
	struct madt_nmi nmis[MADT_MAX_NMIS];
	unsigned int nr_nmis;
	unsigned int nr_dropped;	/* entries that did not fit one of the arrays */
	bool malformed;			/* parsing stopped early at a broken entry */
};

/*
 * Parses the MADT in @table (@len bytes available, the table's own length
 * field is honoured only when it fits in @len) into @out. Does not check the
 * checksum (acpi.c does). Returns false if the header itself is unusable;
 * otherwise true, with @out->malformed set if a broken entry ended the walk
 * (everything before it is kept). Warns about everything it skips.
 */
bool madt_parse(const void *table, size_t len, struct madt_info *out);

/* Number of processors in @m that are enabled (startable now). */
unsigned int madt_enabled_cpus(const struct madt_info *m);

#endif
