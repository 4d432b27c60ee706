/*
 * Expands kvm_abi_list.def into a table of struct kvm_abi_entry against
 * whichever KVM header the including file pulled in, as function
 * KVM_ABI_TABLE_FN. Included by kvm_abi_project.c and kvm_abi_system.c only;
 * it uses compiler built-ins rather than <stddef.h>/<string.h> so that the
 * project side needs no system header.
 */
#include "kvm_abi_table.h"

#define KVM_ABI_MEMBER(st, path)	(((struct st *)0)->path)
#define KVM_ABI_STR2(x)			#x
#define KVM_ABI_STR(x)			KVM_ABI_STR2(x)

/*
 * Pass 1: a function per bit-field. It sets only that bit-field to all ones
 * (by decrementing it from zero, which wraps for an unsigned bit-field)
 * and returns the union's whole-register member: the bit-field's mask.
 */
#define T(t)
#define S(st)
#define F(st, path)
#define FA(st, path)
#define B(id, st, path, word, bf)					\
	static unsigned long long kvm_abi_bits_##id(void)		\
	{								\
		struct st o;						\
		__builtin_memset(&o, 0, sizeof(o));			\
		o.path.bf--;						\
		return o.path.word;					\
	}
#define C(n)
#define CX(n, e)
#define D(n)
#include "kvm_abi_list.def"
#undef T
#undef S
#undef F
#undef FA
#undef B
#undef C
#undef CX
#undef D

/* Pass 2: the table. */
#define T(t) { .kind = KVM_ABI_TYPE, .name = #t, .size = sizeof(t),		\
	.align = __alignof__(t), .int_kind = KVM_ABI_INT_KIND((t)0) },
#define S(st) { .kind = KVM_ABI_STRUCT, .tag = #st, .name = #st,		\
	.size = sizeof(struct st), .align = __alignof__(struct st) },
#define F(st, path) { .kind = KVM_ABI_FIELD, .tag = #st, .name = #path,	\
	.offset = __builtin_offsetof(struct st, path),				\
	.size = sizeof(KVM_ABI_MEMBER(st, path)),				\
	.align = __alignof__(KVM_ABI_MEMBER(st, path)) },
#define FA(st, path) { .kind = KVM_ABI_FLEX, .tag = #st, .name = #path,	\
	.offset = __builtin_offsetof(struct st, path),				\
	.size = sizeof(KVM_ABI_MEMBER(st, path)[0]),				\
	.align = __alignof__(KVM_ABI_MEMBER(st, path)[0]) },
#define B(id, st, path, word, bf) { .kind = KVM_ABI_BITS, .tag = #st,		\
	.name = #path "." #bf,							\
	.offset = __builtin_offsetof(struct st, path.word),			\
	.size = sizeof(KVM_ABI_MEMBER(st, path.word)),				\
	.align = __alignof__(KVM_ABI_MEMBER(st, path.word)),			\
	.compute = kvm_abi_bits_##id },
#define C(n) { .kind = KVM_ABI_CONST, .name = #n,				\
	.value = (unsigned long long)(n), .size = sizeof(n),			\
	.int_kind = KVM_ABI_INT_KIND(n) },
#define CX(n, e) { .kind = KVM_ABI_FUNC, .name = #n, .text = #e,		\
	.value = (unsigned long long)(e), .size = sizeof(e),			\
	.int_kind = KVM_ABI_INT_KIND(e) },
#define D(n) { .kind = KVM_ABI_DEFINED, .name = #n, .text = KVM_ABI_STR(n) },

static struct kvm_abi_entry kvm_abi_entries[] = {
#include "kvm_abi_list.def"
};

#undef T
#undef S
#undef F
#undef FA
#undef B
#undef C
#undef CX
#undef D

const struct kvm_abi_entry *KVM_ABI_TABLE_FN(unsigned int *count)
{
	unsigned int i, n = sizeof(kvm_abi_entries) / sizeof(kvm_abi_entries[0]);

	for (i = 0; i < n; i++)
		if (kvm_abi_entries[i].compute)
			kvm_abi_entries[i].value = kvm_abi_entries[i].compute();
	*count = n;
	return kvm_abi_entries;
}
