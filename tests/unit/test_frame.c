/* unit-sources: hv/frame.c hv/format.c */
/*
 * The buddy frame allocator on a host arena: the "physical" addresses start at
 * PHYS (1 GiB) and are reached through the arena, as the core reaches RAM through
 * the direct map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "hv/frame.h"
#include "tests/unit/host_support.h"

#define PHYS		(1UL << 30)
#define ARENA		(64UL << 20)		/* physical [PHYS, PHYS + 64 MiB) */
#define SPAN_PAGES	(ARENA / PAGE_SIZE)
/* One state byte and a 16-bit reference count per page. */
#define META_PAGES	((SPAN_PAGES * 3 + PAGE_SIZE - 1) / PAGE_SIZE)

static uint8_t *arena;

static int arena_setup(void **state)
{
	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA);
	assert_non_null(arena);
	memset(arena, 0xa5, ARENA);	/* garbage, so zeroing on alloc is visible */
	host_log_reset();
	return 0;
}

static int arena_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static void init(const struct mem_region *r, unsigned int nr)
{
	assert_true(frame_init(PHYS, PHYS + ARENA, r, nr, (uintptr_t)arena - PHYS));
}

static bool in_regions(paddr_t pa, uint64_t len, const struct mem_region *r, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (pa >= r[i].base && pa + len <= r[i].base + r[i].size)
			return true;
	return false;
}

static bool all_zero(paddr_t pa, uint64_t len)
{
	const uint8_t *p = frame_va(pa);
	uint64_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* A 32 MiB region in one piece, and a small one far above that the metadata
 * fills exactly: the big block is all there is to allocate from. */
static const struct mem_region two_regions[] = {
	{ PHYS, 32UL << 20 },
	{ PHYS + (48UL << 20), META_PAGES * PAGE_SIZE },
};
#define TWO_REGIONS_FREE	8192

static void counts_and_metadata(void **state)
{
	struct mem_region meta;

	(void)state;
	init(two_regions, 2);
	assert_int_equal(frame_total_pages(), TWO_REGIONS_FREE);
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
	meta = frame_metadata_region();
	/* Carved from the top of the highest region that can hold it. */
	assert_int_equal(meta.size, META_PAGES * PAGE_SIZE);
	assert_int_equal(meta.base, PHYS + (48UL << 20));
	/* The metadata is not managed: freeing it is refused. */
	assert_false(frame_free(meta.base, 0));
}

static void split_and_merge(void **state)
{
	paddr_t a, b, c, big;

	(void)state;
	init(two_regions, 2);
	/* The largest block: 32 MiB = order 13 at PHYS. */
	big = frame_alloc(13);
	assert_int_equal(big, PHYS);
	assert_true(all_zero(big, 32UL << 20));
	assert_int_equal(frame_alloc(13), FRAME_NONE);
	assert_true(frame_free(big, 13));

	/* Splitting keeps the lower half: consecutive pages from the bottom. */
	a = frame_alloc(0);
	b = frame_alloc(0);
	c = frame_alloc(1);
	assert_int_equal(a, PHYS);
	assert_int_equal(b, PHYS + PAGE_SIZE);
	assert_int_equal(c, PHYS + 2 * PAGE_SIZE);
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 4);
	assert_int_equal(frame_alloc(13), FRAME_NONE);	/* the big block is split */

	/* Free in an order that needs every merge level to happen late. */
	assert_true(frame_free(b, 0));
	assert_true(frame_free(c, 1));
	assert_int_equal(frame_alloc(13), FRAME_NONE);
	assert_true(frame_free(a, 0));
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
	assert_int_equal(frame_alloc(13), PHYS);
}

static void zeroed(void **state)
{
	paddr_t a;

	(void)state;
	init(two_regions, 2);
	a = frame_alloc(2);
	assert_true(all_zero(a, 4 * PAGE_SIZE));
	memset(frame_va(a), 0xff, 4 * PAGE_SIZE);
	assert_true(frame_free(a, 2));
	assert_int_equal(frame_alloc(2), a);
	assert_true(all_zero(a, 4 * PAGE_SIZE));
	/* frame_va and frame_pa are inverses. */
	assert_int_equal(frame_pa(frame_va(a)), a);
}

