/* unit-sources: hv/kvm_caps.c hv/kvm_msr_index.c emul/msr.c emul/mtrr.c emul/cpuid_policy.c hv/format.c */
/*
 * KVM_CHECK_EXTENSION answers and the /dev/kvm MSR lists, the lists checked
 * both ways against the MSR table vcpus really use (emul/msr.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/kvm_caps.h"
#include "hv/kvm_msr_index.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "hv/errno.h"
#include "emul/msr.h"
#include "emul/cpuid_policy.h"
#include "arch/x86/virt.h"
#include "abi/include/tern/kvm_ring.h"

/* The backend MSRs (EFER, STAR, segment bases, ...) answer from the VMCS/VMCB:
 * here any index the table routes to the backend reads as 0. */
static int fake_get_msr(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)v;
	(void)index;
	*value = 0;
	return 0;
}

static int fake_set_msr(struct vcpu *v, uint32_t index, uint64_t value)
{
	(void)v;
	(void)index;
	(void)value;
	return 0;
}

static void fake_tsc_offset(struct vcpu *v, int64_t offset)
{
	(void)v;
	(void)offset;
}

static struct virt_ops fake_ops = {
	.get_msr = fake_get_msr, .set_msr = fake_set_msr, .set_tsc_offset = fake_tsc_offset,
};
const struct virt_ops *virt = &fake_ops;

static const struct kvm_cap_env env4 = { .cpus = 4, .xsave = true };

static void fixed_answers(void **state)
{
	(void)state;
	assert_int_equal(kvm_cap_value(KVM_CAP_USER_MEMORY, &env4), 1);
	assert_int_equal(kvm_cap_value(KVM_CAP_NR_MEMSLOTS, &env4), TERN_KVM_USER_MEM_SLOTS);
	assert_int_equal(kvm_cap_value(KVM_CAP_COALESCED_MMIO, &env4), KVM_COALESCED_MMIO_PAGE_OFFSET);
	assert_int_equal(kvm_cap_value(KVM_CAP_MAX_VCPUS, &env4), VM_MAX_VCPUS);
	assert_int_equal(kvm_cap_value(KVM_CAP_SYNC_REGS, &env4), KVM_SYNC_X86_VALID_FIELDS);
	assert_int_equal(kvm_cap_value(KVM_CAP_MAX_VCPU_ID, &env4), VM_MAX_VCPUS);
	assert_int_equal(kvm_cap_value(KVM_CAP_ADJUST_CLOCK, &env4),
			 KVM_CLOCK_TSC_STABLE | KVM_CLOCK_HOST_TSC);
	static const uint64_t ones[] = {
		KVM_CAP_EXT_CPUID, KVM_CAP_EXT_EMUL_CPUID, KVM_CAP_READONLY_MEM,
		KVM_CAP_SET_TSS_ADDR, KVM_CAP_SET_IDENTITY_MAP_ADDR, KVM_CAP_GET_MSR_FEATURES,
		KVM_CAP_CHECK_EXTENSION_VM, KVM_CAP_IMMEDIATE_EXIT, KVM_CAP_XSAVE,
		KVM_CAP_VCPU_EVENTS, KVM_CAP_DEBUGREGS, KVM_CAP_MP_STATE,
		KVM_CAP_INTERNAL_ERROR_DATA,
	};

	for (size_t i = 0; i < ARRAY_SIZE(ones); i++)
		assert_int_equal(kvm_cap_value(ones[i], &env4), 1);
}

static void missing_is_zero(void **state)
{
	/* No in-kernel irqchip, PIT, irqfd, ioeventfd, kvmclock yet. */
	static const uint64_t zeros[] = {
		KVM_CAP_IRQCHIP, KVM_CAP_PIT2, KVM_CAP_IRQFD, KVM_CAP_IOEVENTFD,
		KVM_CAP_CLOCKSOURCE, KVM_CAP_SYNC_MMU,
		KVM_CAP_MULTI_ADDRESS_SPACE, KVM_CAP_COALESCED_PIO, KVM_CAP_ENABLE_CAP,
		KVM_CAP_SPLIT_IRQCHIP, KVM_CAP_TSC_DEADLINE_TIMER, KVM_CAP_DIRTY_LOG_RING_ACQ_REL,
		0x7fffffff, 0xffffffffffffffffULL, 1ULL << 32 | KVM_CAP_USER_MEMORY,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(zeros); i++)
		assert_int_equal(kvm_cap_value(zeros[i], &env4), 0);
}

