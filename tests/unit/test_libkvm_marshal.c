/* unit-sources: abi/libkvm/marshal.c hv/format.c */
/*
 * libkvm's marshalling table: which bytes of each system and VM ioctl travel
 * on the KVM ring, Linux's limits on variable-length arguments, and the
 * bounds that keep every request and answer inside one ring slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "abi/include/linux/kvm.h"
#include "abi/include/tern/kvm_ring.h"
#include "abi/libkvm/marshal.h"

static struct kvm_sizes sizes_of(enum kvm_fd_kind kind, uint32_t cmd, uint32_t count, int *err)
{
	const struct kvm_marshal *m = kvm_marshal_find(kind, cmd);
	struct kvm_sizes s = { 0xdead, 0xbeef };

	assert_non_null(m);
	*err = kvm_marshal_sizes(m, cmd, count, &s);
	return s;
}

static void fds_are_told_apart(void **state)
{
	(void)state;
	assert_non_null(kvm_marshal_find(KVM_FD_SYSTEM, KVM_GET_SUPPORTED_CPUID));
	assert_null(kvm_marshal_find(KVM_FD_VM, KVM_GET_SUPPORTED_CPUID));
	assert_non_null(kvm_marshal_find(KVM_FD_VM, KVM_SET_USER_MEMORY_REGION));
	/* On /dev/kvm Linux does not know it: the unknown path, not EFAULT. */
	assert_null(kvm_marshal_find(KVM_FD_SYSTEM, KVM_SET_USER_MEMORY_REGION));
	/* Integer-argument ioctls need no entry. */
	assert_null(kvm_marshal_find(KVM_FD_SYSTEM, KVM_CREATE_VM));
	assert_null(kvm_marshal_find(KVM_FD_VM, KVM_CREATE_VCPU));
	assert_int_equal(kvm_marshal_find(KVM_FD_VM, KVM_GET_DIRTY_LOG)->kind, KVM_M_DIRTY_LOG);
	assert_int_equal(kvm_marshal_find(KVM_FD_VM, KVM_SET_IDENTITY_MAP_ADDR)->kind,
			 KVM_M_VALUE_ARG);
}

static void fixed_structs(void **state)
{
	struct kvm_sizes s;
	int err;

	(void)state;
	s = sizes_of(KVM_FD_VM, KVM_SET_USER_MEMORY_REGION, 0, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, sizeof(struct kvm_userspace_memory_region));
	assert_int_equal(s.out_cap, 0);
	s = sizes_of(KVM_FD_VM, KVM_GET_CLOCK, 0, &err);
	assert_int_equal(s.in_len, 0);
	assert_int_equal(s.out_cap, sizeof(struct kvm_clock_data));
	s = sizes_of(KVM_FD_VM, KVM_SET_IDENTITY_MAP_ADDR, 0, &err);
	assert_int_equal(s.in_len, 8);
	assert_int_equal(s.out_cap, 0);
	/* _IOR by number, but Linux reads it. */
	s = sizes_of(KVM_FD_VM, KVM_SET_IRQCHIP, 0, &err);
	assert_int_equal(s.in_len, sizeof(struct kvm_irqchip));
	assert_int_equal(s.out_cap, 0);
	/* _IO by number, but Linux reads a struct. */
	s = sizes_of(KVM_FD_VM, KVM_REINJECT_CONTROL, 0, &err);
	assert_int_equal(s.in_len, sizeof(struct kvm_reinject_control));
	s = sizes_of(KVM_FD_VM, KVM_CREATE_DEVICE, 0, &err);
	assert_int_equal(s.in_len, sizeof(struct kvm_create_device));
	assert_int_equal(s.out_cap, sizeof(struct kvm_create_device));
}

static void cpuid_entries_are_output_and_clamped(void **state)
{
	const uint32_t hdr = sizeof(struct kvm_cpuid2), ent = sizeof(struct kvm_cpuid_entry2);
	struct kvm_sizes s;
	int err;

	(void)state;
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_SUPPORTED_CPUID, 1, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, hdr);	/* only the header is read */
	assert_int_equal(s.out_cap, hdr + ent);
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_EMULATED_CPUID, 100000, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, hdr);
	assert_int_equal(s.out_cap, hdr + 256 * ent);	/* KVM_MAX_CPUID_ENTRIES */
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_SUPPORTED_CPUID, 0, &err);
	assert_int_equal(err, 0);	/* E2BIG is the service domain's answer */
	assert_int_equal(s.out_cap, hdr);
}

static void msr_lists(void **state)
{
	struct kvm_sizes s;
	int err;

	(void)state;
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_MSR_INDEX_LIST, 0, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, 4);
	assert_int_equal(s.out_cap, 4);	/* the count comes back with E2BIG */
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_MSR_FEATURE_INDEX_LIST, 30, &err);
	assert_int_equal(s.out_cap, 4 + 30 * 4);
	/* No Linux limit: an absurd count is bounded by the slot, not refused. */
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_MSR_INDEX_LIST, UINT32_MAX, &err);
	assert_int_equal(err, 0);
	assert_true(s.out_cap <= TERN_KVM_PAYLOAD_MAX);
	assert_int_equal((s.out_cap - 4) % 4, 0);
}

