/* unit-sources: arch/x86/madt.c hv/format.c */
/*
 * MADT parser on crafted tables. Every table is handed over in a heap buffer
 * of exactly its size, so that ASan catches any read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/madt.h"
#include "tests/unit/host_support.h"

struct tbl {
	uint8_t b[8192];
	size_t len;
};

static void put(struct tbl *t, const void *p, size_t n)
{
	assert_true(t->len + n <= sizeof(t->b));
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static void put8(struct tbl *t, uint8_t v) { put(t, &v, 1); }
static void put16(struct tbl *t, uint16_t v) { put(t, &v, 2); }
static void put32(struct tbl *t, uint32_t v) { put(t, &v, 4); }
static void put64(struct tbl *t, uint64_t v) { put(t, &v, 8); }

/* SDT header + LAPIC address + flags; the length is patched by finish(). */
static void begin(struct tbl *t, uint32_t lapic, uint32_t flags)
{
	memset(t, 0, sizeof(*t));
	put(t, "APIC", 4);
	put32(t, 0);
	put8(t, 4);			/* revision */
	put8(t, 0);			/* checksum: not madt_parse's job */
	put(t, "TERN  MADTTEST", 14);	/* OEM ID (6) + OEM table ID (8) */
	put32(t, 1);			/* OEM revision */
	put32(t, 0);			/* creator ID */
	put32(t, 0);			/* creator revision */
	assert_int_equal(t->len, 36);
	put32(t, lapic);
	put32(t, flags);
}

static void lapic_entry(struct tbl *t, uint8_t uid, uint8_t id, uint32_t flags)
{
	put8(t, 0); put8(t, 8); put8(t, uid); put8(t, id); put32(t, flags);
}

static void x2apic_entry(struct tbl *t, uint32_t id, uint32_t flags, uint32_t uid)
{
	put8(t, 9); put8(t, 16); put16(t, 0); put32(t, id); put32(t, flags); put32(t, uid);
}

static void ioapic_entry(struct tbl *t, uint8_t id, uint32_t addr, uint32_t gsi)
{
	put8(t, 1); put8(t, 12); put8(t, id); put8(t, 0); put32(t, addr); put32(t, gsi);
}

static void override_entry(struct tbl *t, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	put8(t, 2); put8(t, 10); put8(t, 0); put8(t, irq); put32(t, gsi); put16(t, flags);
}

/* Copies the table into an exact-size heap buffer and parses it. */
static bool parse_exact(struct tbl *t, uint32_t len_field, size_t buf_len, struct madt_info *m)
{
	uint8_t *buf;
	bool ok;

	memcpy(t->b + 4, &len_field, 4);
	buf = malloc(buf_len ? buf_len : 1);
	assert_non_null(buf);
	memcpy(buf, t->b, buf_len);
	ok = madt_parse(buf, buf_len, m);
	free(buf);
	return ok;
}

static bool parse(struct tbl *t, struct madt_info *m)
{
	return parse_exact(t, t->len, t->len, m);
}

static struct madt_info info;

static void typical_table(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, MADT_PCAT_COMPAT);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	lapic_entry(&t, 1, 2, MADT_CPU_ENABLED);
	lapic_entry(&t, 2, 4, MADT_CPU_ONLINE_CAPABLE);
	lapic_entry(&t, 3, 6, 0);	/* neither: not a CPU */
	ioapic_entry(&t, 8, 0xFEC00000, 0);
	override_entry(&t, 0, 2, 0);
	override_entry(&t, 9, 9, 0xD);
	/* LAPIC NMI on LINT1 of every CPU. */
	put8(&t, 4); put8(&t, 6); put8(&t, 0xFF); put16(&t, 5); put8(&t, 1);
	/* NMI source on GSI 7. */
	put8(&t, 3); put8(&t, 8); put16(&t, 0); put32(&t, 7);

	host_log_reset();
	assert_true(parse(&t, &info));
	assert_false(info.malformed);
	assert_int_equal(host_log_count[LOG_WARN], 0);
	assert_int_equal(info.lapic_addr, 0xFEE00000);
	assert_int_equal(info.flags, MADT_PCAT_COMPAT);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(madt_enabled_cpus(&info), 2);
	assert_int_equal(info.cpus[1].apic_id, 2);
	assert_int_equal(info.cpus[1].acpi_uid, 1);
	assert_true(info.cpus[1].enabled);
	assert_false(info.cpus[2].enabled);
	assert_int_equal(info.cpus[2].apic_id, 4);
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.ioapics[0].id, 8);
	assert_int_equal(info.ioapics[0].addr, 0xFEC00000);
	assert_int_equal(info.nr_overrides, 2);
	assert_int_equal(info.overrides[0].source_irq, 0);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.overrides[1].flags, 0xD);
	assert_int_equal(info.nr_nmis, 2);
	assert_false(info.nmis[0].is_gsi);
	assert_int_equal(info.nmis[0].acpi_uid, MADT_NMI_ALL_CPUS);
	assert_int_equal(info.nmis[0].lint, 1);
	assert_int_equal(info.nmis[0].flags, 5);
	assert_true(info.nmis[1].is_gsi);
	assert_int_equal(info.nmis[1].gsi, 7);
}

