/* unit-sources: hv/multiboot2.c hv/region.c hv/format.c */
/*
 * The multiboot2 parser against well-formed, odd and malformed information
 * blocks. Every parse runs on a heap copy of exactly the bytes it is given, so
 * AddressSanitizer reports any read outside them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/multiboot2.h"
#include "tests/unit/host_support.h"

/* ---- building information blocks ---- */

struct blob {
	uint8_t buf[16384];
	size_t len;
};

static void put32(struct blob *b, size_t off, uint32_t v)
{
	memcpy(b->buf + off, &v, 4);
}

static void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

static void blob_tag(struct blob *b, uint32_t type, const void *payload, size_t plen)
{
	assert_true(b->len + 8 + plen + 8 <= sizeof(b->buf));
	put32(b, b->len, type);
	put32(b, b->len + 4, 8 + plen);
	if (plen)
		memcpy(b->buf + b->len + 8, payload, plen);
	b->len = (b->len + 8 + plen + 7) & ~(size_t)7;
}

static void blob_end(struct blob *b)
{
	blob_tag(b, MB2_TAG_END, NULL, 0);
	put32(b, 0, b->len);
}

static void blob_cmdline(struct blob *b, const char *s)
{
	blob_tag(b, MB2_TAG_CMDLINE, s, strlen(s) + 1);
}

static void blob_module(struct blob *b, uint32_t start, uint32_t end, const char *s)
{
	uint8_t p[512];
	size_t n = strlen(s) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, n);
	blob_tag(b, MB2_TAG_MODULE, p, 8 + n);
}

struct mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

static void blob_mmap(struct blob *b, const struct mmap_entry *e, size_t n)
{
	static uint8_t p[8 + 256 * 24];
	uint32_t entry_size = 24, version = 0;
	size_t i;

	assert_true(n <= 256);
	memcpy(p, &entry_size, 4);
	memcpy(p + 4, &version, 4);
	for (i = 0; i < n; i++) {
		uint32_t zero = 0;

		memcpy(p + 8 + i * 24, &e[i].base, 8);
		memcpy(p + 8 + i * 24 + 8, &e[i].len, 8);
		memcpy(p + 8 + i * 24 + 16, &e[i].type, 4);
		memcpy(p + 8 + i * 24 + 20, &zero, 4);
	}
	blob_tag(b, MB2_TAG_MMAP, p, 8 + n * 24);
}

static struct boot_info bi;
static char err[256];

/* Parses the first @avail bytes of @b from a heap buffer of exactly that size. */
static bool parse_n(const struct blob *b, size_t avail)
{
	uint8_t *copy = malloc(avail ? avail : 1);
	bool ok;

	memcpy(copy, b->buf, avail);
	ok = mb2_parse(copy, avail, &bi, err, sizeof(err));
	free(copy);
	return ok;
}

static bool parse(const struct blob *b)
{
	return parse_n(b, b->len);
}

static void assert_region(unsigned int i, uint64_t base, uint64_t end)
{
	assert_true(i < bi.nr_ram);
	assert_int_equal(bi.ram[i].base, base);
	assert_int_equal(bi.ram[i].base + bi.ram[i].size, end);
}

static int setup(void **state)
{
	(void)state;
	host_log_reset();
	return 0;
}

/* What QEMU's BIOS and GRUB hand over for -m 512, roughly. */
static const struct mmap_entry qemu_map[] = {
	{ 0x0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1fee0000, 1 },
	{ 0x1ffe0000, 0x20000, 2 },
	{ 0xfffc0000, 0x40000, 2 },
};

/* ---- well-formed blocks ---- */

