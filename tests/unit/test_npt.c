/* unit-sources: mmu/npt.c hv/format.c */
/*
 * Nested page tables in both formats. The frame allocator is replaced by a
 * double that hands out pages of a malloc'ed arena and returns "physical"
 * addresses chosen so that phys_to_virt() (pa + DIRECT_MAP_BASE) yields the
 * arena pointer again; it counts pages so destroy can be checked for leaks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mmu/npt.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/mm.h"

#define ARENA_PAGES	256

static uint8_t *arena;
static bool arena_used[ARENA_PAGES];
static int frames_in_use;
static int fail_after = -1;	/* frame_alloc fails after this many successes */

paddr_t frame_alloc(unsigned int order)
{
	assert_int_equal(order, 0);	/* the tables only need single pages */
	if (fail_after == 0)
		return FRAME_NONE;
	if (fail_after > 0)
		fail_after--;
	for (int i = 0; i < ARENA_PAGES; i++) {
		if (!arena_used[i]) {
			arena_used[i] = true;
			frames_in_use++;
			memset(arena + i * PAGE_SIZE, 0, PAGE_SIZE);
			return (uintptr_t)(arena + i * PAGE_SIZE) - DIRECT_MAP_BASE;
		}
	}
	return FRAME_NONE;
}

bool frame_free(paddr_t pa, unsigned int order)
{
	uint8_t *p = phys_to_virt(pa);
	size_t i = (size_t)(p - arena) / PAGE_SIZE;

	assert_int_equal(order, 0);
	assert_true(p >= arena && p < arena + ARENA_PAGES * PAGE_SIZE);
	assert_true(((uintptr_t)p & (PAGE_SIZE - 1)) == 0);
	assert_true(arena_used[i]);
	arena_used[i] = false;
	frames_in_use--;
	/* Poison, so a lookup through a freed table would be noticed. */
	memset(p, 0xa5, PAGE_SIZE);
	return true;
}

void *kzalloc(size_t size) { return calloc(1, size); }
void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *p) { free(p); }

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
	memset(arena_used, 0, sizeof(arena_used));
	frames_in_use = 0;
	fail_after = -1;
	return arena ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(frames_in_use, 0);
	free(arena);
	return 0;
}

static struct npt *make(enum npt_format f, bool l2m, bool l1g)
{
	struct npt_config cfg = { .format = f, .large_2m = l2m, .large_1g = l1g };
	struct npt *npt = npt_create(&cfg);

	assert_non_null(npt);
	return npt;
}

static uint64_t *table_va(paddr_t pa) { return phys_to_virt(pa & 0x000FFFFFFFFFF000ULL); }

/* The raw entry mapping @gpa and its level (1 = 4 KiB). */
static uint64_t raw_leaf(struct npt *npt, uint64_t gpa, int *level_out)
{
	uint64_t *t = table_va(npt_root(npt));

	for (int level = 4; level >= 1; level--) {
		uint64_t e = t[(gpa >> (12 + 9 * (level - 1))) & 511];

		if (level == 1 || (e & (1ULL << 7))) {
			*level_out = level;
			return e;
		}
		t = table_va(e);
	}
	return 0;
}

static void expect(struct npt *npt, uint64_t gpa, paddr_t hpa, unsigned int prot)
{
	paddr_t h = 0;
	unsigned int p = 0;

	assert_true(npt_lookup(npt, gpa, &h, &p));
	assert_int_equal(h, hpa);
	assert_int_equal(p, prot);
}

static void map_lookup_both_formats(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct npt *npt = make(f ? NPT_FORMAT_AMD : NPT_FORMAT_EPT, true, true);

		assert_int_equal(npt_map(npt, 0x1000, 0x55000, 0x3000, NPT_RWX), 0);
		expect(npt, 0x1000, 0x55000, NPT_RWX);
		expect(npt, 0x2abc, 0x56abc, NPT_RWX);
		expect(npt, 0x3fff, 0x57fff, NPT_RWX);
		assert_false(npt_lookup(npt, 0x0, NULL, NULL));
		assert_false(npt_lookup(npt, 0x4000, NULL, NULL));
		assert_int_equal(npt_map(npt, 0x7f0000000000ULL, 0x1000, 0x1000, NPT_R), 0);
		expect(npt, 0x7f0000000123ULL, 0x1123, NPT_R);
		assert_int_equal(npt_map(npt, 0x10000, 0x20000, 0x1000, NPT_R | NPT_X), 0);
		expect(npt, 0x10000, 0x20000, NPT_R | NPT_X);
		/* remapping replaces and reports the old translation as stale */
		(void)npt_take_stale(npt);
		assert_int_equal(npt_map(npt, 0x2000, 0x99000, 0x1000, NPT_R | NPT_W), 0);
		assert_true(npt_take_stale(npt));
		assert_false(npt_take_stale(npt));
		expect(npt, 0x2000, 0x99000, NPT_R | NPT_W);
		expect(npt, 0x1000, 0x55000, NPT_RWX);
		npt_destroy(npt);
		assert_int_equal(frames_in_use, 0);
	}
}

