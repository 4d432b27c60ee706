/* unit-sources: hv/kvm_cpuid2.c emul/cpuid_policy.c hv/format.c */
/* KVM_SET/GET_CPUID2 tables and the CPUID answers they give. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hv/kvm_cpuid2.h"
#include "hv/errno.h"

static const struct cpuid_vcpu_view view = { .apic_id = 3, .xcr0 = 3 };

/* An Intel-looking table: leaf 0 (max 0xD), leaf 1, two 0xD subleaves,
 * leaf 0x80000008, and a duplicate leaf 1 that must lose to the first. */
static struct kvm_cpuid_entry2 table[] = {
	{ .function = 0, .eax = 0xD, .ebx = 0x756e6547, .edx = 0x49656e69, .ecx = 0x6c65746e },
	{ .function = 1, .eax = 0x906ea, .ebx = 0x800, .ecx = 0x04000000, .edx = 0x1 },
	{ .function = 0xD, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .eax = 0x7, .ebx = 0x340, .ecx = 0x340 },
	{ .function = 0xD, .index = 2, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .eax = 0x100, .ebx = 0x240 },
	{ .function = 0x80000008, .eax = 0x3027 },
	{ .function = 1, .eax = 0xdead },
};
#define NENT	(sizeof(table) / sizeof(table[0]))

static void round_trip(void **state)
{
	struct cpuid_policy *p = malloc(sizeof(*p));
	struct kvm_cpuid_entry2 out[NENT];

	(void)state;
	assert_int_equal(kvm_cpuid2_to_policy(table, NENT, 0x3, p), 0);
	assert_int_equal(p->nr, NENT);		/* duplicates kept, as given */
	memset(out, 0xAA, sizeof(out));
	kvm_cpuid2_from_policy(p, out);
	for (unsigned int i = 0; i < NENT; i++) {
		assert_int_equal(out[i].function, table[i].function);
		assert_int_equal(out[i].index, table[i].index);
		assert_int_equal(out[i].flags, table[i].flags);
		assert_int_equal(out[i].eax, table[i].eax);
		assert_int_equal(out[i].edx, table[i].edx);
		assert_int_equal(out[i].padding[0], 0);
	}
	assert_true(kvm_cpuid2_equal(p, table, NENT));
	assert_false(kvm_cpuid2_equal(p, table, NENT - 1));
	out[3].ebx ^= 1;
	assert_false(kvm_cpuid2_equal(p, out, NENT));
	free(p);
}

static void answers_from_table(void **state)
{
	struct cpuid_policy *p = malloc(sizeof(*p));
	struct cpuid_regs r;

	(void)state;
	assert_int_equal(kvm_cpuid2_to_policy(table, NENT, 0x3, p), 0);
	r = cpuid_policy_query(p, 1, 0, &view);
	assert_int_equal(r.eax, 0x906ea);	/* the first leaf 1 answers */
	assert_int_equal(r.ebx >> 24, 3);	/* APIC ID is the vcpu's */
	r = cpuid_policy_query(p, 0xD, 2, &view);
	assert_int_equal(r.eax, 0x100);
	/* Intel vendor: a leaf above the maximum gets the highest basic leaf. */
	assert_int_equal(p->max_basic, 0xD);
	assert_true(p->intel_fallback);
	/* XCR0: what leaf 0xD offers (x87|SSE|AVX) cut to what the core switches. */
	assert_int_equal(p->xcr0_mask, 0x3);
	free(p);
}

static void limits(void **state)
{
	struct cpuid_policy *p = malloc(sizeof(*p));
	struct kvm_cpuid_entry2 bad = { .function = 0x80000008, .eax = 0x2027 };	/* 32-bit VA */
	struct kvm_cpuid_entry2 la57 = { .function = 0x80000008, .eax = 0x3934 };

	(void)state;
	assert_int_equal(kvm_cpuid2_to_policy(table, KVM_CPUID2_MAX_ENTRIES + 1, 0x3, p), -E2BIG);
	assert_int_equal(kvm_cpuid2_to_policy(&bad, 1, 0x3, p), -EINVAL);
	assert_int_equal(kvm_cpuid2_to_policy(&la57, 1, 0x3, p), 0);
	/* An empty table: no leaves, x87 only. */
	assert_int_equal(kvm_cpuid2_to_policy(table, 0, 0x3, p), 0);
	assert_int_equal(p->nr, 0);
	assert_int_equal(p->xcr0_mask, 1);
	assert_int_equal(cpuid_policy_query(p, 0, 0, &view).ebx, 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(answers_from_table),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests_name("kvm_cpuid2", tests, NULL, NULL);
}