static void typical_block(void **state)
{
	uint8_t rsdp1[20], rsdp2[36];
	struct blob b;

	(void)state;
	memset(rsdp1, 0x11, sizeof(rsdp1));
	memset(rsdp2, 0x22, sizeof(rsdp2));
	blob_init(&b);
	blob_cmdline(&b, "loglevel=debug smp=2");
	blob_tag(&b, 2, "GRUB 2.06", 10);	/* boot loader name: not used */
	blob_module(&b, 0x200000, 0x280000, "sd.elf role=service");
	blob_module(&b, 0x280000, 0x281234, "");
	blob_mmap(&b, qemu_map, 6);
	blob_tag(&b, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	blob_tag(&b, MB2_TAG_ACPI_NEW, rsdp2, sizeof(rsdp2));
	blob_tag(&b, 21, "\0\0\0\0", 4);	/* load base address: not used */
	blob_end(&b);

	assert_true(parse(&b));
	assert_string_equal(bi.cmdline, "loglevel=debug smp=2");
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x280000);
	assert_string_equal(bi.modules[0].string, "sd.elf role=service");
	assert_int_equal(bi.modules[1].end, 0x281234);
	assert_string_equal(bi.modules[1].string, "");
	assert_int_equal(bi.nr_ram, 2);
	/* 0x9fc00 is not page-aligned: the partial page is not RAM. */
	assert_region(0, 0, 0x9f000);
	assert_region(1, 0x100000, 0x1ffe0000);
	assert_int_equal(bi.rsdp_len, 36);
	assert_memory_equal(bi.rsdp, rsdp2, 36);
	assert_int_equal(host_log_count[LOG_WARN], 0);
}

static void rsdp_preference(void **state)
{
	uint8_t rsdp1[20], rsdp2[36];
	struct blob b;

	(void)state;
	memset(rsdp1, 0x11, sizeof(rsdp1));
	memset(rsdp2, 0x22, sizeof(rsdp2));

	blob_init(&b);
	blob_tag(&b, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.rsdp_len, 20);
	assert_memory_equal(bi.rsdp, rsdp1, 20);
	assert_int_equal(bi.nr_ram, 0);

	/* The new tag wins in either order. */
	blob_init(&b);
	blob_tag(&b, MB2_TAG_ACPI_NEW, rsdp2, sizeof(rsdp2));
	blob_tag(&b, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.rsdp_len, 36);
	assert_memory_equal(bi.rsdp, rsdp2, 36);

	/* A truncated new tag is skipped with a warning; the old one still counts. */
	host_log_reset();
	blob_init(&b);
	blob_tag(&b, MB2_TAG_ACPI_OLD, rsdp1, sizeof(rsdp1));
	blob_tag(&b, MB2_TAG_ACPI_NEW, rsdp2, 24);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.rsdp_len, 20);
	assert_int_equal(host_log_count[LOG_WARN], 1);

	/* No ACPI tag at all. */
	blob_init(&b);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.rsdp_len, 0);
	assert_string_equal(bi.cmdline, "");
}

static void tags_after_end_ignored(void **state)
{
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_cmdline(&b, "first");
	blob_tag(&b, MB2_TAG_END, NULL, 0);
	blob_cmdline(&b, "after the end");
	put32(&b, 0, b.len);
	assert_true(parse(&b));
	assert_string_equal(bi.cmdline, "first");
}

/* ---- structural errors ---- */

static void expect_reject(const struct blob *b, size_t avail, const char *why)
{
	assert_false(parse_n(b, avail));
	if (!strstr(err, why))
		fail_msg("error \"%s\" does not mention \"%s\"", err, why);
}

static void bad_sizes(void **state)
{
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_cmdline(&b, "x");
	blob_end(&b);

	expect_reject(&b, 0, "header");
	expect_reject(&b, 7, "header");
	expect_reject(&b, b.len - 1, "exceeds");

	put32(&b, 0, 8);
	expect_reject(&b, b.len, "less than 16");
	put32(&b, 0, 15);
	expect_reject(&b, b.len, "less than 16");

	/* total_size that cuts the end tag off. */
	put32(&b, 0, b.len - 8);
	expect_reject(&b, b.len, "no end tag");
	/* ... or cuts the cmdline tag in half. */
	put32(&b, 0, 16);
	expect_reject(&b, b.len, "extends past");
}

static void bad_tags(void **state)
{
	struct blob b;

	(void)state;
	/* A tag of size < 8 would never advance. */
	blob_init(&b);
	blob_cmdline(&b, "abc");
	blob_end(&b);
	put32(&b, 12, 4);
	expect_reject(&b, b.len, "size 4 < 8");
	put32(&b, 12, 0);
	expect_reject(&b, b.len, "size 0 < 8");

	/* A tag larger than what is left. */
	put32(&b, 12, 0x10000);
	expect_reject(&b, b.len, "extends past");
	put32(&b, 12, 0xffffffff);
	expect_reject(&b, b.len, "extends past");

	/* No end tag: the last tag is something else. */
	blob_init(&b);
	blob_cmdline(&b, "abc");
	put32(&b, 0, b.len);
	expect_reject(&b, b.len, "no end tag");

	/* Only the header. */
	blob_init(&b);
	put32(&b, 0, 16);
	memset(b.buf + 8, 0, 8);
	put32(&b, 8, 99);
	put32(&b, 12, 8);
	expect_reject(&b, 16, "no end tag");
}