static void large_pages_when_aligned(void **state)
{
	struct npt *npt = make(NPT_FORMAT_AMD, true, true);
	int level;

	(void)state;
	/* 1 GiB + 2 MiB + 4 KiB, all aligned: one 1 GiB, one 2 MiB, one 4 KiB leaf */
	assert_int_equal(npt_map(npt, 1 * GiB, 3 * GiB, GiB + 2 * MiB + 4 * KiB, NPT_RWX), 0);
	raw_leaf(npt, 1 * GiB + 12345, &level);
	assert_int_equal(level, 3);
	raw_leaf(npt, 2 * GiB + 4096, &level);
	assert_int_equal(level, 2);
	raw_leaf(npt, 2 * GiB + 2 * MiB, &level);
	assert_int_equal(level, 1);
	expect(npt, 1 * GiB + 0x12345678, 3 * GiB + 0x12345678, NPT_RWX);
	expect(npt, 2 * GiB + 0x1fffff, 4 * GiB + 0x1fffff, NPT_RWX);
	expect(npt, 2 * GiB + 2 * MiB + 5, 4 * GiB + 2 * MiB + 5, NPT_RWX);
	/* root, PDPT, PD, PT */
	assert_int_equal(npt_table_count(npt), 4);
	npt_destroy(npt);
}

static void no_large_pages_when_misaligned(void **state)
{
	struct npt *npt = make(NPT_FORMAT_EPT, true, true);
	int level;

	(void)state;
	/* gpa aligned but hpa only 4 KiB-aligned: 4 KiB leaves */
	assert_int_equal(npt_map(npt, 2 * MiB, 0x401000, 2 * MiB, NPT_RWX), 0);
	raw_leaf(npt, 2 * MiB, &level);
	assert_int_equal(level, 1);
	expect(npt, 4 * MiB - 1, 0x401000 + 2 * MiB - 1, NPT_RWX);
	/* sizes that do not cover a whole 2 MiB: 4 KiB leaves */
	assert_int_equal(npt_map(npt, 8 * MiB, 8 * MiB, 2 * MiB - 4096, NPT_RWX), 0);
	raw_leaf(npt, 8 * MiB, &level);
	assert_int_equal(level, 1);
	/* 1 GiB aligned but large_1g off in this config: 2 MiB leaves */
	npt_destroy(npt);
	npt = make(NPT_FORMAT_EPT, true, false);
	assert_int_equal(npt_map(npt, GiB, GiB, GiB, NPT_RWX), 0);
	raw_leaf(npt, GiB + 3 * MiB, &level);
	assert_int_equal(level, 2);
	npt_destroy(npt);
	/* no large pages at all */
	npt = make(NPT_FORMAT_AMD, false, false);
	assert_int_equal(npt_map(npt, 0, 0, 4 * MiB, NPT_RWX), 0);
	raw_leaf(npt, 3 * MiB, &level);
	assert_int_equal(level, 1);
	assert_int_equal(npt_table_count(npt), 5);	/* root, PDPT, PD, 2 PTs */
	npt_destroy(npt);
}

static void split_on_partial_unmap(void **state)
{
	struct npt *npt = make(NPT_FORMAT_AMD, true, true);
	int level;

	(void)state;
	assert_int_equal(npt_map(npt, 0, 0x40000000, GiB, NPT_RWX), 0);
	raw_leaf(npt, 0, &level);
	assert_int_equal(level, 3);
	(void)npt_take_stale(npt);
	/* a 4 KiB hole in the middle: 1 GiB -> 2 MiB leaves -> 4 KiB in one of them */
	assert_int_equal(npt_unmap(npt, 5 * MiB, 4096), 0);
	assert_true(npt_take_stale(npt));
	assert_false(npt_lookup(npt, 5 * MiB, NULL, NULL));
	assert_false(npt_lookup(npt, 5 * MiB + 4095, NULL, NULL));
	expect(npt, 5 * MiB - 1, 0x40000000 + 5 * MiB - 1, NPT_RWX);
	expect(npt, 5 * MiB + 4096, 0x40000000 + 5 * MiB + 4096, NPT_RWX);
	expect(npt, GiB - 1, 0x40000000 + GiB - 1, NPT_RWX);
	raw_leaf(npt, 100 * MiB, &level);
	assert_int_equal(level, 2);
	raw_leaf(npt, 4 * MiB, &level);
	assert_int_equal(level, 1);
	/* unmapping what is not mapped is fine and not stale */
	assert_int_equal(npt_unmap(npt, 5 * MiB, 4096), 0);
	assert_int_equal(npt_unmap(npt, 7 * GiB, GiB), 0);
	assert_false(npt_take_stale(npt));
	/* whole 2 MiB leaf removed without another split */
	assert_int_equal(npt_unmap(npt, 10 * MiB, 2 * MiB), 0);
	assert_false(npt_lookup(npt, 11 * MiB, NULL, NULL));
	assert_int_equal(npt_table_count(npt), 4);
	/* remap the hole */
	assert_int_equal(npt_map(npt, 5 * MiB, 0x1234000, 4096, NPT_R), 0);
	expect(npt, 5 * MiB + 8, 0x1234008, NPT_R);
	npt_destroy(npt);
}

