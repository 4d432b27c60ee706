/* unit-sources: hv/kvm_vcpu_args.c hv/format.c */
/* vcpu ioctl payload checks and the KVM_GET/SET_MSRS loop. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/kvm_vcpu_args.h"
#include "hv/errno.h"

static void msrs_count_limit(void **state)
{
	(void)state;
	assert_int_equal(kvm_msrs_check(0), 0);
	assert_int_equal(kvm_msrs_check(KVM_MSRS_MAX - 1), 0);
	assert_int_equal(kvm_msrs_check(KVM_MSRS_MAX), -E2BIG);
	assert_int_equal(kvm_msrs_check(0xffffffffu), -E2BIG);
}

/* Known MSRs are the even indices; reading one returns index * 10. */
static int fake_get(void *ctx, struct kvm_msr_entry *e)
{
	unsigned int *calls = ctx;

	(*calls)++;
	if (e->index & 1)
		return -EINVAL;
	e->data = e->index * 10ULL;
	return 0;
}

static void msrs_stop_at_first_failure(void **state)
{
	struct kvm_msr_entry e[4] = {
		{ .index = 2, .data = 7 }, { .index = 4, .data = 7 },
		{ .index = 5, .data = 7 }, { .index = 6, .data = 7 },
	};
	unsigned int calls = 0;

	(void)state;
	assert_int_equal(kvm_msrs_apply(e, 4, fake_get, &calls), 2);
	assert_int_equal(calls, 3);		/* nothing after the failing one */
	assert_int_equal(e[0].data, 20);
	assert_int_equal(e[1].data, 40);
	assert_int_equal(e[2].data, 7);
	assert_int_equal(e[3].data, 7);
}

static void msrs_all_and_none(void **state)
{
	struct kvm_msr_entry ok[2] = { { .index = 8 }, { .index = 10 } };
	struct kvm_msr_entry bad[1] = { { .index = 1 } };
	unsigned int calls = 0;

	(void)state;
	assert_int_equal(kvm_msrs_apply(ok, 2, fake_get, &calls), 2);
	assert_int_equal(kvm_msrs_apply(bad, 1, fake_get, &calls), 0);
	assert_int_equal(kvm_msrs_apply(ok, 0, fake_get, &calls), 0);
	assert_int_equal(calls, 3);
}

static void events_flags(void **state)
{
	struct kvm_vcpu_events ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(kvm_vcpu_events_check(&ev), 0);
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SIPI_VECTOR |
		   KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM;
	assert_int_equal(kvm_vcpu_events_check(&ev), 0);
	ev.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
	ev.flags = KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
	ev.flags = 0x40;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
}

static void events_exception_vector(void **state)
{
	struct kvm_vcpu_events ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.exception.injected = 1;
	ev.exception.nr = 14;
	ev.exception.has_error_code = 1;
	assert_int_equal(kvm_vcpu_events_check(&ev), 0);
	ev.exception.nr = 2;			/* NMI is not an exception */
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
	ev.exception.nr = 32;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
	ev.exception.injected = 0;		/* ignored when not injected */
	assert_int_equal(kvm_vcpu_events_check(&ev), 0);
}

static void events_smm(void **state)
{
	struct kvm_vcpu_events ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.smi.smm = 1;
	assert_int_equal(kvm_vcpu_events_check(&ev), 0);	/* not flagged: ignored */
	ev.flags = KVM_VCPUEVENT_VALID_SMM;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
	ev.smi.smm = 0;
	ev.smi.pending = 1;
	assert_int_equal(kvm_vcpu_events_check(&ev), -EINVAL);
}

static void debugregs(void **state)
{
	struct kvm_debugregs d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.dr6 = 0xffff0ff0;
	d.dr7 = 0x400;
	assert_int_equal(kvm_debugregs_check(&d), 0);
	d.flags = 1;
	assert_int_equal(kvm_debugregs_check(&d), -EINVAL);
	d.flags = 0;
	d.dr6 = 1ULL << 32;
	assert_int_equal(kvm_debugregs_check(&d), -EINVAL);
	d.dr6 = 0;
	d.dr7 = 1ULL << 40;
	assert_int_equal(kvm_debugregs_check(&d), -EINVAL);
}

static void guest_debug_and_interrupt(void **state)
{
	struct kvm_guest_debug g;
	struct kvm_interrupt irq = { .irq = 255 };

	(void)state;
	memset(&g, 0, sizeof(g));
	g.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_SW_BP |
		    KVM_GUESTDBG_USE_HW_BP | KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_BLOCKIRQ;
	assert_int_equal(kvm_guest_debug_check(&g), 0);
	g.control |= 0x4;
	assert_int_equal(kvm_guest_debug_check(&g), -EINVAL);

	assert_int_equal(kvm_interrupt_check(&irq), 0);
	irq.irq = 8;				/* a real-mode PIC vector is fine */
	assert_int_equal(kvm_interrupt_check(&irq), 0);
	irq.irq = 256;
	assert_int_equal(kvm_interrupt_check(&irq), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msrs_count_limit),
		cmocka_unit_test(msrs_stop_at_first_failure),
		cmocka_unit_test(msrs_all_and_none),
		cmocka_unit_test(events_flags),
		cmocka_unit_test(events_exception_vector),
		cmocka_unit_test(events_smm),
		cmocka_unit_test(debugregs),
		cmocka_unit_test(guest_debug_and_interrupt),
	};
	return cmocka_run_group_tests_name("kvm_vcpu_args", tests, NULL, NULL);
}