static void x2apic_and_address_override(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 1, MADT_CPU_ENABLED);
	x2apic_entry(&t, 1, MADT_CPU_ENABLED, 0);	/* same CPU again: dropped */
	x2apic_entry(&t, 300, MADT_CPU_ENABLED, 7);
	x2apic_entry(&t, 0xFFFFFFFF, MADT_CPU_ENABLED, 8);	/* broadcast: dropped */
	/* 64-bit LAPIC address override. */
	put8(&t, 5); put8(&t, 12); put16(&t, 0); put64(&t, 0x1234567000ULL);
	/* x2APIC NMI on LINT0 of UID 7. */
	put8(&t, 0xA); put8(&t, 12); put16(&t, 1); put32(&t, 7); put8(&t, 0);
	put8(&t, 0); put16(&t, 0);

	assert_true(parse(&t, &info));
	assert_false(info.malformed);
	assert_int_equal(info.lapic_addr, 0x1234567000ULL);
	assert_int_equal(info.nr_cpus, 2);
	assert_false(info.cpus[0].x2apic_entry);
	assert_int_equal(info.cpus[1].apic_id, 300);
	assert_int_equal(info.cpus[1].acpi_uid, 7);
	assert_true(info.cpus[1].x2apic_entry);
	assert_int_equal(info.nr_nmis, 1);
	assert_int_equal(info.nmis[0].acpi_uid, 7);
	assert_int_equal(info.nmis[0].lint, 0);
}

static void zero_length_entry_stops(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	put8(&t, 0); put8(&t, 0); put(&t, "\0\0\0\0\0\0", 6);	/* length 0 */
	lapic_entry(&t, 1, 1, MADT_CPU_ENABLED);

	host_log_reset();
	assert_true(parse(&t, &info));
	assert_true(info.malformed);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(host_log_count[LOG_WARN], 1);
}

static void length_one_entry_stops(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	put8(&t, 0x7F); put8(&t, 1); put8(&t, 0); put8(&t, 0);
	lapic_entry(&t, 1, 1, MADT_CPU_ENABLED);
	assert_true(parse(&t, &info));
	assert_true(info.malformed);
	assert_int_equal(info.nr_cpus, 0);
}

static void entry_past_end_stops(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	/* An x2APIC entry claiming 16 bytes with only 8 left in the table. */
	put8(&t, 9); put8(&t, 16); put16(&t, 0); put32(&t, 5);

	host_log_reset();
	assert_true(parse(&t, &info));
	assert_true(info.malformed);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(host_log_count[LOG_WARN], 1);
}

static void stray_trailing_byte(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	put8(&t, 0);
	assert_true(parse(&t, &info));
	assert_true(info.malformed);
	assert_int_equal(info.nr_cpus, 1);
}

