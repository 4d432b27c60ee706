/*
 * The event state KVM_GET/SET_VCPU_EVENTS reads and replaces on VMX: the
 * interruptibility field (STI / MOV SS shadow, NMI blocking) and cancelling
 * the event queued in the VM-entry interruption field or kept for
 * re-injection.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"

void vmx_get_interruptibility(struct vcpu *v, struct vcpu_interruptibility *st)
{
	uint32_t intr = 0;
	bool tmp;

	if (vmx_begin_access(v, &tmp)) {
		intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
		vmx_end_access(v, tmp);
	}
	st->sti = intr & INTERRUPTIBILITY_STI;
	st->mov_ss = intr & INTERRUPTIBILITY_MOV_SS;
	st->nmi_masked = intr & INTERRUPTIBILITY_NMI;
}

void vmx_set_interruptibility(struct vcpu *v, const struct vcpu_interruptibility *st)
{
	uint32_t intr;
	bool tmp;

	if (!vmx_begin_access(v, &tmp))
		return;
	intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
	       ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI);
	/* VM entry rejects both shadows at once; MOV SS is the stronger one. */
	if (st->mov_ss)
		intr |= INTERRUPTIBILITY_MOV_SS;
	else if (st->sti)
		intr |= INTERRUPTIBILITY_STI;
	if (st->nmi_masked)
		intr |= INTERRUPTIBILITY_NMI;
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, intr);
	vmx_end_access(v, tmp);
}

void vmx_cancel_event(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp;

	x->reinject_info = 0;
	if (!x->event_queued)
		return;
	x->event_queued = false;
	if (!vmx_begin_access(v, &tmp))
		return;
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	vmx_end_access(v, tmp);
}