static void feature_msrs_limit(void **state)
{
	const uint32_t hdr = sizeof(struct kvm_msrs), ent = sizeof(struct kvm_msr_entry);
	struct kvm_sizes s;
	int err;

	(void)state;
	s = sizes_of(KVM_FD_SYSTEM, KVM_GET_MSRS, 255, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, hdr + 255 * ent);
	assert_int_equal(s.out_cap, hdr + 255 * ent);
	sizes_of(KVM_FD_SYSTEM, KVM_GET_MSRS, 256, &err);
	assert_int_equal(err, E2BIG);	/* nmsrs >= MAX_IO_MSRS */
	sizes_of(KVM_FD_SYSTEM, KVM_GET_MSRS, UINT32_MAX, &err);
	assert_int_equal(err, E2BIG);
}

static void gsi_routing_limits(void **state)
{
	const uint32_t hdr = sizeof(struct kvm_irq_routing);
	const uint32_t ent = sizeof(struct kvm_irq_routing_entry);
	const uint32_t fit = (TERN_KVM_PAYLOAD_MAX - hdr) / ent;
	struct kvm_sizes s;
	int err;

	(void)state;
	s = sizes_of(KVM_FD_VM, KVM_SET_GSI_ROUTING, fit, &err);
	assert_int_equal(err, 0);
	assert_int_equal(s.in_len, hdr + fit * ent);
	assert_int_equal(s.out_cap, 0);
	sizes_of(KVM_FD_VM, KVM_SET_GSI_ROUTING, fit + 1, &err);
	assert_int_equal(err, E2BIG);	/* tern's limit: one slot */
	sizes_of(KVM_FD_VM, KVM_SET_GSI_ROUTING, 4097, &err);
	assert_int_equal(err, EINVAL);	/* Linux's: KVM_MAX_IRQ_ROUTES */
}

static void unknown_ioctls(void **state)
{
	struct kvm_sizes s;

	(void)state;
	kvm_marshal_unknown(_IO(KVMIO, 0xef), &s);
	assert_int_equal(s.in_len, 0);
	assert_int_equal(s.out_cap, 0);
	kvm_marshal_unknown(_IOW(KVMIO, 0xef, struct kvm_regs), &s);
	assert_int_equal(s.in_len, sizeof(struct kvm_regs));
	assert_int_equal(s.out_cap, 0);
	kvm_marshal_unknown(_IOWR(KVMIO, 0xef, struct kvm_regs), &s);
	assert_int_equal(s.in_len, sizeof(struct kvm_regs));
	assert_int_equal(s.out_cap, sizeof(struct kvm_regs));
	/* The largest size the number can carry does not fit a slot. */
	kvm_marshal_unknown(_IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0xef, _IOC_SIZEMASK), &s);
	assert_int_equal(s.in_len, 0);
	assert_int_equal(s.out_cap, TERN_KVM_PAYLOAD_MAX);
}

/* Whatever count a caller announces, a request and its answer fit one slot. */
static void every_entry_fits_a_slot(void **state)
{
	static const uint32_t counts[] = { 0, 1, 63, 64, 255, 256, 4096, 65535, 1u << 31,
					   UINT32_MAX };
	static const uint32_t cmds[] = {
		KVM_GET_MSR_INDEX_LIST, KVM_GET_MSR_FEATURE_INDEX_LIST, KVM_GET_SUPPORTED_CPUID,
		KVM_GET_EMULATED_CPUID, KVM_GET_MSRS, KVM_X86_GET_MCE_CAP_SUPPORTED,
		KVM_SET_USER_MEMORY_REGION, KVM_SET_IDENTITY_MAP_ADDR, KVM_GET_CLOCK,
		KVM_SET_CLOCK, KVM_REGISTER_COALESCED_MMIO, KVM_GET_IRQCHIP, KVM_SET_PIT2,
		KVM_SET_GSI_ROUTING, KVM_IRQFD, KVM_IOEVENTFD, KVM_ENABLE_CAP, KVM_CREATE_DEVICE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const struct kvm_marshal *m = kvm_marshal_find(KVM_FD_SYSTEM, cmds[i]);

		if (!m)
			m = kvm_marshal_find(KVM_FD_VM, cmds[i]);
		assert_non_null(m);
		for (size_t j = 0; j < sizeof(counts) / sizeof(counts[0]); j++) {
			struct kvm_sizes s;

			if (kvm_marshal_sizes(m, cmds[i], counts[j], &s))
				continue;
			assert_true(s.in_len <= TERN_KVM_PAYLOAD_MAX);
			assert_true(s.out_cap <= TERN_KVM_PAYLOAD_MAX);
			assert_true(s.in_len || s.out_cap);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fds_are_told_apart),
		cmocka_unit_test(fixed_structs),
		cmocka_unit_test(cpuid_entries_are_output_and_clamped),
		cmocka_unit_test(msr_lists),
		cmocka_unit_test(feature_msrs_limit),
		cmocka_unit_test(gsi_routing_limits),
		cmocka_unit_test(unknown_ioctls),
		cmocka_unit_test(every_entry_fits_a_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
