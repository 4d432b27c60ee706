/* unit-sources: hv/aspace.c hv/frame.c hv/heap.c hv/format.c */
/*
 * Process address spaces on a host arena: mapping, splitting, protection,
 * borrowed frames, bad arguments, running out of memory, and that every
 * frame comes back. The hardware parts (CR3, IPIs) are never reached: an
 * address space that was never loaded needs no TLB shootdown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/aspace.h"
#include "hv/frame.h"
#include "hv/kobj.h"
#include "hv/errno.h"
#include "hv/percpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/ipi.h"
#include "tests/unit/host_support.h"

#define PHYS	(1UL << 30)
#define ARENA	(8UL << 20)

static uint8_t *arena;
static paddr_t kernel_pml4;

/* What aspace.c needs from the rest of the core. */
volatile uint32_t cpus_online = 1;
struct cpu_features cpu_features = { .nx = true };

paddr_t paging_kernel_cr3(void)
{
	return kernel_pml4;
}

void ipi_call_others(void (*fn)(void *), void *arg)
{
	(void)fn;
	(void)arg;
	fail_msg("a TLB shootdown for an address space that was never loaded");
}

void kobj_get(struct kobj *o)
{
	o->refs++;
}

void kobj_put(struct kobj *o)
{
	assert_true(o->refs > 0);
	o->refs--;
}