static void split_on_protect(void **state)
{
	struct npt *npt = make(NPT_FORMAT_EPT, true, true);
	uint64_t e;
	int level;

	(void)state;
	assert_int_equal(npt_map(npt, 2 * MiB, 6 * MiB, 4 * MiB, NPT_RWX), 0);
	raw_leaf(npt, 2 * MiB, &level);
	assert_int_equal(level, 2);
	assert_int_equal(npt_protect(npt, 3 * MiB, 8192, NPT_R), 0);
	expect(npt, 3 * MiB, 7 * MiB, NPT_R);
	expect(npt, 3 * MiB + 8191, 7 * MiB + 8191, NPT_R);
	expect(npt, 3 * MiB + 8192, 7 * MiB + 8192, NPT_RWX);
	expect(npt, 3 * MiB - 1, 7 * MiB - 1, NPT_RWX);
	e = raw_leaf(npt, 3 * MiB, &level);
	assert_int_equal(level, 1);
	assert_int_equal(e & 7, 1);
	/* a whole 2 MiB leaf is protected in place */
	assert_int_equal(npt_protect(npt, 4 * MiB, 2 * MiB, NPT_R | NPT_X), 0);
	raw_leaf(npt, 4 * MiB, &level);
	assert_int_equal(level, 2);
	expect(npt, 5 * MiB, 9 * MiB, NPT_R | NPT_X);
	/* unmapped pages are skipped, not mapped */
	assert_int_equal(npt_protect(npt, 0, 64 * MiB, NPT_RWX), 0);
	assert_false(npt_lookup(npt, 0, NULL, NULL));
	assert_false(npt_lookup(npt, 6 * MiB, NULL, NULL));
	expect(npt, 3 * MiB, 7 * MiB, NPT_RWX);
	npt_destroy(npt);
}

static void amd_user_bit_every_level(void **state)
{
	struct npt *npt = make(NPT_FORMAT_AMD, true, true);
	uint64_t *t = table_va(npt_root(npt));
	uint64_t gpa = 0x123456789000ULL;

	(void)state;
	assert_int_equal(npt_map(npt, gpa, 0xabc000, 4096, NPT_R | NPT_W), 0);
	for (int level = 4; level >= 1; level--) {
		uint64_t e = t[(gpa >> (12 + 9 * (level - 1))) & 511];

		assert_int_equal(e & 7, 7);	/* P, RW, US */
		if (level == 1) {
			assert_int_equal(e & 0x000FFFFFFFFFF000ULL, 0xabc000);
			assert_true(e >> 63);		/* not executable: NX */
		} else {
			assert_false(e >> 63);
			assert_false(e & (1 << 7));
			t = table_va(e);
		}
	}
	/* a read-only executable 2 MiB leaf: P|US|PS, no RW, no NX */
	assert_int_equal(npt_map(npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_R | NPT_X), 0);
	{
		int level;
		uint64_t e = raw_leaf(npt, 2 * MiB, &level);

		assert_int_equal(level, 2);
		assert_int_equal(e & ~0x000FFFFFFFFFF000ULL & ~0x60ULL, 0x85);
	}
	npt_destroy(npt);
}

