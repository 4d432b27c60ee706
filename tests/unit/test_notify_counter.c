/* unit-sources: hv/notify_counter.c hv/format.c */
/* The eventfd counter rules of notification objects. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/notify_counter.h"
#include "hv/errno.h"
#include "abi/include/tern/syscall.h"
#include "tests/unit/host_support.h"

static void test_add(void **state)
{
	uint64_t c = 0;

	(void)state;
	assert_int_equal(notify_try_add(&c, 3), 0);
	assert_int_equal(notify_try_add(&c, 0), 0);
	assert_int_equal(c, 3);
	assert_int_equal(notify_try_add(&c, TERN_NOTIFY_MAX - 3), 0);
	assert_true(c == TERN_NOTIFY_MAX);
	/* Full: refused, unchanged; adding nothing still works. */
	assert_int_equal(notify_try_add(&c, 1), -EAGAIN);
	assert_true(c == TERN_NOTIFY_MAX);
	assert_int_equal(notify_try_add(&c, 0), 0);
}

static void test_add_overflow(void **state)
{
	uint64_t c = 10;

	(void)state;
	/* A sum that would wrap 64 bits must not slip past the check. */
	assert_int_equal(notify_try_add(&c, TERN_NOTIFY_MAX - 5), -EAGAIN);
	assert_int_equal(c, 10);
	assert_int_equal(notify_try_add(&c, TERN_NOTIFY_MAX), -EAGAIN);
	assert_int_equal(c, 10);
	/* 2^64-1 can never fit: invalid, not "try again". */
	assert_int_equal(notify_try_add(&c, UINT64_MAX), -EINVAL);
	c = 0;
	assert_int_equal(notify_try_add(&c, UINT64_MAX), -EINVAL);
	assert_int_equal(c, 0);
	assert_int_equal(notify_try_add(&c, TERN_NOTIFY_MAX), 0);
	assert_true(c == TERN_NOTIFY_MAX);
}

static void test_take_counter(void **state)
{
	uint64_t c = 0, v = 1234;

	(void)state;
	assert_false(notify_try_take(&c, 0, &v));
	assert_int_equal(v, 1234);
	c = 7;
	assert_true(notify_try_take(&c, 0, &v));
	assert_int_equal(v, 7);
	assert_int_equal(c, 0);
	assert_false(notify_try_take(&c, 0, &v));
	c = TERN_NOTIFY_MAX;
	assert_true(notify_try_take(&c, 0, &v));
	assert_true(v == TERN_NOTIFY_MAX);
	assert_int_equal(c, 0);
}

static void test_take_semaphore(void **state)
{
	uint64_t c = 3, v = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_true(notify_try_take(&c, TERN_NOTIFY_SEMAPHORE, &v));
		assert_int_equal(v, 1);
		assert_int_equal(c, 2 - i);
	}
	v = 99;
	assert_false(notify_try_take(&c, TERN_NOTIFY_SEMAPHORE, &v));
	assert_int_equal(v, 99);
}

static void test_poll_bits(void **state)
{
	(void)state;
	assert_int_equal(notify_poll_bits(0), TERN_WAIT_WRITE);
	assert_int_equal(notify_poll_bits(1), TERN_WAIT_READ | TERN_WAIT_WRITE);
	assert_int_equal(notify_poll_bits(TERN_NOTIFY_MAX - 1), TERN_WAIT_READ | TERN_WAIT_WRITE);
	assert_int_equal(notify_poll_bits(TERN_NOTIFY_MAX), TERN_WAIT_READ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_overflow),
		cmocka_unit_test(test_take_counter),
		cmocka_unit_test(test_take_semaphore),
		cmocka_unit_test(test_poll_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
