/* unit-sources: arch/x86/acpi_parse.c hv/format.c */
/*
 * ACPI byte helpers: checksums and the \_S5 package decoder on AML snippets
 * in exact-size heap buffers (ASan catches any over-read).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/acpi.h"
#include "tests/unit/host_support.h"

static bool decode(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *buf = malloc(len ? len : 1);
	bool ok;

	assert_non_null(buf);
	memcpy(buf, aml, len);
	*a = *b = 0xEE;
	ok = acpi_decode_s5(buf, len, a, b);
	free(buf);
	return ok;
}

static void checksum(void **state)
{
	uint8_t t[5] = { 1, 2, 3, 4, (uint8_t)-10 };

	(void)state;
	assert_true(acpi_checksum_ok(t, sizeof(t)));
	t[0]++;
	assert_false(acpi_checksum_ok(t, sizeof(t)));
	assert_true(acpi_checksum_ok(t, 0));
}

/* QEMU's DSDT: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
static void qemu_style(void **state)
{
	static const uint8_t aml[] = {
		0x10, 0x05, 0x5C, 0x00,				/* unrelated bytes first */
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
	};
	uint8_t a, b;

	(void)state;
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
}

/* Name (\_S5, Package () { 0x05, 0x05, Zero, Zero }) with a root prefix. */
static void byte_prefix_and_root(void **state)
{
	static const uint8_t aml[] = {
		0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x07, 0x00, 0x00,
	};
	uint8_t a, b;

	(void)state;
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 5);
	assert_int_equal(b, 7);
}

/* Two-byte PkgLength, word and dword prefixes. */
static void long_pkglength_and_wide_ints(void **state)
{
	static const uint8_t aml[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x40 | 0x0B, 0x00, 0x02,
		0x0B, 0x06, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00,
	};
	uint8_t a, b;

	(void)state;
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 6);
	assert_int_equal(b, 1);
}

/* One element holding both values (old firmware). */
static void single_packed_element(void **state)
{
	static const uint8_t aml[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0B, 0x07, 0x03,
	};
	uint8_t a, b;

	(void)state;
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 7);
	assert_int_equal(b, 3);
}

/* The name appearing as a reference first, then as a real definition. */
static void skips_non_definitions(void **state)
{
	static const uint8_t aml[] = {
		0x70, '_', 'S', '5', '_', 0x60,			/* Store (_S5_, Local0) */
		0x08, '_', 'S', '5', '_', 0x0A, 0x03,		/* Name (_S5_, 3): not a package */
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01,
	};
	uint8_t a, b;

	(void)state;
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 1);
}

static void rejects_broken_packages(void **state)
{
	/* Package length runs past the buffer. */
	static const uint8_t past_end[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x20, 0x04, 0x00, 0x00 };
	/* Element is a name, not a constant. */
	static const uint8_t name_elem[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02, 'S', 'L', 'P', 'A', 0x00 };
	/* DWord constant cut by the package end. */
	static const uint8_t cut_int[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x00 };
	/* Value out of the 3-bit range. */
	static const uint8_t too_big[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0A, 0x08, 0x00 };
	/* Zero elements. */
	static const uint8_t empty[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00 };
	/* Multi-byte PkgLength with reserved bits set. */
	static const uint8_t bad_len[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x70, 0x00, 0x02, 0x00, 0x00 };
	/* Name at the very end, package missing. */
	static const uint8_t truncated[] = { 0x08, '_', 'S', '5', '_' };
	static const uint8_t no_name[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	uint8_t a, b;

	(void)state;
	assert_false(decode(past_end, sizeof(past_end), &a, &b));
	assert_false(decode(name_elem, sizeof(name_elem), &a, &b));
	assert_false(decode(cut_int, sizeof(cut_int), &a, &b));
	assert_false(decode(too_big, sizeof(too_big), &a, &b));
	assert_false(decode(empty, sizeof(empty), &a, &b));
	assert_false(decode(bad_len, sizeof(bad_len), &a, &b));
	assert_false(decode(truncated, sizeof(truncated), &a, &b));
	assert_false(decode(no_name, sizeof(no_name), &a, &b));
	assert_false(decode(no_name, 0, &a, &b));
}

/* Every prefix of a valid snippet decodes safely (and only the full one succeeds). */
static void every_truncation_is_safe(void **state)
{
	static const uint8_t aml[] = {
		0x08, '\\', '_', 'S', '5', '_', 0x12, 0x40 | 0x0D, 0x00, 0x04,
		0x0C, 0x05, 0x00, 0x00, 0x00, 0x0B, 0x05, 0x00, 0x00, 0x00,
	};
	uint8_t a, b;

	(void)state;
	for (size_t n = 0; n < sizeof(aml); n++)
		assert_false(decode(aml, n, &a, &b));
	assert_true(decode(aml, sizeof(aml), &a, &b));
	assert_int_equal(a, 5);
	assert_int_equal(b, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum),
		cmocka_unit_test(qemu_style),
		cmocka_unit_test(byte_prefix_and_root),
		cmocka_unit_test(long_pkglength_and_wide_ints),
		cmocka_unit_test(single_packed_element),
		cmocka_unit_test(skips_non_definitions),
		cmocka_unit_test(rejects_broken_packages),
		cmocka_unit_test(every_truncation_is_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
