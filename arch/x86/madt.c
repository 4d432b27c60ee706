/*
 * MADT parser (ACPI 6.x, 5.2.12). The table comes from firmware, so every
 * entry is checked against the table's end and its type's minimum length
 * before a field is read.
 */
#include "arch/x86/madt.h"
#include "hv/log.h"
#include "hv/string.h"

#define SDT_HEADER_LEN		36
#define MADT_ENTRIES_OFFSET	44	/* header + LAPIC address + flags */

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 0xA,
};

/* Minimum entry length per type we read; other types are skipped by length. */
static const uint8_t madt_min_len[] = {
	[MADT_LAPIC] = 8,
	[MADT_IOAPIC] = 12,
	[MADT_OVERRIDE] = 10,
	[MADT_NMI_SOURCE] = 8,
	[MADT_LAPIC_NMI] = 6,
	[MADT_LAPIC_ADDR] = 12,
	[MADT_X2APIC] = 16,
	[MADT_X2APIC_NMI] = 12,
};

/* Entries are byte-packed: read fields without alignment assumptions. */
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid, uint32_t flags,
		    bool x2apic)
{
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;		/* present in the table but unusable: not a CPU for us */
	/* 0xFF (xAPIC) and 0xFFFFFFFF (x2APIC) are broadcast IDs, never a CPU's. */
	if ((!x2apic && apic_id == 0xFF) || apic_id == 0xFFFFFFFFu) {
		pr_warn("madt: processor with broadcast APIC ID %#x ignored\n", apic_id);
		return;
	}
	/* Firmware may list a CPU as both type 0 and type 9: keep the first. */
	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		if (m->cpus[i].apic_id == apic_id) {
			pr_warn("madt: duplicate APIC ID %u ignored\n", apic_id);
			return;
		}
	}
	if (m->nr_cpus == MADT_MAX_CPUS) {
		m->nr_dropped++;
		return;
	}
	m->cpus[m->nr_cpus++] = (struct madt_cpu){
		.apic_id = apic_id,
		.acpi_uid = uid,
		.enabled = flags & MADT_CPU_ENABLED,
		.x2apic_entry = x2apic,
	};
}

static void add_nmi(struct madt_info *m, struct madt_nmi nmi)
{
	if (m->nr_nmis == MADT_MAX_NMIS) {
		m->nr_dropped++;
		return;
	}
	m->nmis[m->nr_nmis++] = nmi;
}

static void parse_entry(struct madt_info *m, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(m, e[3], e[2], get32(e + 4), false);
		break;
	case MADT_X2APIC:
		add_cpu(m, get32(e + 4), get32(e + 12), get32(e + 8), true);
		break;
	case MADT_IOAPIC:
		if (m->nr_ioapics == MADT_MAX_IOAPICS) {
			m->nr_dropped++;
			break;
		}
		m->ioapics[m->nr_ioapics++] = (struct madt_ioapic){
			.id = e[2], .addr = get32(e + 4), .gsi_base = get32(e + 8),
		};
		break;
	case MADT_OVERRIDE:
		if (m->nr_overrides == MADT_MAX_OVERRIDES) {
			m->nr_dropped++;
			break;
		}
		m->overrides[m->nr_overrides++] = (struct madt_override){
			.bus = e[2], .source_irq = e[3], .gsi = get32(e + 4), .flags = get16(e + 8),
		};
		break;
	case MADT_NMI_SOURCE:
		add_nmi(m, (struct madt_nmi){ .is_gsi = true, .flags = get16(e + 2),
					      .gsi = get32(e + 4) });
		break;
	case MADT_LAPIC_NMI:
		add_nmi(m, (struct madt_nmi){
			.acpi_uid = e[2] == 0xFF ? MADT_NMI_ALL_CPUS : e[2],
			.flags = get16(e + 3), .lint = e[5] });
		break;
	case MADT_X2APIC_NMI:
		add_nmi(m, (struct madt_nmi){ .flags = get16(e + 2), .acpi_uid = get32(e + 4),
					      .lint = e[8] });
		break;
	case MADT_LAPIC_ADDR:
		m->lapic_addr = get64(e + 4);
		break;
	}
}

bool madt_parse(const void *table, size_t len, struct madt_info *out)
{
	const uint8_t *t = table;
	uint32_t tab_len;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (len < MADT_ENTRIES_OFFSET || memcmp(t, "APIC", 4) != 0) {
		pr_warn("madt: not a MADT or shorter than its header (%zu bytes)\n", len);
		return false;
	}
	tab_len = get32(t + 4);
	if (tab_len < MADT_ENTRIES_OFFSET || tab_len > len) {
		pr_warn("madt: table length %u does not fit the %zu bytes given\n", tab_len, len);
		return false;
	}
	out->lapic_addr = get32(t + SDT_HEADER_LEN);
	out->flags = get32(t + SDT_HEADER_LEN + 4);

	for (off = MADT_ENTRIES_OFFSET; off < tab_len; ) {
		const uint8_t *e = t + off;
		size_t left = tab_len - off;
		uint8_t type, elen;

		if (left < 2) {
			pr_warn("madt: %zu stray byte(s) at the end of the table\n", left);
			out->malformed = true;
			break;
		}
		type = e[0];
		elen = e[1];
		/* A length below 2 would never advance; past the end it would overrun. */
		if (elen < 2 || elen > left) {
			pr_warn("madt: entry type %u at offset %zu has bad length %u; "
				"ignoring the rest of the table\n", type, off, elen);
			out->malformed = true;
			break;
		}
		if (type < ARRAY_SIZE(madt_min_len) && madt_min_len[type] &&
		    elen < madt_min_len[type]) {
			pr_warn("madt: entry type %u at offset %zu is %u bytes, needs %u; skipped\n",
				type, off, elen, madt_min_len[type]);
		} else {
			parse_entry(out, e);
		}
		off += elen;
	}
	if (out->nr_dropped)
		pr_warn("madt: %u entries beyond the supported limits ignored\n", out->nr_dropped);
	return true;
}

unsigned int madt_enabled_cpus(const struct madt_info *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr_cpus; i++)
		n += m->cpus[i].enabled;
	return n;
}
