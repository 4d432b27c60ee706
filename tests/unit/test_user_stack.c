/* unit-sources: hv/user_stack.c hv/format.c */
/*
 * The initial process stack, checked by walking it from rsp the way a C
 * library's start-up code does: every pointer is translated back into the
 * buffer and must land inside the stack. Buffers are heap allocations of
 * exactly the stack size, so AddressSanitizer reports any write outside.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/user_stack.h"
#include "hv/errno.h"
#include "tests/unit/host_support.h"

#define TOP	0x00007ffffffff000ULL
#define FILL	0xa5

struct stack {
	uint8_t *buf;
	size_t size;
	uint64_t top;
	uint64_t rsp;
};

static void stack_alloc(struct stack *s, size_t size, uint64_t top)
{
	s->buf = malloc(size ? size : 1);
	assert_non_null(s->buf);
	memset(s->buf, FILL, size);
	s->size = size;
	s->top = top;
	s->rsp = 0;
}

static int build(struct stack *s, const char *const *argv, const char *const *envp,
		 const struct user_auxv *auxv, unsigned int nr_auxv)
{
	return user_stack_build(s->buf, s->size, s->top, argv, envp, auxv, nr_auxv, &s->rsp);
}

/* The kernel view of user range [va, va + len), which must be inside the written stack. */
static const uint8_t *at(const struct stack *s, uint64_t va, uint64_t len)
{
	assert_true(va >= s->rsp && va <= s->top && len <= s->top - va);
	return s->buf + (va - (s->top - s->size));
}

static uint64_t word(const struct stack *s, uint64_t va)
{
	uint64_t v;

	memcpy(&v, at(s, va, 8), 8);
	return v;
}

/* The user string at @va: NUL-terminated inside the stack. */
static const char *string_at(const struct stack *s, uint64_t va)
{
	const char *p = (const char *)at(s, va, 1);

	assert_non_null(memchr(p, 0, s->top - va));
	return p;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/*
 * Walks the stack as crt0 does and compares it with what was passed in; also
 * checks that the strings sit above the vectors and the end marker is zero.
 */
static void check_stack(const struct stack *s, const char *const *argv, const char *const *envp,
			const struct user_auxv *auxv, unsigned int nr_auxv)
{
	uint64_t va, lowest_string = s->top - 8;
	size_t argc = count(argv), envc = count(envp), i;

	assert_int_equal(s->rsp % 16, 0);
	assert_true(s->rsp >= s->top - s->size && s->rsp < s->top);
	assert_int_equal(word(s, s->rsp), argc);

	va = s->rsp + 8;
	for (i = 0; i < argc; i++, va += 8) {
		uint64_t p = word(s, va);

		assert_string_equal(string_at(s, p), argv[i]);
		lowest_string = p < lowest_string ? p : lowest_string;
	}
	assert_int_equal(word(s, va), 0);
	va += 8;
	for (i = 0; i < envc; i++, va += 8) {
		uint64_t p = word(s, va);

		assert_string_equal(string_at(s, p), envp[i]);
		lowest_string = p < lowest_string ? p : lowest_string;
	}
	assert_int_equal(word(s, va), 0);
	va += 8;
	for (i = 0; i < nr_auxv; i++, va += 16) {
		assert_int_equal(word(s, va), auxv[i].type);
		assert_int_equal(word(s, va + 8), auxv[i].value);
	}
	assert_int_equal(word(s, va), AT_NULL);
	assert_int_equal(word(s, va + 8), 0);
	va += 16;
	/* The vectors end below the strings; the last 8 bytes are the zero end marker. */
	assert_true(va <= lowest_string);
	assert_int_equal(word(s, s->top - 8), 0);
	/* Nothing below rsp was touched. */
	for (i = 0; i < s->rsp - (s->top - s->size); i++)
		assert_int_equal(s->buf[i], FILL);
}

static const char *const argv3[] = { "/boot/vmm", "-m", "512", NULL };
static const char *const envp2[] = { "HOME=/", "TERM=vt100", NULL };
static const struct user_auxv auxv4[] = {
	{ AT_PHDR, 0x400040 }, { AT_PHENT, 56 }, { AT_PHNUM, 10 }, { AT_PAGESZ, 4096 },
	{ AT_ENTRY, 0x401520 },
};

static void typical(void **state)
{
	struct stack s;

	(void)state;
	stack_alloc(&s, 4096, TOP);
	assert_int_equal(build(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4)), 0);
	check_stack(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4));
	/* The whole layout fits in a few hundred bytes, near the top. */
	assert_true(TOP - s.rsp < 256);
	free(s.buf);
}