/* Shared frames: the last put frees; a referenced frame cannot be freed. */
static void reference_counts(void **state)
{
	paddr_t a, big;

	(void)state;
	init(two_regions, 2);
	a = frame_alloc(0);
	big = frame_alloc(1);
	assert_int_equal(frame_ref_count(a), 1);
	assert_true(frame_ref_get(a));
	assert_true(frame_ref_get(a));
	assert_int_equal(frame_ref_count(a), 3);
	host_log_reset();
	assert_false(frame_free(a, 0));			/* others still hold it */
	assert_int_equal(host_log_count[LOG_ERR], 1);
	assert_true(frame_ref_put(a));
	assert_true(frame_ref_put(a));
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 3);
	assert_true(frame_ref_put(a));			/* the last one frees */
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 2);
	assert_int_equal(frame_ref_count(a), 0);

	/* Refused, nothing changes: free frames, larger blocks, tails, outside. */
	host_log_reset();
	assert_false(frame_ref_put(a));
	assert_false(frame_ref_get(a));
	assert_false(frame_ref_get(big));
	assert_false(frame_ref_get(big + PAGE_SIZE));
	assert_false(frame_ref_put(big));
	assert_false(frame_ref_get(PHYS + ARENA));
	assert_false(frame_ref_get(big + 8));
	assert_int_equal(host_log_count[LOG_ERR], 7);
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 2);

	/* Saturation is refused, not wrapped. */
	a = frame_alloc(0);
	for (unsigned int i = 0; i < UINT16_MAX; i++)
		assert_true(frame_ref_get(a));
	host_log_reset();
	assert_false(frame_ref_get(a));
	for (unsigned int i = 0; i < UINT16_MAX; i++)
		assert_true(frame_ref_put(a));
	assert_true(frame_free(a, 0));
	assert_true(frame_free(big, 1));
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
}

static int cmp_paddr(const void *x, const void *y)
{
	paddr_t a = *(const paddr_t *)x, b = *(const paddr_t *)y;

	return a < b ? -1 : a > b;
}

static void exhaustion_and_recovery(void **state)
{
	static paddr_t got[TWO_REGIONS_FREE + 1];
	uint64_t n = 0, i;

	(void)state;
	init(two_regions, 2);
	while ((got[n] = frame_alloc(0)) != FRAME_NONE) {
		assert_true(n < TWO_REGIONS_FREE);
		n++;
	}
	assert_int_equal(n, TWO_REGIONS_FREE);
	assert_int_equal(frame_free_pages(), 0);
	assert_int_equal(frame_alloc(0), FRAME_NONE);
	assert_int_equal(frame_alloc(5), FRAME_NONE);

	/* Every page handed out once, all inside the regions, none in the metadata. */
	qsort(got, n, sizeof(got[0]), cmp_paddr);
	for (i = 0; i < n; i++) {
		struct mem_region meta = frame_metadata_region();

		assert_true(in_regions(got[i], PAGE_SIZE, two_regions, 2));
		assert_false(got[i] >= meta.base && got[i] < meta.base + meta.size);
		if (i)
			assert_true(got[i] > got[i - 1]);
	}

	/* Free in a scrambled order; everything must merge back. */
	srand(7);
	for (i = n - 1; i > 0; i--) {
		uint64_t j = (uint64_t)rand() % (i + 1);
		paddr_t t = got[i];

		got[i] = got[j];
		got[j] = t;
	}
	for (i = 0; i < n; i++)
		assert_true(frame_free(got[i], 0));
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
	assert_int_equal(frame_alloc(13), PHYS);
	assert_int_equal(frame_free_pages(), 0);
}

static void bad_frees_detected(void **state)
{
	paddr_t a, b;
	int errors;

	(void)state;
	init(two_regions, 2);
	a = frame_alloc(2);
	b = frame_alloc(0);
	host_log_reset();

	assert_false(frame_free(a, 1));			/* wrong order, smaller */
	assert_false(frame_free(a, 3));			/* wrong order, larger */
	assert_false(frame_free(a + PAGE_SIZE, 0));	/* inside the block */
	assert_false(frame_free(a + PAGE_SIZE, 2));	/* misaligned */
	assert_false(frame_free(a + 1, 0));		/* not even page-aligned */
	assert_false(frame_free(PHYS + (40UL << 20), 0));	/* hole between the regions */
	assert_false(frame_free(PHYS - PAGE_SIZE, 0));	/* below the span */
	assert_false(frame_free(PHYS + ARENA, 0));	/* above the span */
	assert_false(frame_free(a, FRAME_MAX_ORDER + 1));
	errors = host_log_count[LOG_ERR];
	assert_int_equal(errors, 9);
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 5);

	assert_true(frame_free(b, 0));
	assert_false(frame_free(b, 0));			/* double free */
	assert_non_null(strstr(host_last_log, "double free"));
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - 4);

	/* Nothing was disturbed: the real free works and everything merges. */
	assert_int_equal(frame_block_order(a), 2);
	assert_true(frame_free(a, 2));
	assert_int_equal(frame_block_order(a), -1);
	assert_false(frame_free(a, 2));			/* double free after merging */
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
	assert_int_equal(frame_alloc(13), PHYS);
}

