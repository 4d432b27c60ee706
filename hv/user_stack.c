/*
 * The System V initial process stack (layout in hv/user_stack.h). Sizes are
 * computed and checked in full before the first byte is written, so a stack
 * that does not fit is refused without leaving half a layout behind.
 */
#include "hv/user_stack.h"
#include "hv/errno.h"
#include "hv/string.h"

/* Where @va (inside the stack) is in the kernel view. */
struct stack_view {
	uint8_t *buf;
	uint64_t base;		/* user address of buf[0] */
};

static void put_word(const struct stack_view *v, uint64_t va, uint64_t value)
{
	memcpy(v->buf + (va - v->base), &value, sizeof(value));
}

/*
 * Counts the strings of a NULL-terminated vector (NULL: none) and their bytes
 * with terminators. False when the bytes exceed @limit, which also keeps the
 * count far from overflowing.
 */
static bool measure(const char *const *vec, uint64_t limit, uint64_t *count, uint64_t *bytes)
{
	*count = 0;
	*bytes = 0;
	for (; vec && vec[*count]; (*count)++) {
		*bytes += strlen(vec[*count]) + 1;
		if (*bytes > limit)
			return false;
	}
	return true;
}

/* Copies the strings of @vec up from *@cursor, storing their user addresses from @ptr_va
 * on, then the NULL that ends the vector. */
static void put_strings(const struct stack_view *v, const char *const *vec, uint64_t count,
			uint64_t *cursor, uint64_t ptr_va)
{
	uint64_t i;

	for (i = 0; i < count; i++) {
		size_t n = strlen(vec[i]) + 1;

		memcpy(v->buf + (*cursor - v->base), vec[i], n);
		put_word(v, ptr_va + i * 8, *cursor);
		*cursor += n;
	}
	put_word(v, ptr_va + count * 8, 0);
}

int user_stack_build(void *buf, size_t size, uint64_t top_va, const char *const *argv,
		     const char *const *envp, const struct user_auxv *auxv,
		     unsigned int nr_auxv, uint64_t *rsp_out)
{
	uint64_t argc, argv_bytes, envc, envp_bytes, str_bytes, words, vec_bytes;
	uint64_t strings_va, rsp, cursor, va;
	struct stack_view v;
	unsigned int i;

	if (top_va < size)
		return -EINVAL;
	for (i = 0; i < nr_auxv; i++)
		if (auxv[i].type == AT_NULL)
			return -EINVAL;
	v.buf = buf;
	v.base = top_va - size;

	if (!measure(argv, size, &argc, &argv_bytes) || !measure(envp, size, &envc, &envp_bytes))
		return -E2BIG;
	str_bytes = argv_bytes + envp_bytes + 8;	/* each <= size: no overflow */
	if (str_bytes > size)
		return -E2BIG;
	strings_va = top_va - str_bytes;

	/* argc, argv + NULL, envp + NULL, auxv + AT_NULL; counts are <= size. */
	if (__builtin_add_overflow(argc + envc + 3, 2 * ((uint64_t)nr_auxv + 1), &words) ||
	    __builtin_mul_overflow(words, 8, &vec_bytes) || vec_bytes > strings_va - v.base)
		return -E2BIG;
	rsp = ALIGN_DOWN(strings_va - vec_bytes, 16);
	if (rsp < v.base)
		return -E2BIG;

	memset(v.buf + (rsp - v.base), 0, top_va - rsp);
	put_word(&v, rsp, argc);
	cursor = strings_va;
	put_strings(&v, argv, argc, &cursor, rsp + 8);
	put_strings(&v, envp, envc, &cursor, rsp + 8 + (argc + 1) * 8);
	va = rsp + 8 + (argc + 1 + envc + 1) * 8;
	for (i = 0; i < nr_auxv; i++, va += 16) {
		put_word(&v, va, auxv[i].type);
		put_word(&v, va + 8, auxv[i].value);
	}
	/* The AT_NULL pair and the 8-byte end marker are already zero. */
	*rsp_out = rsp;
	return 0;
}
