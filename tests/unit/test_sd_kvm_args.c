/* unit-sources: sd/kvm_args.c hv/format.c */
/* How the service domain passes forwarded ioctls' arguments and answers. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kvm.h>

#include "abi/include/tern/kvm_ring.h"
#include "sd/kvm_args.h"

static uint8_t buf[TERN_KVM_PAYLOAD_MAX];

static void set_count(uint32_t n)
{
	memcpy(buf, &n, sizeof(n));
}

static void by_value_or_pointer(void **state)
{
	(void)state;
	assert_false(sd_kvm_arg_is_pointer(KVM_CHECK_EXTENSION));
	assert_false(sd_kvm_arg_is_pointer(KVM_SET_TSS_ADDR));
	assert_true(sd_kvm_arg_is_pointer(KVM_SET_IDENTITY_MAP_ADDR));
	assert_true(sd_kvm_arg_is_pointer(KVM_GET_CLOCK));
	assert_true(sd_kvm_arg_is_pointer(KVM_GET_SUPPORTED_CPUID));
	/* _IO, but Linux reads a struct through it. */
	assert_true(sd_kvm_arg_is_pointer(KVM_REINJECT_CONTROL));
}

static void fixed_output(void **state)
{
	(void)state;
	assert_int_equal(sd_kvm_out_len(KVM_GET_CLOCK, 0, buf), sizeof(struct kvm_clock_data));
	assert_int_equal(sd_kvm_out_len(KVM_GET_CLOCK, -EFAULT, buf), 0);
	/* Write-only and by-value ioctls send nothing back. */
	assert_int_equal(sd_kvm_out_len(KVM_SET_CLOCK, 0, buf), 0);
	assert_int_equal(sd_kvm_out_len(KVM_REGISTER_COALESCED_MMIO, 0, buf), 0);
	assert_int_equal(sd_kvm_out_len(KVM_CHECK_EXTENSION, 1, buf), 0);
}

static void variable_output(void **state)
{
	(void)state;
	set_count(3);
	assert_int_equal(sd_kvm_out_len(KVM_GET_MSR_INDEX_LIST, 0, buf), 4 + 3 * 4);
	assert_int_equal(sd_kvm_out_len(KVM_GET_MSR_FEATURE_INDEX_LIST, 0, buf), 4 + 3 * 4);
	assert_int_equal(sd_kvm_out_len(KVM_GET_SUPPORTED_CPUID, 0, buf), 8 + 3 * 40);
	assert_int_equal(sd_kvm_out_len(KVM_GET_EMULATED_CPUID, 0, buf), 8 + 3 * 40);
	assert_int_equal(sd_kvm_out_len(KVM_GET_MSRS, 3, buf), 8 + 3 * 16);
	/* E2BIG: the header with the count the caller needs. */
	set_count(400);
	assert_int_equal(sd_kvm_out_len(KVM_GET_MSR_INDEX_LIST, -E2BIG, buf), 4);
	assert_int_equal(sd_kvm_out_len(KVM_GET_SUPPORTED_CPUID, -E2BIG, buf), 8);
	assert_int_equal(sd_kvm_out_len(KVM_GET_SUPPORTED_CPUID, -EFAULT, buf), 0);
	/* A count past the payload is cut at the payload. */
	set_count(0xffffffffu);
	assert_int_equal(sd_kvm_out_len(KVM_GET_SUPPORTED_CPUID, 0, buf), TERN_KVM_PAYLOAD_MAX);
	assert_int_equal(sd_kvm_out_len(KVM_GET_MSR_INDEX_LIST, 0, buf), TERN_KVM_PAYLOAD_MAX);
}

static void forwardable(void **state)
{
	(void)state;
	assert_int_equal(sd_kvm_vm_forwardable(KVM_GET_CLOCK), 0);
	assert_int_equal(sd_kvm_vm_forwardable(KVM_CHECK_EXTENSION), 0);
	assert_int_equal(sd_kvm_vm_forwardable(_IO(KVMIO, 0xef)), 0);
	assert_int_equal(sd_kvm_vm_forwardable(KVM_CLEAR_DIRTY_LOG), -ENOTTY);
	assert_int_equal(sd_kvm_vm_forwardable(KVM_IRQFD), -ENOTTY);
	assert_int_equal(sd_kvm_vm_forwardable(KVM_IOEVENTFD), -ENOTTY);
	assert_int_equal(sd_kvm_vm_forwardable(KVM_CREATE_DEVICE), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_value_or_pointer),
		cmocka_unit_test(fixed_output),
		cmocka_unit_test(variable_output),
		cmocka_unit_test(forwardable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
