/* vcpu ioctl payload checks (see hv/kvm_vcpu_args.h). */
#include "hv/kvm_vcpu_args.h"
#include "hv/errno.h"

#define EVENTS_FLAGS_KNOWN	(KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
				 KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM | \
				 KVM_VCPUEVENT_VALID_PAYLOAD | KVM_VCPUEVENT_VALID_TRIPLE_FAULT)
/* KVM_CAP_EXCEPTION_PAYLOAD and KVM_CAP_X86_TRIPLE_FAULT_EVENT are not offered. */
#define EVENTS_FLAGS_UNOFFERED	(KVM_VCPUEVENT_VALID_PAYLOAD | KVM_VCPUEVENT_VALID_TRIPLE_FAULT)

#define GUESTDBG_VALID		(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
				 KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP | \
				 KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP | \
				 KVM_GUESTDBG_BLOCKIRQ)

#define VECTOR_NMI		2

int kvm_msrs_check(uint32_t nmsrs)
{
	return nmsrs >= KVM_MSRS_MAX ? -E2BIG : 0;
}

uint32_t kvm_msrs_apply(struct kvm_msr_entry *e, uint32_t n, kvm_msr_fn fn, void *ctx)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (fn(ctx, &e[i]))
			break;
	return i;
}

int kvm_vcpu_events_check(const struct kvm_vcpu_events *ev)
{
	if (ev->flags & ~EVENTS_FLAGS_KNOWN || ev->flags & EVENTS_FLAGS_UNOFFERED)
		return -EINVAL;
	if (ev->exception.injected && (ev->exception.nr > 31 || ev->exception.nr == VECTOR_NMI))
		return -EINVAL;
	if ((ev->flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (ev->smi.smm || ev->smi.pending || ev->smi.smm_inside_nmi))
		return -EINVAL;
	return 0;
}

int kvm_debugregs_check(const struct kvm_debugregs *d)
{
	if (d->flags || (d->dr6 >> 32) || (d->dr7 >> 32))
		return -EINVAL;
	return 0;
}

int kvm_guest_debug_check(const struct kvm_guest_debug *g)
{
	return g->control & ~GUESTDBG_VALID ? -EINVAL : 0;
}

int kvm_interrupt_check(const struct kvm_interrupt *irq)
{
	return irq->irq >= KVM_NR_INTERRUPTS ? -EINVAL : 0;
}