static int group_setup(void **state)
{
	static const struct mem_region r[] = { { PHYS, ARENA } };
	uint64_t *k;

	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA);
	if (!frame_init(PHYS, PHYS + ARENA, r, 1, (uintptr_t)arena - PHYS))
		return -1;
	/* A core PML4 with something in the upper half, to see it shared. */
	kernel_pml4 = frame_alloc(0);
	k = frame_va(kernel_pml4);
	k[300] = 0x1234000 | 1;
	k[511] = 0x5678000 | 1;
	/* The heap keeps one slab page per size class once used: warm up every
	 * class aspace.c allocates from, so the frame counts below are exact. */
	{
		struct aspace *as = aspace_create();
		uintptr_t a = 0x400000;

		if (!as || aspace_map_anon(as, &a, 4 * PAGE_SIZE, 1, TERN_MAP_FIXED) ||
		    aspace_unmap(as, a + PAGE_SIZE, PAGE_SIZE))
			return -1;
		aspace_destroy(as);
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static void upper_half_shared_lower_empty(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uint64_t *pml4;
	unsigned int i;

	(void)state;
	assert_non_null(as);
	pml4 = frame_va(as->pml4);
	for (i = 0; i < 256; i++)
		assert_int_equal(pml4[i], 0);
	assert_int_equal(pml4[300], 0x1234000 | 1);
	assert_int_equal(pml4[511], 0x5678000 | 1);
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

static void map_anywhere_zeroed_and_translated(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uintptr_t a = 0, b = 0, va;
	paddr_t pa;
	int prot;

	(void)state;
	assert_int_equal(aspace_map_anon(as, &a, 3 * PAGE_SIZE, TERN_PROT_READ | TERN_PROT_WRITE, 0),
			 0);
	assert_true(a >= ASPACE_MMAP_BASE);
	assert_int_equal(aspace_map_anon(as, &b, 5000, TERN_PROT_READ, 0), 0);
	assert_true(b >= a + 3 * PAGE_SIZE);	/* no overlap, rounded up to pages */
	for (va = a; va < a + 3 * PAGE_SIZE; va += PAGE_SIZE) {
		assert_true(aspace_translate(as, va + 5, &pa, &prot));
		assert_int_equal(pa & (PAGE_SIZE - 1), 5);
		assert_int_equal(prot, TERN_PROT_READ | TERN_PROT_WRITE);
		assert_int_equal(*(uint8_t *)frame_va(pa), 0);
	}
	assert_true(aspace_translate(as, b + PAGE_SIZE, &pa, &prot));
	assert_false(aspace_translate(as, b + 2 * PAGE_SIZE, &pa, &prot));
	assert_int_equal(as->pages, 5);
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

static void fixed_noreplace_and_fixed(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uintptr_t a = 0x400000, b;
	paddr_t pa1, pa2;

	(void)state;
	assert_int_equal(aspace_map_anon(as, &a, 4 * PAGE_SIZE, TERN_PROT_READ,
					 TERN_MAP_FIXED_NOREPLACE), 0);
	assert_int_equal(a, 0x400000);
	assert_true(aspace_translate(as, a + PAGE_SIZE, &pa1, NULL));
	b = a + PAGE_SIZE;
	assert_int_equal(aspace_map_anon(as, &b, PAGE_SIZE, TERN_PROT_READ,
					 TERN_MAP_FIXED_NOREPLACE), -EEXIST);
	*(uint8_t *)frame_va(pa1) = 7;
	assert_int_equal(aspace_map_anon(as, &b, PAGE_SIZE, TERN_PROT_READ | TERN_PROT_WRITE,
					 TERN_MAP_FIXED), 0);
	assert_true(aspace_translate(as, b, &pa2, NULL));
	assert_int_equal(*(uint8_t *)frame_va(pa2), 0);	/* a fresh page replaced it */
	assert_int_equal(as->pages, 4);
	/* A hint that is taken is used; a hint that is not falls back. */
	b = 0x400000;
	assert_int_equal(aspace_map_anon(as, &b, PAGE_SIZE, TERN_PROT_READ, 0), 0);
	assert_true(b != 0x400000);
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

static void unmap_and_protect_split(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uintptr_t a = 0x800000;
	paddr_t pa;
	int prot;

	(void)state;
	assert_int_equal(aspace_map_anon(as, &a, 10 * PAGE_SIZE, TERN_PROT_READ | TERN_PROT_WRITE,
					 TERN_MAP_FIXED), 0);
	assert_int_equal(aspace_unmap(as, a + 4 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	assert_false(aspace_translate(as, a + 4 * PAGE_SIZE, &pa, NULL));
	assert_false(aspace_translate(as, a + 5 * PAGE_SIZE, &pa, NULL));
	assert_true(aspace_translate(as, a + 3 * PAGE_SIZE, &pa, NULL));
	assert_true(aspace_translate(as, a + 6 * PAGE_SIZE, &pa, NULL));
	assert_int_equal(as->pages, 8);
	assert_int_equal(frame_free_pages() + 0, frame_free_pages());

	/* Protection over a hole is refused and changes nothing. */
	assert_int_equal(aspace_protect(as, a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, TERN_PROT_READ),
			 -ENOMEM);
	assert_true(aspace_translate(as, a + 3 * PAGE_SIZE, &pa, &prot));
	assert_int_equal(prot, TERN_PROT_READ | TERN_PROT_WRITE);
	/* Part of a mapping: only that part changes. */
	assert_int_equal(aspace_protect(as, a + PAGE_SIZE, 2 * PAGE_SIZE, TERN_PROT_NONE), 0);
	assert_true(aspace_translate(as, a + PAGE_SIZE, &pa, &prot));
	assert_int_equal(prot, TERN_PROT_NONE);
	assert_true(aspace_translate(as, a, &pa, &prot));
	assert_int_equal(prot, TERN_PROT_READ | TERN_PROT_WRITE);
	assert_true(aspace_translate(as, a + 3 * PAGE_SIZE, &pa, &prot));
	assert_int_equal(prot, TERN_PROT_READ | TERN_PROT_WRITE);
	/* Unmapping across several mappings and holes. */
	assert_int_equal(aspace_unmap(as, a, 10 * PAGE_SIZE), 0);
	assert_int_equal(as->pages, 0);
	assert_true(list_empty(&as->mappings));
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

static void borrowed_frames(void **state)
{
	uint64_t before = frame_free_pages();
	struct kobj owner = { .refs = 1 };
	paddr_t frames[3] = { frame_alloc(0), frame_alloc(0), frame_alloc(0) };
	struct aspace *as = aspace_create();
	uintptr_t a = 0, b = 0;
	paddr_t pa;

	(void)state;
	assert_int_equal(aspace_map_frames(as, &a, 3 * PAGE_SIZE, TERN_PROT_READ, 0, &owner,
					   frames), 0);
	assert_int_equal(aspace_map_frames(as, &b, 3 * PAGE_SIZE, TERN_PROT_READ, 0, &owner,
					   frames), 0);
	assert_int_equal(owner.refs, 3);
	assert_true(aspace_translate(as, b + 2 * PAGE_SIZE, &pa, NULL));
	assert_int_equal(pa, frames[2]);
	/* A hole in the middle: two pieces, each holding the owner. */
	assert_int_equal(aspace_unmap(as, a + PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(owner.refs, 4);
	aspace_destroy(as);
	assert_int_equal(owner.refs, 1);
	/* The borrowed frames were not freed by the address space. */
	assert_int_equal(frame_free_pages(), before - 3);
	assert_true(frame_free(frames[0], 0) && frame_free(frames[1], 0) &&
		    frame_free(frames[2], 0));
	assert_int_equal(frame_free_pages(), before);
	/* Unaligned length or no owner: refused. */
	as = aspace_create();
	assert_int_equal(aspace_map_frames(as, &a, 100, TERN_PROT_READ, 0, &owner, frames),
			 -EINVAL);
	assert_int_equal(aspace_map_frames(as, &a, PAGE_SIZE, TERN_PROT_READ, 0, NULL, frames),
			 -EINVAL);
	aspace_destroy(as);
}

static void bad_arguments(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uintptr_t a;

	(void)state;
	a = 0x400001;
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 1, TERN_MAP_FIXED), -EINVAL);
	a = 0;
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 1, TERN_MAP_FIXED), -EINVAL);
	a = 0x1000;	/* below ASPACE_USER_BASE */
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 1, TERN_MAP_FIXED), -EINVAL);
	a = ASPACE_USER_END - PAGE_SIZE;
	assert_int_equal(aspace_map_anon(as, &a, 2 * PAGE_SIZE, 1, TERN_MAP_FIXED), -EINVAL);
	a = 0xffffffff80000000UL;
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 1, TERN_MAP_FIXED), -EINVAL);
	a = 0x400000;
	assert_int_equal(aspace_map_anon(as, &a, 0, 1, TERN_MAP_FIXED), -EINVAL);
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 8, TERN_MAP_FIXED), -EINVAL);
	assert_int_equal(aspace_map_anon(as, &a, PAGE_SIZE, 1, 0x20), -EINVAL);
	assert_int_equal(aspace_map_anon(as, &a, UINT64_MAX, 1, 0), -EINVAL);
	assert_int_equal(aspace_unmap(as, 0x400001, PAGE_SIZE), -EINVAL);
	assert_int_equal(aspace_unmap(as, 0x400000, 0), -EINVAL);
	assert_int_equal(aspace_unmap(as, 0xffff800000000000UL, PAGE_SIZE), -EINVAL);
	assert_int_equal(aspace_unmap(as, 0x400000, UINT64_MAX - 0x3fffff), -EINVAL);
	assert_int_equal(aspace_protect(as, 0x400000, PAGE_SIZE, 1), -ENOMEM);	/* not mapped */
	assert_int_equal(aspace_protect(as, 0x400000, PAGE_SIZE, 16), -EINVAL);
	/* Unmapping nothing is fine, as in POSIX. */
	assert_int_equal(aspace_unmap(as, 0x400000, PAGE_SIZE), 0);
	assert_int_equal(as->pages, 0);
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