static void short_entry_of_known_type_skipped(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	put8(&t, 0); put8(&t, 4); put8(&t, 0); put8(&t, 3);	/* LAPIC entry of 4 bytes */
	put8(&t, 1); put8(&t, 6); put32(&t, 0);		/* IOAPIC entry of 6 bytes */
	put8(&t, 0x42); put8(&t, 3); put8(&t, 0);		/* unknown type: skipped */
	lapic_entry(&t, 1, 1, MADT_CPU_ENABLED);

	host_log_reset();
	assert_true(parse(&t, &info));
	assert_false(info.malformed);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_int_equal(info.nr_ioapics, 0);
	assert_int_equal(host_log_count[LOG_WARN], 2);
}

static void bad_headers_rejected(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	/* Length field larger than the buffer. */
	assert_false(parse_exact(&t, t.len + 1, t.len, &info));
	/* Length field smaller than the fixed part. */
	assert_false(parse_exact(&t, 40, t.len, &info));
	/* Buffer shorter than the fixed part. */
	assert_false(parse_exact(&t, 43, 43, &info));
	assert_false(parse_exact(&t, 0, 0, &info));
	/* Wrong signature. */
	memcpy(t.b, "FACP", 4);
	assert_false(parse(&t, &info));
}

static void length_field_bounds_the_walk(void **state)
{
	struct tbl t;
	size_t fixed;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	fixed = t.len;
	lapic_entry(&t, 1, 1, MADT_CPU_ENABLED);
	/* The buffer holds two entries, the table says it ends after the first. */
	assert_true(parse_exact(&t, fixed, t.len, &info));
	assert_false(info.malformed);
	assert_int_equal(info.nr_cpus, 1);
	/* An empty table is valid. */
	assert_true(parse_exact(&t, 44, 44, &info));
	assert_int_equal(info.nr_cpus, 0);
}

static void too_many_cpus_counted(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	for (uint32_t i = 0; i < MADT_MAX_CPUS + 3; i++)
		x2apic_entry(&t, i, MADT_CPU_ENABLED, i);
	for (uint32_t i = 0; i < MADT_MAX_IOAPICS + 1; i++)
		ioapic_entry(&t, i, 0xFEC00000 + i * 0x1000, i * 24);
	assert_true(parse(&t, &info));
	assert_int_equal(info.nr_cpus, MADT_MAX_CPUS);
	assert_int_equal(info.nr_ioapics, MADT_MAX_IOAPICS);
	assert_int_equal(info.nr_dropped, 4);
	assert_int_equal(info.cpus[MADT_MAX_CPUS - 1].apic_id, MADT_MAX_CPUS - 1);
}

static void broadcast_xapic_id_ignored(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 0);
	lapic_entry(&t, 0, 0xFF, MADT_CPU_ENABLED);
	lapic_entry(&t, 1, 0xFE, MADT_CPU_ENABLED);
	assert_true(parse(&t, &info));
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 0xFE);
}

/* Every truncation of a valid table parses without reading past the buffer. */
static void every_truncation_is_safe(void **state)
{
	struct tbl t;

	(void)state;
	begin(&t, 0xFEE00000, 1);
	lapic_entry(&t, 0, 0, MADT_CPU_ENABLED);
	x2apic_entry(&t, 400, MADT_CPU_ENABLED, 1);
	ioapic_entry(&t, 2, 0xFEC00000, 0);
	override_entry(&t, 0, 2, 0);
	put8(&t, 5); put8(&t, 12); put16(&t, 0); put64(&t, 0xFEE00000);
	for (size_t n = 0; n <= t.len; n++) {
		bool ok = parse_exact(&t, n, n, &info);

		assert_true(ok == (n >= 44));
		assert_true(info.nr_cpus <= 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typical_table),
		cmocka_unit_test(x2apic_and_address_override),
		cmocka_unit_test(zero_length_entry_stops),
		cmocka_unit_test(length_one_entry_stops),
		cmocka_unit_test(entry_past_end_stops),
		cmocka_unit_test(stray_trailing_byte),
		cmocka_unit_test(short_entry_of_known_type_skipped),
		cmocka_unit_test(bad_headers_rejected),
		cmocka_unit_test(length_field_bounds_the_walk),
		cmocka_unit_test(too_many_cpus_counted),
		cmocka_unit_test(broadcast_xapic_id_ignored),
		cmocka_unit_test(every_truncation_is_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
