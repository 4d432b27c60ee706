/* unit-sources: hv/format.c */
/* The core's printf formatter against the behaviour of C's snprintf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/format.h"

#define CHECK_LIKE_LIBC(...)							\
	do {									\
		char ours[128], libc[128];					\
		int n1 = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__);	\
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);		\
		assert_string_equal(ours, libc);				\
		assert_int_equal(n1, n2);					\
	} while (0)

static void integers(void **state)
{
	(void)state;
	CHECK_LIKE_LIBC("%d %i %u", -42, 7, 4000000000u);
	CHECK_LIKE_LIBC("%ld %lld", -9223372036854775807L - 1, 9223372036854775807LL);
	CHECK_LIKE_LIBC("%lu %zu", 18446744073709551615UL, (size_t)12345);
	CHECK_LIKE_LIBC("%hhd %hd", (signed char)-5, (short)-300);
	CHECK_LIKE_LIBC("%+d % d %+d", 5, 5, -5);
}

static void hex_octal(void **state)
{
	(void)state;
	CHECK_LIKE_LIBC("%x %X %#x %#X %o", 0xbeef, 0xbeef, 0x1f, 0x1f, 8);
	CHECK_LIKE_LIBC("%016lx|%-8x|%8x", 0xdeadbeefUL, 0xab, 0xab);
	CHECK_LIKE_LIBC("%#018lx", 0xffffffff80000000UL);
}

static void width_precision(void **state)
{
	(void)state;
	CHECK_LIKE_LIBC("[%5d][%-5d][%05d][%.3d][%8.3d]", 42, 42, 42, 7, 7);
	CHECK_LIKE_LIBC("[%*d][%-*d][%.*s]", 6, 1, 6, 1, 3, "abcdef");
	CHECK_LIKE_LIBC("[%.0d]", 0);
	CHECK_LIKE_LIBC("[%10s][%-10s][%.2s]", "tern", "tern", "tern");
	CHECK_LIKE_LIBC("[%c][%3c][%-3c]", 'a', 'b', 'c');
	CHECK_LIKE_LIBC("100%%");
}

static void pointer(void **state)
{
	(void)state;
	CHECK_LIKE_LIBC("%p", (void *)0x1234);
}

static void truncation(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");

	/* size 0 writes nothing at all */
	buf[0] = 'q';
	n = fmt_snprintf(buf, 0, "%d", 12345);
	assert_int_equal(n, 5);
	assert_int_equal(buf[0], 'q');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(hex_octal),
		cmocka_unit_test(width_precision),
		cmocka_unit_test(pointer),
		cmocka_unit_test(truncation),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
