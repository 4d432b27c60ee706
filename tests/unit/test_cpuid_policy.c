/* unit-sources: emul/cpuid_policy.c hv/format.c */
/* The default CPUID policy from made-up host values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emul/cpuid_policy.h"

static bool host_is_intel;

/* A small host: basic leaves to 0xD, extended to 0x80000008. */
static struct cpuid_regs fake_host(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r = { 0 };

	switch (leaf) {
	case 0:
		r.eax = 0xD;
		if (host_is_intel) {
			memcpy(&r.ebx, "Genu", 4); memcpy(&r.edx, "ineI", 4); memcpy(&r.ecx, "ntel", 4);
		} else {
			memcpy(&r.ebx, "Auth", 4); memcpy(&r.edx, "enti", 4); memcpy(&r.ecx, "cAMD", 4);
		}
		break;
	case 1:
		r.eax = 0x830f10;
		r.ebx = 0x05020800;	/* APIC ID 5 */
		r.ecx = 0xffffffff;
		r.edx = 0xffffffff;
		break;
	case 5:
		r.eax = 0x40; r.ebx = 0x40; r.ecx = 3;
		break;
	case 7:
		if (sub == 0) { r.ebx = 0xffffffff; r.ecx = 0xffffffff; r.edx = 0xffffffff; }
		break;
	case 0xB:
		if (sub < 2) { r.eax = 1; r.ebx = 2; r.ecx = (sub + 1) << 8 | sub; r.edx = 5; }
		else r.ecx = sub;
		break;
	case 0xD:
		if (sub == 0) { r.eax = 0x207; r.ebx = 0x340; r.ecx = 0x988; }
		else if (sub == 1) r.eax = 0xf;
		else if (sub == 2) { r.eax = 256; r.ebx = 576; }
		else if (sub == 9) { r.eax = 8; r.ebx = 0x980; }
		break;
	case 0x80000000:
		r.eax = 0x80000008;
		break;
	case 0x80000001:
		r.ecx = 0xffffffff;
		break;
	case 0x80000007:
		r.edx = 0xffffffff;
		break;
	case 0x80000008:
		r.eax = 0x3030; r.ebx = 0xffffffff;
		break;
	}
	return r;
}

static struct cpuid_policy pol;

static struct cpuid_regs q(uint32_t leaf, uint32_t sub, uint32_t apic_id, bool osxsave,
			   uint64_t xcr0)
{
	struct cpuid_vcpu_view view = { .apic_id = apic_id, .osxsave = osxsave, .xcr0 = xcr0 };

	return cpuid_policy_query(&pol, leaf, sub, &view);
}

static void hides_virtualization_and_sets_hypervisor(void **state)
{
	struct cpuid_regs r;

	(void)state;
	host_is_intel = false;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x207), 0);
	r = q(1, 0, 3, false, 1);
	assert_false(r.ecx & (1u << 5));	/* VMX */
	assert_false(r.ecx & (1u << 3));	/* MONITOR */
	assert_true(r.ecx & (1u << 31));	/* hypervisor */
	assert_true(r.ecx & (1u << 26));	/* XSAVE offered */
	assert_false(r.ecx & (1u << 27));	/* OSXSAVE follows the guest CR4 */
	assert_int_equal(r.ebx >> 24, 3);	/* initial APIC ID = vcpu id */
	assert_int_equal(r.ebx & 0xffffff, 0x020800);
	assert_true(q(1, 0, 0, true, 1).ecx & (1u << 27));
	assert_false(q(0x80000001, 0, 0, false, 1).ecx & (1u << 2));	/* SVM */
	r = q(5, 0, 0, false, 1);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);	/* MONITOR leaf */
	assert_int_equal(q(0x80000007, 0, 0, false, 1).edx, 1u << 8);
}

static void hypervisor_leaves(void **state)
{
	struct cpuid_regs r;
	char sig[13] = { 0 };

	(void)state;
	host_is_intel = false;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x207), 0);
	r = q(0x40000000, 0, 0, false, 1);
	assert_int_equal(r.eax, 0x40000001);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	assert_string_equal(sig, "TernTernTern");
	r = q(0x40000001, 0, 0, false, 1);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void topology_apic_id(void **state)
{
	(void)state;
	host_is_intel = true;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x7), 0);
	assert_int_equal(q(0xB, 0, 7, false, 1).edx, 7);
	assert_int_equal(q(0xB, 1, 7, false, 1).edx, 7);
	assert_int_equal(q(0xB, 1, 7, false, 1).ecx & 0xff00, 0x200);
}

static void xsave_leaf(void **state)
{
	struct cpuid_regs r;

	(void)state;
	host_is_intel = false;
	/* Host XCR0 has PKRU (bit 9): the guest must not. */
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x207), 0);
	assert_int_equal(pol.xcr0_mask, 0x7);
	r = q(0xD, 0, 0, true, 1);
	assert_int_equal(r.eax, 0x7);
	assert_int_equal(r.ebx, 576);		/* x87 only enabled: legacy + header */
	assert_int_equal(r.ecx, 576 + 256);	/* all the guest may enable */
	assert_int_equal(q(0xD, 0, 0, true, 7).ebx, 832);
	assert_false(q(0xD, 1, 0, true, 7).eax & (1u << 3));	/* XSAVES */
	r = q(0xD, 9, 0, true, 7);
	assert_int_equal(r.eax | r.ebx, 0);	/* PKRU component gone */
}

static void no_xsave_without_host_xcr0(void **state)
{
	uint32_t ecx;

	(void)state;
	host_is_intel = false;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0), 0);
	ecx = q(1, 0, 0, true, 1).ecx;
	assert_false(ecx & (1u << 26));
	assert_false(ecx & (1u << 27));
	assert_false(ecx & (1u << 28));		/* AVX needs XSAVE state */
}

static void out_of_range_leaves(void **state)
{
	struct cpuid_regs r;

	(void)state;
	host_is_intel = true;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x7), 0);
	/* Intel: the highest basic leaf (0xD subleaf 0 here). */
	r = q(0x30, 0, 0, true, 1);
	assert_int_equal(r.eax, 0x7);
	/* A missing subleaf of a known leaf is zero. */
	r = q(0xB, 5, 0, false, 1);
	assert_int_equal(r.eax | r.ebx | r.ecx, 0);

	host_is_intel = false;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x7), 0);
	r = q(0x30, 0, 0, true, 1);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void set_replaces(void **state)
{
	struct cpuid_entry e = { .function = 0x40000001, .eax = 0x1234 };

	(void)state;
	host_is_intel = false;
	assert_int_equal(cpuid_policy_build_default(&pol, fake_host, 0x7), 0);
	unsigned int nr = pol.nr;
	assert_int_equal(cpuid_policy_set(&pol, &e), 0);
	assert_int_equal(pol.nr, nr);
	assert_int_equal(q(0x40000001, 0, 0, false, 1).eax, 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hides_virtualization_and_sets_hypervisor),
		cmocka_unit_test(hypervisor_leaves),
		cmocka_unit_test(topology_apic_id),
		cmocka_unit_test(xsave_leaf),
		cmocka_unit_test(no_xsave_without_host_xcr0),
		cmocka_unit_test(out_of_range_leaves),
		cmocka_unit_test(set_replaces),
	};
	return cmocka_run_group_tests_name("cpuid_policy", tests, NULL, NULL);
}