static void out_of_memory_leaves_nothing(void **state)
{
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	uint64_t mid;
	uintptr_t a = 0;

	(void)state;
	assert_int_equal(aspace_map_anon(as, &a, ARENA * 2, TERN_PROT_READ, 0), -ENOMEM);
	assert_true(list_empty(&as->mappings));
	assert_int_equal(as->pages, 0);
	mid = frame_free_pages();
	/* Fill memory with small mappings until it runs out; then free all. */
	for (;;) {
		a = 0;
		if (aspace_map_anon(as, &a, 16 * PAGE_SIZE, TERN_PROT_READ, 0))
			break;
	}
	assert_true(frame_free_pages() < mid);
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

/* Random operations against a model of which pages are mapped with what. */
static void random_operations_match_a_model(void **state)
{
	enum { PAGES = 64 };
	const uintptr_t base = 0x10000000;
	uint64_t before = frame_free_pages();
	struct aspace *as = aspace_create();
	int model[PAGES];	/* -1 unmapped, else prot */
	unsigned int i, round;

	(void)state;
	srand(4242);
	for (i = 0; i < PAGES; i++)
		model[i] = -1;
	for (round = 0; round < 3000; round++) {
		unsigned int first = rand() % PAGES, n = 1 + rand() % (PAGES - first);
		int prot = rand() % 8, op = rand() % 3, err;
		uintptr_t a = base + first * PAGE_SIZE;
		bool holes = false;

		for (i = first; i < first + n; i++)
			holes |= model[i] < 0;
		if (op == 0) {
			err = aspace_map_anon(as, &a, n * PAGE_SIZE, prot, TERN_MAP_FIXED);
			assert_int_equal(err, 0);
			for (i = first; i < first + n; i++)
				model[i] = prot;
		} else if (op == 1) {
			assert_int_equal(aspace_unmap(as, a, n * PAGE_SIZE), 0);
			for (i = first; i < first + n; i++)
				model[i] = -1;
		} else {
			err = aspace_protect(as, a, n * PAGE_SIZE, prot);
			assert_int_equal(err, holes ? -ENOMEM : 0);
			if (!holes)
				for (i = first; i < first + n; i++)
					model[i] = prot;
		}
		for (i = 0; i < PAGES; i++) {
			paddr_t pa;
			int p = -2;
			bool mapped = aspace_translate(as, base + i * PAGE_SIZE, &pa, &p);

			assert_int_equal(mapped, model[i] >= 0);
			if (mapped)
				assert_int_equal(p, model[i]);
		}
	}
	aspace_destroy(as);
	assert_int_equal(frame_free_pages(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(upper_half_shared_lower_empty),
		cmocka_unit_test(map_anywhere_zeroed_and_translated),
		cmocka_unit_test(fixed_noreplace_and_fixed),
		cmocka_unit_test(unmap_and_protect_split),
		cmocka_unit_test(borrowed_frames),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(out_of_memory_leaves_nothing),
		cmocka_unit_test(random_operations_match_a_model),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