static void bad_mmap(void **state)
{
	struct blob b;
	uint8_t p[8 + 48];
	uint32_t v;

	(void)state;
	memset(p, 0, sizeof(p));

	/* entry_size below 24 */
	blob_init(&b);
	v = 16;
	memcpy(p, &v, 4);
	blob_tag(&b, MB2_TAG_MMAP, p, 8 + 32);
	blob_end(&b);
	expect_reject(&b, b.len, "entry_size 16 < 24");

	/* entries that do not fill the tag: the last one would run past it */
	blob_init(&b);
	v = 24;
	memcpy(p, &v, 4);
	blob_tag(&b, MB2_TAG_MMAP, p, 8 + 40);
	blob_end(&b);
	expect_reject(&b, b.len, "not a multiple");

	/* a tag too small for its own header */
	blob_init(&b);
	blob_tag(&b, MB2_TAG_MMAP, p, 4);
	blob_end(&b);
	expect_reject(&b, b.len, "too small");

	/* a huge entry_size: not even one entry fits the tag */
	blob_init(&b);
	v = 0x80000000;
	memcpy(p, &v, 4);
	blob_tag(&b, MB2_TAG_MMAP, p, 8 + 48);
	blob_end(&b);
	expect_reject(&b, b.len, "not a multiple");
}

/* Every prefix of a valid block, claimed complete, is either rejected or
 * parsed within its bounds (ASan checks the latter). */
static void every_truncation(void **state)
{
	struct blob b;
	size_t n;

	(void)state;
	blob_init(&b);
	blob_cmdline(&b, "console=com1");
	blob_module(&b, 0x200000, 0x300000, "mod");
	blob_mmap(&b, qemu_map, 6);
	blob_end(&b);
	for (n = 0; n < b.len; n++) {
		struct blob t = b;

		put32(&t, 0, n);
		assert_false(parse_n(&t, n));
		assert_true(err[0] != '\0');
		/* Correct total_size, fewer bytes available. */
		assert_false(parse_n(&b, n));
	}
	assert_true(parse_n(&b, b.len));
}

/* ---- semantic oddities ---- */

static void mmap_normalised(void **state)
{
	static const struct mmap_entry map[] = {
		{ 0x200000000, 0x100000000, 1 },	/* unsorted */
		{ 0x100000, 0x100000, 1 },
		{ 0x180000, 0x100000, 1 },		/* overlaps the one before */
		{ 0x280000, 0x80800, 1 },		/* touches it; unaligned end */
		{ 0x300800, 0x1000, 1 },		/* touches that; page at 0x300000 partly RAM */
		{ 0x1000000, 0, 1 },			/* zero length */
		{ 0x1000000, 0x1000000, 1 },
		{ 0x1400000, 0x1000, 2 },		/* reserved hole in RAM */
		{ 0x17ff800, 0x1000, 3 },		/* reserved straddling two pages */
		{ 0x1ff0000, 0x20000, 4 },		/* reserved across the end */
		{ 0x250000000, 0x10000, 5 },		/* reserved inside the high RAM */
		{ 0x500000000, 0x1000, 7 },		/* reserved, no RAM there */
	};
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_mmap(&b, map, ARRAY_SIZE(map));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, 6);
	assert_region(0, 0x100000, 0x301000);
	assert_region(1, 0x1000000, 0x1400000);
	assert_region(2, 0x1401000, 0x17ff000);
	assert_region(3, 0x1801000, 0x1ff0000);
	assert_region(4, 0x200000000, 0x250000000);
	assert_region(5, 0x250010000, 0x300000000);
	/* unsorted, zero length, overlap among usable, reserved overlapping usable */
	assert_int_equal(host_log_count[LOG_WARN], 4);
}

static void mmap_reserved_wins_regardless_of_order(void **state)
{
	static const struct mmap_entry map[] = {
		{ 0x100000, 0x1000, 2 },		/* reserved first, RAM after */
		{ 0x0, 0x400000, 1 },
		{ 0x3ff000, 0x2000, 2 },
	};
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_mmap(&b, map, ARRAY_SIZE(map));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, 2);
	assert_region(0, 0, 0x100000);
	assert_region(1, 0x101000, 0x3ff000);
}

