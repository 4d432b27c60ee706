/*
 * One table of layout facts about a KVM UAPI header, built twice: by
 * kvm_abi_project.c from tern's header and by kvm_abi_system.c from the
 * host's. test_kvm_abi.c compares them. No includes: the project side is
 * compiled without any system header in sight.
 */
#ifndef TESTS_UNIT_KVM_ABI_TABLE_H
#define TESTS_UNIT_KVM_ABI_TABLE_H

enum kvm_abi_kind {
	KVM_ABI_TYPE,		/* typedef: size, align, int_kind */
	KVM_ABI_STRUCT,		/* struct tag: size, align */
	KVM_ABI_FIELD,		/* member: offset, size, align */
	KVM_ABI_FLEX,		/* flexible array member: offset, element size and align */
	KVM_ABI_BITS,		/* bit-field: offset and size of its word, value = mask */
	KVM_ABI_CONST,		/* object-like macro: value, size, int_kind */
	KVM_ABI_FUNC,		/* function-like macro on a sample: value, size, int_kind */
	KVM_ABI_DEFINED,	/* macro defined empty: text = its expansion */
};

/* The C integer type of a constant or typedef, so 1 and 1UL differ. */
enum kvm_abi_int_kind {
	KVM_ABI_INT_OTHER, KVM_ABI_INT_CHAR, KVM_ABI_INT_SCHAR, KVM_ABI_INT_UCHAR,
	KVM_ABI_INT_SHORT, KVM_ABI_INT_USHORT, KVM_ABI_INT_INT, KVM_ABI_INT_UINT,
	KVM_ABI_INT_LONG, KVM_ABI_INT_ULONG, KVM_ABI_INT_LLONG, KVM_ABI_INT_ULLONG,
};

#define KVM_ABI_INT_KIND(x) _Generic((x),				\
	char: KVM_ABI_INT_CHAR,						\
	signed char: KVM_ABI_INT_SCHAR,					\
	unsigned char: KVM_ABI_INT_UCHAR,				\
	short: KVM_ABI_INT_SHORT,					\
	unsigned short: KVM_ABI_INT_USHORT,				\
	int: KVM_ABI_INT_INT,						\
	unsigned int: KVM_ABI_INT_UINT,					\
	long: KVM_ABI_INT_LONG,						\
	unsigned long: KVM_ABI_INT_ULONG,				\
	long long: KVM_ABI_INT_LLONG,					\
	unsigned long long: KVM_ABI_INT_ULLONG,				\
	default: KVM_ABI_INT_OTHER)

struct kvm_abi_entry {
	enum kvm_abi_kind kind;
	const char *tag;		/* struct tag, or 0 */
	const char *name;		/* member path, type or macro name */
	unsigned long long offset;
	unsigned long long size;
	unsigned long long align;
	unsigned long long value;
	int int_kind;			/* enum kvm_abi_int_kind */
	const char *text;		/* DEFINED: expansion; FUNC: the sample */
	unsigned long long (*compute)(void);	/* BITS: computes value */
};

/* Each returns its table and stores the number of entries in *count. */
const struct kvm_abi_entry *kvm_abi_project_table(unsigned int *count);
const struct kvm_abi_entry *kvm_abi_system_table(unsigned int *count);

#endif /* TESTS_UNIT_KVM_ABI_TABLE_H */
