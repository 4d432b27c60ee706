/* unit-sources: hv/pio_string.c hv/format.c */
/* String I/O chunking: page and wrap limits, DF, register updates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/pio_string.h"

static struct pio_string_op op64(uint64_t index, uint64_t rcx, uint8_t size, bool df)
{
	return (struct pio_string_op){
		.size = size, .addr_size = 8, .rep = true, .df = df, .code64 = true,
		.index = index, .rcx = rcx,
	};
}

static void chunk_stops_at_page_end(void **state)
{
	struct pio_string_op op = op64(0x1ff0, 100, 2, false);

	(void)state;
	assert_int_equal(pio_string_chunk(&op, 2048), 8);	/* 16 bytes to 0x2000 */
	assert_int_equal(pio_string_chunk_start(&op, 8), 0x1ff0);
	pio_string_advance(&op, 8);
	assert_int_equal(op.index, 0x2000);
	assert_int_equal(op.rcx, 92);
	/* Next chunk: a whole page is 2048 words, but only 92 remain. */
	assert_int_equal(pio_string_chunk(&op, 2048), 92);
}

static void chunk_limited_by_buffer(void **state)
{
	struct pio_string_op op = op64(0x3000, 100000, 4, false);

	(void)state;
	assert_int_equal(pio_string_chunk(&op, 1024), 1024);
	assert_int_equal(pio_string_chunk(&op, 10), 10);
}

static void straddling_element_moves_alone(void **state)
{
	struct pio_string_op op = op64(0x1ffe, 5, 4, false);

	(void)state;
	assert_int_equal(pio_string_chunk(&op, 1024), 1);
}

static void df_counts_down(void **state)
{
	struct pio_string_op op = op64(0x2008, 100, 4, true);

	(void)state;
	/* Elements at 0x2008, 0x2004, 0x2000: three before the page start. */
	assert_int_equal(pio_string_chunk(&op, 1024), 3);
	assert_int_equal(pio_string_chunk_start(&op, 3), 0x2000);
	pio_string_advance(&op, 3);
	assert_int_equal(op.index, 0x1ffc);
	assert_int_equal(op.rcx, 97);
}

static void no_rep_is_one_element(void **state)
{
	struct pio_string_op op = op64(0x1000, 0, 1, false);

	(void)state;
	op.rep = false;
	assert_int_equal(pio_string_remaining(&op), 1);
	assert_int_equal(pio_string_chunk(&op, 4096), 1);
	pio_string_advance(&op, 1);
	assert_int_equal(op.index, 0x1001);
	assert_int_equal(op.rcx, 0);	/* untouched without REP */
}

static void rep_zero_count(void **state)
{
	struct pio_string_op op = op64(0x1000, 0, 1, false);

	(void)state;
	assert_int_equal(pio_string_chunk(&op, 4096), 0);
}

static void real_mode_16bit_wrap(void **state)
{
	/* DS = 0x1234 (base 0x12340), SI = 0xfff0, CX high bits kept. */
	struct pio_string_op op = {
		.size = 1, .addr_size = 2, .rep = true, .seg_base = 0x12340,
		.index = 0xabcd0000fff0ULL, .rcx = 0x55550000ffffULL,
	};

	(void)state;
	assert_int_equal(pio_string_linear(&op, 0), 0x12340 + 0xfff0);
	/* Linear 0x22330: 0xcd0 bytes to the page end but 16 to the wrap. */
	assert_int_equal(pio_string_chunk(&op, 4096), 16);
	pio_string_advance(&op, 16);
	assert_int_equal(op.index, 0xabcd00000000ULL);	/* SI wrapped, upper bits kept */
	assert_int_equal(op.rcx, 0x55550000ffefULL);
	assert_int_equal(pio_string_linear(&op, 0), 0x12340);
}

static void addr32_zero_extends(void **state)
{
	struct pio_string_op op = {
		.size = 4, .addr_size = 4, .rep = true, .code64 = true,
		.index = 0xffffffff00000ff8ULL, .rcx = 0xffffffff00000010ULL,
	};

	(void)state;
	assert_int_equal(pio_string_linear(&op, 0), 0xff8);
	assert_int_equal(pio_string_chunk(&op, 1024), 2);
	pio_string_advance(&op, 2);
	assert_int_equal(op.index, 0x1000);
	assert_int_equal(op.rcx, 0xe);
}

static void legacy_linear_wraps_at_4g(void **state)
{
	struct pio_string_op op = {
		.size = 1, .addr_size = 4, .seg_base = 0xfffff000, .index = 0x1800,
	};

	(void)state;
	assert_int_equal(pio_string_linear(&op, 0), 0x800);
}

static void reverse(void **state)
{
	uint8_t b[6] = { 1, 2, 3, 4, 5, 6 };
	const uint8_t want[6] = { 5, 6, 3, 4, 1, 2 };

	(void)state;
	pio_reverse_elements(b, 3, 2);
	assert_memory_equal(b, want, 6);
	pio_reverse_elements(b, 1, 2);
	assert_memory_equal(b, want, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunk_stops_at_page_end),
		cmocka_unit_test(chunk_limited_by_buffer),
		cmocka_unit_test(straddling_element_moves_alone),
		cmocka_unit_test(df_counts_down),
		cmocka_unit_test(no_rep_is_one_element),
		cmocka_unit_test(rep_zero_count),
		cmocka_unit_test(real_mode_16bit_wrap),
		cmocka_unit_test(addr32_zero_extends),
		cmocka_unit_test(legacy_linear_wraps_at_4g),
		cmocka_unit_test(reverse),
	};
	return cmocka_run_group_tests_name("pio_string", tests, NULL, NULL);
}