static void mmap_wrap_and_tiny(void **state)
{
	static const struct mmap_entry map[] = {
		{ 0xfffffffffff00000, 0x200000, 1 },	/* wraps past 2^64 */
		{ 0x10800, 0x400, 1 },			/* less than a page */
		{ 0x20800, 0x1000, 1 },			/* a page, but straddling */
		{ 0xfffffffffffff800, 0x100, 1 },	/* in the last page */
	};
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_mmap(&b, map, ARRAY_SIZE(map));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, 1);
	assert_region(0, 0xfffffffffff00000, 0xfffffffffffff000);
	assert_true(host_log_count[LOG_WARN] >= 1);
}

static void mmap_too_many_regions(void **state)
{
	static struct mmap_entry map[200];
	struct blob b;
	unsigned int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		map[i].base = (uint64_t)i * 0x100000;
		map[i].len = 0x80000;
		map[i].type = 1;
	}
	blob_init(&b);
	blob_mmap(&b, map, 200);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, BOOT_MAX_RAM_REGIONS);
	for (i = 0; i < BOOT_MAX_RAM_REGIONS; i++)
		assert_region(i, (uint64_t)i * 0x100000, (uint64_t)i * 0x100000 + 0x80000);
	assert_int_equal(host_log_count[LOG_WARN], 1);
	assert_non_null(strstr(host_last_log, "fragmented"));

	/* A full table cannot take the extra piece a reserved hole creates: the
	 * upper piece is lost (RAM lost, never reserved memory handed out). */
	host_log_reset();
	map[0].len = 0x100000;
	map[1].base = 0x40000;
	map[1].len = 0x1000;
	map[1].type = 2;
	blob_init(&b);
	blob_mmap(&b, map, 200);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, BOOT_MAX_RAM_REGIONS);
	assert_region(0, 0, 0x40000);
}

static void two_mmap_tags(void **state)
{
	static const struct mmap_entry a[] = { { 0x100000, 0x100000, 1 } };
	static const struct mmap_entry b_[] = { { 0x200000, 0x100000, 1 }, { 0x100000, 0x1000, 2 } };
	struct blob b;

	(void)state;
	blob_init(&b);
	blob_mmap(&b, a, 1);
	blob_mmap(&b, b_, 2);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_ram, 1);
	assert_region(0, 0x101000, 0x300000);
}

static void modules_odd(void **state)
{
	struct blob b;
	unsigned int i;
	char name[32];

	(void)state;
	blob_init(&b);
	blob_module(&b, 0x300000, 0x300000, "empty");
	blob_module(&b, 0x400000, 0x300000, "inverted");
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		blob_module(&b, 0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 1, name);
	}
	blob_tag(&b, MB2_TAG_MODULE, "\0\0\0", 4);	/* too small for start/end */
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_modules, BOOT_MAX_MODULES);
	for (i = 0; i < BOOT_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		assert_string_equal(bi.modules[i].string, name);
		assert_int_equal(bi.modules[i].start, 0x1000000 + i * 0x1000);
	}
	/* empty, inverted, too small, 4 dropped */
	assert_int_equal(host_log_count[LOG_WARN], 4);
}

static void strings_unterminated_and_long(void **state)
{
	static char longline[3000];
	uint8_t p[8 + 400];
	uint32_t start = 0x100000, end = 0x200000;
	struct blob b;

	(void)state;
	/* Not NUL-terminated: the tag ends right after the text (padding is not
	 * part of the tag, so the parser must stop at the tag's size). */
	blob_init(&b);
	blob_tag(&b, MB2_TAG_CMDLINE, "abc", 3);
	blob_end(&b);
	b.buf[8 + 8 + 3] = 'X';		/* padding byte: must not be copied */
	assert_true(parse(&b));
	assert_string_equal(bi.cmdline, "abc");
	assert_int_equal(host_log_count[LOG_WARN], 1);

	/* Too long for boot_info: truncated and terminated. */
	host_log_reset();
	memset(longline, 'a', sizeof(longline) - 1);
	blob_init(&b);
	blob_cmdline(&b, longline);
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(host_log_count[LOG_WARN], 1);

	/* Module string: both at once. */
	host_log_reset();
	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memset(p + 8, 'm', 400);
	blob_init(&b);
	blob_tag(&b, MB2_TAG_MODULE, p, sizeof(p));
	blob_end(&b);
	assert_true(parse(&b));
	assert_int_equal(bi.nr_modules, 1);
	assert_int_equal(strlen(bi.modules[0].string), BOOT_MODULE_STRING_MAX - 1);
	assert_int_equal(host_log_count[LOG_WARN], 2);

	/* Empty string payload (tag of 8 bytes): empty, not garbage. */
	host_log_reset();
	blob_init(&b);
	blob_tag(&b, MB2_TAG_CMDLINE, NULL, 0);
	blob_end(&b);
	assert_true(parse(&b));
	assert_string_equal(bi.cmdline, "");
}

