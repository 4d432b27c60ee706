/* unit-sources: arch/x86/vmx/vmx_segment.c arch/x86/vmx/vmx_controls.c hv/format.c */
/* VMX pure logic: segment access rights <-> kvm_segment, control adjustment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"

static void ar_code64(void **state)
{
	struct vcpu_segment s = { .type = 11, .s = 1, .dpl = 0, .present = 1, .l = 1, .g = 1 };
	struct vcpu_segment back;

	(void)state;
	assert_int_equal(vmx_segment_to_ar(&s), 0xa09b);
	memset(&back, 0xff, sizeof(back));
	vmx_ar_to_segment(0xa09b, &back);
	assert_int_equal(back.type, 11);
	assert_int_equal(back.s, 1);
	assert_int_equal(back.present, 1);
	assert_int_equal(back.l, 1);
	assert_int_equal(back.db, 0);
	assert_int_equal(back.g, 1);
	assert_int_equal(back.unusable, 0);
	assert_int_equal(back.padding, 0);
}

static void ar_data_dpl3(void **state)
{
	struct vcpu_segment s = { .type = 3, .s = 1, .dpl = 3, .present = 1, .db = 1, .g = 1,
				  .avl = 1 };
	struct vcpu_segment back = { 0 };

	(void)state;
	assert_int_equal(vmx_segment_to_ar(&s), 0xd0f3);
	vmx_ar_to_segment(0xd0f3, &back);
	assert_int_equal(back.dpl, 3);
	assert_int_equal(back.avl, 1);
	assert_int_equal(back.db, 1);
}

static void ar_unusable(void **state)
{
	struct vcpu_segment s = { .type = 3, .s = 1, .present = 1, .unusable = 1 };
	struct vcpu_segment notpresent = { .type = 3, .s = 1, .present = 0 };
	struct vcpu_segment back = { 0 };

	(void)state;
	assert_true(vmx_segment_to_ar(&s) & VMX_AR_UNUSABLE);
	/* Not present is treated as unusable: VM entry rejects usable non-present ones. */
	assert_true(vmx_segment_to_ar(&notpresent) & VMX_AR_UNUSABLE);
	/* The CPU may leave P set in an unusable segment: report it not present. */
	vmx_ar_to_segment(VMX_AR_UNUSABLE | 0x93, &back);
	assert_int_equal(back.unusable, 1);
	assert_int_equal(back.present, 0);
	assert_int_equal(back.type, 3);
}

static void controls_adjust(void **state)
{
	struct vmx_ctl_msr m = vmx_ctl_msr(0x0000fffe00000016ULL);
	uint32_t out = 1;

	(void)state;
	/* must-be-one bits are added, optional bits the CPU lacks are dropped */
	assert_true(vmx_adjust_controls(m, 0x8, 0x1, &out));
	assert_int_equal(out, 0x1e);
	/* a required bit outside allowed-1 fails */
	assert_false(vmx_adjust_controls(m, 0x10000, 0, &out));
	assert_int_equal(out, 0);
	assert_int_equal(m.must_be_one, 0x16);
	assert_int_equal(m.may_be_one, 0xfffe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ar_code64),
		cmocka_unit_test(ar_data_dpl3),
		cmocka_unit_test(ar_unusable),
		cmocka_unit_test(controls_adjust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