static void ept_bits(void **state)
{
	struct npt_config cfg = { .format = NPT_FORMAT_EPT, .large_2m = true, .ept_ad = true };
	struct npt *npt;
	uint64_t *root, e;
	int level;

	(void)state;
	npt = npt_create(&cfg);
	assert_non_null(npt);
	assert_int_equal(npt_map(npt, 0x5000, 0x7000, 4096, NPT_R | NPT_W), 0);
	e = raw_leaf(npt, 0x5000, &level);
	assert_int_equal(level, 1);
	/* R|W, WB memory type (6 << 3), A and D preset with A/D enabled, no X */
	assert_int_equal(e, 0x7000 | 0x3 | (6 << 3) | (1 << 8) | (1 << 9));
	assert_int_equal(npt_map(npt, 2 * MiB, 4 * MiB, 2 * MiB, NPT_R | NPT_X), 0);
	e = raw_leaf(npt, 2 * MiB, &level);
	assert_int_equal(level, 2);
	assert_int_equal(e, 4 * MiB | 0x5 | (6 << 3) | (1 << 7) | (1 << 8));
	root = table_va(npt_root(npt));
	assert_int_equal(root[0] & 0xfff, 0x107);	/* non-leaf: RWX, A */
	npt_destroy(npt);

	/* without A/D, no A/D bits */
	cfg.ept_ad = false;
	npt = npt_create(&cfg);
	assert_int_equal(npt_map(npt, 0x5000, 0x7000, 4096, NPT_RWX), 0);
	e = raw_leaf(npt, 0x5000, &level);
	assert_int_equal(e, 0x7000 | 0x7 | (6 << 3));
	npt_destroy(npt);
}

static void bad_arguments(void **state)
{
	struct npt *npt = make(NPT_FORMAT_EPT, true, true);

	(void)state;
	assert_int_equal(npt_map(npt, 1ULL << 48, 0, 4096, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, (1ULL << 48) - 4096, 0, 8192, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, (1ULL << 48) - 4096, 0, 4096, NPT_RWX), 0);
	assert_int_equal(npt_map(npt, 0x1001, 0, 4096, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0x10, 4096, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0, 100, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0, 0, NPT_RWX), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0, 4096, 0), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0, 4096, NPT_W), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 0, 4096, 8 | NPT_R), -EINVAL);
	assert_int_equal(npt_map(npt, 0x1000, 1ULL << 52, 4096, NPT_R), -EINVAL);
	assert_int_equal(npt_map(npt, 0, -4096ULL, 8192, NPT_R), -EINVAL);
	assert_int_equal(npt_unmap(npt, -4096ULL, 8192), -EINVAL);
	assert_int_equal(npt_protect(npt, 0, 4096, NPT_X), -EINVAL);
	assert_false(npt_lookup(npt, 1ULL << 48, NULL, NULL));
	assert_false(npt_lookup(npt, 0x1000, NULL, NULL));
	npt_destroy(npt);
}

static void out_of_memory_changes_nothing(void **state)
{
	struct npt *npt = make(NPT_FORMAT_AMD, true, true);

	(void)state;
	assert_int_equal(npt_map(npt, 0, 0x40000000, GiB, NPT_RWX), 0);
	/* splitting needs a 2 MiB table and a 4 KiB table: allow only one */
	fail_after = 1;
	assert_int_equal(npt_unmap(npt, 5 * MiB, 4096), -ENOMEM);
	expect(npt, 5 * MiB, 0x40000000 + 5 * MiB, NPT_RWX);
	fail_after = 0;
	assert_int_equal(npt_map(npt, 3 * GiB, 0, 4096, NPT_RWX), -ENOMEM);
	assert_false(npt_lookup(npt, 3 * GiB, NULL, NULL));
	fail_after = -1;
	assert_int_equal(npt_unmap(npt, 5 * MiB, 4096), 0);
	assert_false(npt_lookup(npt, 5 * MiB, NULL, NULL));
	npt_destroy(npt);
	/* creation itself */
	fail_after = 0;
	{
		struct npt_config cfg = { .format = NPT_FORMAT_EPT };

		assert_null(npt_create(&cfg));
	}
	fail_after = -1;
}

static void destroy_frees_every_table(void **state)
{
	struct npt *npt = make(NPT_FORMAT_EPT, true, true);

	(void)state;
	/* scatter mappings over many tables */
	for (uint64_t i = 0; i < 20; i++)
		assert_int_equal(npt_map(npt, i * 37 * GiB + i * 3 * MiB + i * 4096, i * 4096,
					 4096, NPT_RWX), 0);
	assert_int_equal(npt_map(npt, 0, 0, 3 * GiB, NPT_RWX), 0);
	assert_int_equal(npt_unmap(npt, 1 * GiB + 4096, 4096), 0);
	assert_int_equal(frames_in_use, (int)npt_table_count(npt));
	assert_true(frames_in_use > 20);
	npt_destroy(npt);
	assert_int_equal(frames_in_use, 0);
	npt_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_lookup_both_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(large_pages_when_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(no_large_pages_when_misaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(split_on_partial_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(split_on_protect, setup, teardown),
		cmocka_unit_test_setup_teardown(amd_user_bit_every_level, setup, teardown),
		cmocka_unit_test_setup_teardown(ept_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_memory_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy_frees_every_table, setup, teardown),
	};
	return cmocka_run_group_tests_name("npt", tests, NULL, NULL);
}