static void holes_and_odd_alignment(void **state)
{
	/* Odd starts and ends; page-trimmed: 2 + 7 + 510 pages, minus 4 for metadata. */
	static const struct mem_region r[] = {
		{ PHYS + 0x3000, 0x2800 },
		{ PHYS + 0x9000, 0x7000 },
		{ PHYS + 0x101000, 0x1fe000 },
	};
	static paddr_t got[600];
	uint64_t n = 0, i;
	paddr_t pa;

	(void)state;
	init(r, 3);
	assert_int_equal(frame_total_pages(), 2 + 7 + 510 - META_PAGES);
	assert_int_equal(frame_free_pages(), frame_total_pages());

	/* Largest possible block is 512 KiB (order 7) at PHYS + 1.5 MiB or 2 MiB. */
	assert_int_equal(frame_alloc(8), FRAME_NONE);
	pa = frame_alloc(7);
	assert_true(pa == PHYS + 0x180000 || pa == PHYS + 0x200000);
	assert_true(frame_free(pa, 7));

	/* Order-1 blocks are 8 KiB aligned and never straddle a hole. */
	while ((pa = frame_alloc(1)) != FRAME_NONE) {
		assert_int_equal(pa % 0x2000, 0);
		assert_true(in_regions(pa, 0x2000, r, 3));
		got[n++] = pa;
	}
	/* What is left are single pages at odd places. */
	while ((pa = frame_alloc(0)) != FRAME_NONE) {
		assert_true(in_regions(pa, PAGE_SIZE, r, 3));
		got[n++] = pa | 1;	/* low bit: order 0 */
	}
	assert_int_equal(frame_free_pages(), 0);
	for (i = 0; i < n; i++)
		assert_true(frame_free(got[i] & ~1UL, got[i] & 1 ? 0 : 1));
	assert_int_equal(frame_free_pages(), frame_total_pages());
}

static void separate_regions_merge(void **state)
{
	/* Two adjacent regions given separately, in reverse order. */
	static const struct mem_region r[] = {
		{ PHYS + (1UL << 20), 1UL << 20 },
		{ PHYS, 1UL << 20 },
		{ PHYS + (60UL << 20), 1UL << 20 },
	};

	(void)state;
	init(r, 3);
	assert_int_equal(frame_alloc(9), PHYS);
}

static void add_region_later(void **state)
{
	static const struct mem_region r[] = { { PHYS + (60UL << 20), 1UL << 20 } };
	uint64_t before;

	(void)state;
	init(r, 1);
	before = frame_free_pages();
	assert_int_equal(frame_alloc(9), FRAME_NONE);
	assert_true(frame_add_region(PHYS, 4UL << 20));
	assert_int_equal(frame_free_pages(), before + 1024);
	assert_int_equal(frame_total_pages(), before + 1024);
	host_log_reset();
	/* Overlapping managed memory, or outside the span: refused, nothing changes. */
	assert_false(frame_add_region(PHYS + (3UL << 20), 2UL << 20));
	assert_false(frame_add_region(PHYS + ARENA - PAGE_SIZE, 2 * PAGE_SIZE));
	assert_false(frame_add_region(PHYS - PAGE_SIZE, PAGE_SIZE));
	assert_int_equal(host_log_count[LOG_ERR], 3);
	assert_int_equal(frame_free_pages(), before + 1024);
	assert_int_equal(frame_alloc(10), PHYS);
}

static void init_failures(void **state)
{
	static const struct mem_region tiny[] = { { PHYS, 8 * PAGE_SIZE } };
	static const struct mem_region outside[] = { { PHYS + ARENA, 1UL << 20 } };
	static const struct mem_region overlap[] = {
		{ PHYS, 1UL << 20 }, { PHYS + (512UL << 10), 1UL << 20 },
	};

	(void)state;
	/* A 1 TiB span needs 256 MiB of metadata: no region holds it. */
	assert_false(frame_init(PHYS, PHYS + (1UL << 40), tiny, 1, (uintptr_t)arena - PHYS));
	assert_int_equal(frame_alloc(0), FRAME_NONE);
	assert_false(frame_init(PHYS, PHYS + ARENA, outside, 1, (uintptr_t)arena - PHYS));
	assert_false(frame_init(PHYS, PHYS + ARENA, overlap, 2, (uintptr_t)arena - PHYS));
	assert_int_equal(frame_alloc(0), FRAME_NONE);
	assert_int_equal(frame_free_pages(), 0);
	assert_false(frame_free(PHYS, 0));
}