/* ---- random damage ---- */

static void check_invariants(void)
{
	unsigned int i;

	assert_true(bi.nr_ram <= BOOT_MAX_RAM_REGIONS);
	assert_true(bi.nr_modules <= BOOT_MAX_MODULES);
	for (i = 0; i < bi.nr_ram; i++) {
		assert_true(bi.ram[i].size > 0);
		assert_int_equal(bi.ram[i].base % 4096, 0);
		assert_int_equal(bi.ram[i].size % 4096, 0);
		assert_true(bi.ram[i].base + bi.ram[i].size > bi.ram[i].base);
		if (i)	/* sorted, disjoint and not touching (else they would be merged) */
			assert_true(bi.ram[i - 1].base + bi.ram[i - 1].size < bi.ram[i].base);
	}
	for (i = 0; i < bi.nr_modules; i++) {
		assert_true(bi.modules[i].end > bi.modules[i].start);
		assert_true(memchr(bi.modules[i].string, 0, BOOT_MODULE_STRING_MAX) != NULL);
	}
	assert_true(memchr(bi.cmdline, 0, BOOT_CMDLINE_MAX) != NULL);
	assert_true(bi.rsdp_len == 0 || bi.rsdp_len == 20 || bi.rsdp_len == 36);
}

static void random_damage(void **state)
{
	uint8_t rsdp[36] = { 0 };
	struct blob good, b;
	unsigned int iter, k, accepted = 0;

	(void)state;
	blob_init(&good);
	blob_cmdline(&good, "console=com1 loglevel=3");
	blob_module(&good, 0x200000, 0x300000, "mod a");
	blob_mmap(&good, qemu_map, 6);
	blob_tag(&good, MB2_TAG_ACPI_NEW, rsdp, 36);
	blob_module(&good, 0x300000, 0x380000, "mod b");
	blob_end(&good);

	srand(1234);
	for (iter = 0; iter < 20000; iter++) {
		size_t avail = good.len;

		b = good;
		for (k = 0; k < 1 + (unsigned int)rand() % 4; k++) {
			size_t at = (size_t)rand() % good.len;

			switch (rand() % 3) {
			case 0:	/* one random byte */
				b.buf[at] = rand();
				break;
			case 1:	/* a small number where sizes live */
				put32(&b, at & ~(size_t)3, rand() % 64);
				break;
			default: /* a random word */
				put32(&b, at & ~(size_t)3, rand() ^ ((uint32_t)rand() << 16));
				break;
			}
		}
		if (rand() % 4 == 0)
			avail = (size_t)rand() % (good.len + 1);
		if (parse_n(&b, avail)) {
			accepted++;
			check_invariants();
		} else {
			assert_true(err[0] != '\0');
		}
	}
	/* Both outcomes must have been exercised. */
	assert_true(accepted > 100 && accepted < 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(typical_block, setup),
		cmocka_unit_test_setup(rsdp_preference, setup),
		cmocka_unit_test_setup(tags_after_end_ignored, setup),
		cmocka_unit_test_setup(bad_sizes, setup),
		cmocka_unit_test_setup(bad_tags, setup),
		cmocka_unit_test_setup(bad_mmap, setup),
		cmocka_unit_test_setup(every_truncation, setup),
		cmocka_unit_test_setup(mmap_normalised, setup),
		cmocka_unit_test_setup(mmap_reserved_wins_regardless_of_order, setup),
		cmocka_unit_test_setup(mmap_wrap_and_tiny, setup),
		cmocka_unit_test_setup(mmap_too_many_regions, setup),
		cmocka_unit_test_setup(two_mmap_tags, setup),
		cmocka_unit_test_setup(modules_odd, setup),
		cmocka_unit_test_setup(strings_unterminated_and_long, setup),
		cmocka_unit_test_setup(random_damage, setup),
	};
	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
