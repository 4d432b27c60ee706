/* unit-sources: hv/heap.c hv/frame.c hv/format.c */
/* kmalloc/kfree on top of the frame allocator, both on a host arena. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/heap.h"
#include "hv/frame.h"
#include "tests/unit/host_support.h"

#define PHYS	(1UL << 30)
#define ARENA	(16UL << 20)

static uint8_t *arena;

/* The heap keeps its state across tests (it has no init): every test frees
 * what it allocated, and the frame allocator is set up once for the group. */
static int group_setup(void **state)
{
	static const struct mem_region r[] = { { PHYS, ARENA } };

	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA);
	memset(arena, 0xa5, ARENA);
	return frame_init(PHYS, PHYS + ARENA, r, 1, (uintptr_t)arena - PHYS) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	host_log_reset();
	return 0;
}

static bool in_arena(const void *p, size_t n)
{
	return (const uint8_t *)p >= arena && (const uint8_t *)p + n <= arena + ARENA;
}

static void alignment_and_bounds(void **state)
{
	static const size_t sizes[] = {
		0, 1, 15, 16, 17, 100, 500, 1000, 2016, 2017, 4095, 4096, 4097, 10000, 65536,
		1 << 20,
	};
	void *p[ARRAY_SIZE(sizes)];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_true(in_arena(p[i], sizes[i]));
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		if (sizes[i] >= 4096)
			assert_int_equal((uintptr_t)p[i] % 4096, 0);
		memset(p[i], i, sizes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int k;

		for (k = 0; k < sizes[i]; k++)
			assert_int_equal(((uint8_t *)p[i])[k], i);
		kfree(p[i]);
	}
	assert_int_equal(host_log_count[LOG_ERR], 0);
}

/* Many objects of mixed sizes, each filled with its own byte: overlap shows. */
static void no_overlap_and_reuse(void **state)
{
	enum { N = 3000 };
	static void *p[N];
	static size_t sz[N];
	uint64_t baseline = frame_free_pages();
	unsigned int i, round;

	(void)state;
	srand(5);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++) {
			sz[i] = 1 + (size_t)rand() % (rand() % 8 ? 300 : 6000);
			p[i] = kmalloc(sz[i]);
			assert_non_null(p[i]);
			memset(p[i], (uint8_t)i, sz[i]);
		}
		for (i = 0; i < N; i++) {
			size_t k;

			for (k = 0; k < sz[i]; k++)
				assert_int_equal(((uint8_t *)p[i])[k], (uint8_t)i);
		}
		for (i = 0; i < N; i += 2)
			kfree(p[i]);
		for (i = 1; i < N; i += 2)
			kfree(p[i]);
	}
	/* At most one empty slab per size class is kept back. */
	assert_true(frame_free_pages() + 17 >= baseline);
	assert_int_equal(host_log_count[LOG_ERR], 0);
}

static void kzalloc_zeroes(void **state)
{
	uint8_t *p, *q;
	unsigned int i;

	(void)state;
	p = kmalloc(200);
	memset(p, 0xff, 200);
	kfree(p);
	q = kzalloc(200);	/* likely the same object again */
	for (i = 0; i < 200; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
	q = kzalloc(20000);
	for (i = 0; i < 20000; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
}

static void kfree_null(void **state)
{
	(void)state;
	kfree(NULL);
	assert_int_equal(host_log_count[LOG_ERR], 0);
}

static void bad_pointers_detected(void **state)
{
	char *a = kmalloc(64), *b = kmalloc(64), *big = kmalloc(8192), *c;
	int on_stack;
	uint64_t before;

	(void)state;
	kfree(a);
	kfree(a);				/* double free */
	assert_non_null(strstr(host_last_log, "double free"));
	kfree(b + 16);				/* inside an object */
	kfree(b + 8);				/* not even on a 16-byte boundary */
	kfree(&on_stack);			/* not heap memory at all */
	kfree((char *)arena + ARENA - PAGE_SIZE);	/* never handed out, page-aligned */
	kfree((char *)arena + ARENA - PAGE_SIZE + 64);	/* never handed out, not a slab */
	kfree(big + 4096);			/* inside a large allocation */
	assert_int_equal(host_log_count[LOG_ERR], 7);

	/* Nothing was corrupted: b and big are still allocated, a is reusable. */
	before = frame_free_pages();
	kfree(big);
	assert_int_equal(frame_free_pages(), before + 2);
	kfree(big);				/* large double free */
	assert_int_equal(host_log_count[LOG_ERR], 8);
	c = kmalloc(64);
	assert_ptr_equal(c, a);
	assert_ptr_not_equal(c, b);
	kfree(b);
	kfree(c);
	assert_int_equal(host_log_count[LOG_ERR], 8);
}

static void exhaustion(void **state)
{
	enum { MAX = 200000 };
	void **p = calloc(MAX, sizeof(void *));
	uint64_t before = frame_free_pages();
	unsigned int n = 0, i;

	(void)state;
	assert_null(kmalloc((size_t)2 << 30));		/* beyond the largest block */
	assert_null(kmalloc(ARENA));			/* more than there is */
	while (n < MAX && (p[n] = kmalloc(1000)))
		n++;
	assert_true(n > 1000 && n < MAX);
	assert_null(kmalloc(16 * 1024));
	for (i = 0; i < n; i++)
		kfree(p[i]);
	/* Recovered: all pages back but the one empty slab the class keeps. */
	assert_true(frame_free_pages() + 1 >= before);
	p[0] = kmalloc(1 << 20);
	assert_non_null(p[0]);
	kfree(p[0]);
	free(p);
	assert_int_equal(host_log_count[LOG_ERR], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(alignment_and_bounds, setup),
		cmocka_unit_test_setup(no_overlap_and_reuse, setup),
		cmocka_unit_test_setup(kzalloc_zeroes, setup),
		cmocka_unit_test_setup(kfree_null, setup),
		cmocka_unit_test_setup(bad_pointers_detected, setup),
		cmocka_unit_test_setup(exhaustion, setup),
	};
	return cmocka_run_group_tests_name("heap", tests, group_setup, group_teardown);
}