/* Random allocations and frees; every live block is filled with its own tag and
 * checked on free, so two blocks that overlap would show. */
static void random_stress(void **state)
{
	struct live { paddr_t pa; unsigned int order; uint8_t tag; } *live;
	unsigned int nlive = 0, iter, i;
	uint64_t pages = 0;

	(void)state;
	init(two_regions, 2);
	live = calloc(20000, sizeof(*live));
	srand(99);
	for (iter = 0; iter < 20000; iter++) {
		if (nlive && rand() % 2) {
			struct live l;
			const uint8_t *p;
			uint64_t k;

			i = (unsigned int)rand() % nlive;
			l = live[i];
			p = frame_va(l.pa);
			for (k = 0; k < (PAGE_SIZE << l.order); k += 512)
				assert_int_equal(p[k], l.tag);
			assert_true(frame_free(l.pa, l.order));
			pages -= 1UL << l.order;
			live[i] = live[--nlive];
		} else {
			unsigned int order = (unsigned int)rand() % 7;
			paddr_t pa = frame_alloc(order);

			if (pa == FRAME_NONE)
				continue;	/* full or fragmented: fine, checked below */
			assert_int_equal(pa % (PAGE_SIZE << order), 0);
			assert_true(in_regions(pa, PAGE_SIZE << order, two_regions, 2));
			live[nlive].pa = pa;
			live[nlive].order = order;
			live[nlive].tag = (uint8_t)(iter | 1);
			memset(frame_va(pa), live[nlive].tag, PAGE_SIZE << order);
			nlive++;
			pages += 1UL << order;
		}
		assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE - pages);
	}
	while (nlive--)
		assert_true(frame_free(live[nlive].pa, live[nlive].order));
	free(live);
	assert_int_equal(frame_free_pages(), TWO_REGIONS_FREE);
	assert_int_equal(frame_alloc(13), PHYS);
}

/* The largest order, on a sparse mapping so that 2 GiB of "RAM" cost nothing
 * until touched. */
static void max_order(void **state)
{
	const uint64_t span = (2UL << 30) + (4UL << 20);
	const struct mem_region r[] = {
		{ 1UL << 30, 1UL << 30 },
		{ 2UL << 30, 4UL << 20 },	/* takes the metadata */
	};
	uint8_t *big;
	paddr_t a, b;

	(void)state;
	big = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	assert_true(big != MAP_FAILED);
	assert_true(frame_init(0, span, r, 2, (uintptr_t)big));
	a = frame_alloc(FRAME_MAX_ORDER);
	assert_int_equal(a, 1UL << 30);
	assert_int_equal(frame_alloc(FRAME_MAX_ORDER), FRAME_NONE);
	assert_int_equal(frame_alloc(FRAME_MAX_ORDER + 1), FRAME_NONE);
	assert_true(frame_free(a, FRAME_MAX_ORDER));
	/* Only the 1 GiB block can provide 512 MiB: split it, merge it again. */
	b = frame_alloc(FRAME_MAX_ORDER - 1);
	assert_int_equal(b, 1UL << 30);
	assert_int_equal(frame_alloc(FRAME_MAX_ORDER - 1), (1UL << 30) + (512UL << 20));
	assert_int_equal(frame_alloc(FRAME_MAX_ORDER), FRAME_NONE);
	assert_true(frame_free(b, FRAME_MAX_ORDER - 1));
	assert_true(frame_free(b + (512UL << 20), FRAME_MAX_ORDER - 1));
	assert_int_equal(frame_block_order(1UL << 30), -1);
	assert_int_equal(frame_alloc(FRAME_MAX_ORDER), 1UL << 30);
	munmap(big, span);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(counts_and_metadata, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(reference_counts, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(split_and_merge, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(zeroed, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(exhaustion_and_recovery, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(bad_frees_detected, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(holes_and_odd_alignment, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(separate_regions_merge, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(add_region_later, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(init_failures, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(random_stress, arena_setup, arena_teardown),
		cmocka_unit_test_setup_teardown(max_order, arena_setup, arena_teardown),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