static void machine_dependent(void **state)
{
	struct kvm_cap_env one = { .cpus = 1 }, many = { .cpus = 200, .xsave = true }, none = { 0 };

	(void)state;
	assert_int_equal(kvm_cap_value(KVM_CAP_NR_VCPUS, &env4), 4);
	assert_int_equal(kvm_cap_value(KVM_CAP_NR_VCPUS, &one), 1);
	assert_int_equal(kvm_cap_value(KVM_CAP_NR_VCPUS, &many), VM_MAX_VCPUS);
	assert_int_equal(kvm_cap_value(KVM_CAP_NR_VCPUS, &none), 1);
	assert_int_equal(kvm_cap_value(KVM_CAP_XCRS, &env4), 1);
	assert_int_equal(kvm_cap_value(KVM_CAP_XCRS, &one), 0);
}

static struct vcpu *test_vcpu(void)
{
	static struct cpuid_policy empty;
	static struct vcpu v;

	memset(&v, 0, sizeof(v));
	v.cpuid = &empty;
	msr_reset(&v);
	return &v;
}

static bool listed(const uint32_t *list, uint32_t n, uint32_t index)
{
	for (uint32_t i = 0; i < n; i++)
		if (list[i] == index)
			return true;
	return false;
}

/* Every MSR a vcpu answers is listed, and nothing else (scanning the MSR
 * ranges CPUs define). */
static void index_list_matches_vcpu(void **state)
{
	static const struct { uint32_t first, last; } scan[] = {
		{ 0, 0x3fff }, { 0xc0000000, 0xc0003fff }, { 0xc0010000, 0xc0011fff },
	};
	struct vcpu *v = test_vcpu();
	uint32_t n, hits = 0;
	const uint32_t *list = kvm_msr_index_list(&n);

	(void)state;
	assert_true(n > 0);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t value;

		assert_false(listed(list + i + 1, n - i - 1, list[i]));	/* no duplicates */
		if (msr_read(v, list[i], &value))
			fail_msg("listed MSR %#x is not readable on a vcpu", list[i]);
	}
	for (size_t r = 0; r < ARRAY_SIZE(scan); r++) {
		for (uint32_t idx = scan[r].first; idx <= scan[r].last; idx++) {
			uint64_t value;

			if (msr_read(v, idx, &value))
				continue;
			hits++;
			if (!listed(list, n, idx))
				fail_msg("vcpu MSR %#x is missing from the list", idx);
		}
	}
	assert_int_equal(hits, n);
}

static void feature_msrs(void **state)
{
	struct vcpu *v = test_vcpu();
	uint32_t n, idx;
	const uint32_t *list = kvm_msr_feature_list(&n);
	uint64_t want, got;

	(void)state;
	assert_true(n > 0);
	for (uint32_t i = 0; i < n; i++) {
		idx = list[i];
		/* What /dev/kvm reports is what a fresh vcpu reads. */
		assert_int_equal(kvm_msr_feature_get(idx, &got), 0);
		assert_int_equal(msr_read(v, idx, &want), 0);
		assert_int_equal(got, want);
	}
	assert_int_equal(kvm_msr_feature_get(MSR_IA32_EFER, &got), -EINVAL);
	assert_int_equal(kvm_msr_feature_get(0x10a, &got), -EINVAL);	/* ARCH_CAPABILITIES */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_answers),
		cmocka_unit_test(missing_is_zero),
		cmocka_unit_test(machine_dependent),
		cmocka_unit_test(index_list_matches_vcpu),
		cmocka_unit_test(feature_msrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