static void empty_vectors(void **state)
{
	static const char *const none[] = { NULL };
	struct stack s;

	(void)state;
	stack_alloc(&s, 256, TOP);
	assert_int_equal(build(&s, NULL, NULL, NULL, 0), 0);
	check_stack(&s, NULL, NULL, NULL, 0);
	/* argc, argv NULL, envp NULL, AT_NULL pair = 40 bytes and the 8-byte end
	 * marker, rounded to 16. */
	assert_int_equal(TOP - s.rsp, 48);
	free(s.buf);

	stack_alloc(&s, 256, TOP);
	assert_int_equal(build(&s, none, none, auxv4, 1), 0);
	check_stack(&s, none, none, auxv4, 1);
	free(s.buf);
}

/* Empty strings are strings: argc counts them and each gets its own NUL. */
static void empty_strings(void **state)
{
	static const char *const argv[] = { "", "", "x", "", NULL };
	struct stack s;

	(void)state;
	stack_alloc(&s, 512, TOP);
	assert_int_equal(build(&s, argv, argv, NULL, 0), 0);
	check_stack(&s, argv, argv, NULL, 0);
	free(s.buf);
}

/* Whatever the alignment of the top, rsp comes out 16-byte aligned. */
static void odd_tops(void **state)
{
	struct stack s;

	(void)state;
	for (uint64_t top = TOP - 32; top <= TOP; top++) {
		stack_alloc(&s, 1024, top);
		assert_int_equal(build(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4)), 0);
		check_stack(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4));
		free(s.buf);
	}
}

/*
 * Every stack size from far too small to enough: the smallest that works is
 * exactly what the layout uses, and a refused build writes nothing.
 */
static void exact_fit(void **state)
{
	struct stack s;
	uint64_t needed;
	size_t size;

	(void)state;
	stack_alloc(&s, 4096, TOP);
	assert_int_equal(build(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4)), 0);
	needed = TOP - s.rsp;
	free(s.buf);

	for (size = 0; size <= needed + 64; size++) {
		int ret;

		stack_alloc(&s, size, TOP);
		ret = build(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4));
		if (size < needed) {
			assert_int_equal(ret, -E2BIG);
			for (size_t i = 0; i < size; i++)
				assert_int_equal(s.buf[i], FILL);
		} else {
			assert_int_equal(ret, 0);
			assert_int_equal(s.rsp, TOP - needed);
			check_stack(&s, argv3, envp2, auxv4, ARRAY_SIZE(auxv4));
		}
		free(s.buf);
	}
}

static void many_and_long(void **state)
{
	enum { N = 2000 };
	const char **argv = calloc(N + 1, sizeof(*argv));
	char *big = malloc(100000);
	const char *one_big[] = { big, NULL };
	struct stack s;

	(void)state;
	for (int i = 0; i < N; i++) {
		char *a = malloc(16);

		snprintf(a, 16, "arg%d", i);
		argv[i] = a;
	}
	stack_alloc(&s, 64 * 1024, TOP);
	assert_int_equal(build(&s, argv, argv, auxv4, ARRAY_SIZE(auxv4)), 0);
	check_stack(&s, argv, argv, auxv4, ARRAY_SIZE(auxv4));
	free(s.buf);

	/* Strings alone larger than the stack. */
	memset(big, 'x', 99999);
	big[99999] = 0;
	stack_alloc(&s, 64 * 1024, TOP);
	assert_int_equal(build(&s, one_big, NULL, NULL, 0), -E2BIG);
	assert_int_equal(build(&s, NULL, one_big, NULL, 0), -E2BIG);
	free(s.buf);
	/* Strings fit, the vectors do not. */
	stack_alloc(&s, 20000, TOP);
	assert_int_equal(build(&s, argv, NULL, NULL, 0), -E2BIG);
	free(s.buf);

	for (int i = 0; i < N; i++)
		free((void *)argv[i]);
	free(argv);
	free(big);
}

static void bad_arguments(void **state)
{
	static const struct user_auxv with_null[] = { { AT_PAGESZ, 4096 }, { AT_NULL, 0 } };
	struct stack s;

	(void)state;
	stack_alloc(&s, 4096, TOP);
	assert_int_equal(build(&s, argv3, NULL, with_null, 2), -EINVAL);
	free(s.buf);
	/* A stack that would start below address 0. */
	stack_alloc(&s, 4096, 4000);
	assert_int_equal(build(&s, argv3, NULL, NULL, 0), -EINVAL);
	free(s.buf);
	/* The lowest possible stack, [0, 4096), works. */
	stack_alloc(&s, 4096, 4096);
	assert_int_equal(build(&s, argv3, NULL, NULL, 0), 0);
	check_stack(&s, argv3, NULL, NULL, 0);
	free(s.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typical),
		cmocka_unit_test(empty_vectors),
		cmocka_unit_test(empty_strings),
		cmocka_unit_test(odd_tops),
		cmocka_unit_test(exact_fit),
		cmocka_unit_test(many_and_long),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests_name("user_stack", tests, NULL, NULL);
}
