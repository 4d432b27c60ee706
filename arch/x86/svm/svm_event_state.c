/*
 * The event state KVM_GET/SET_VCPU_EVENTS reads and replaces on SVM. The
 * VMCB has a single interrupt-shadow bit (no STI / MOV SS distinction, so
 * both are reported, as KVM does); NMI blocking is the backend's own
 * bookkeeping (see svm_events.c), unmasked at the guest's next IRET.
 */
#include "arch/x86/svm/svm.h"

void svm_get_interruptibility(struct vcpu *v, struct vcpu_interruptibility *st)
{
	struct svm_vcpu *sv = to_svm(v);
	bool shadow = sv->vmcb->control.int_state & SVM_INT_STATE_SHADOW;

	st->sti = shadow;
	st->mov_ss = shadow;
	st->nmi_masked = sv->nmi_masked;
}

void svm_set_interruptibility(struct vcpu *v, const struct vcpu_interruptibility *st)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_control *c = &sv->vmcb->control;

	if (st->sti || st->mov_ss)
		c->int_state |= SVM_INT_STATE_SHADOW;
	else
		c->int_state &= ~SVM_INT_STATE_SHADOW;
	sv->nmi_masked = st->nmi_masked;
	sv->awaiting_iret = false;
	/* A masked NMI state ends at the guest's IRET, which must be seen. */
	if (st->nmi_masked)
		c->intercept_misc1 |= SVM_INTERCEPT1_IRET;
	else
		c->intercept_misc1 &= ~SVM_INTERCEPT1_IRET;
}

void svm_cancel_event(struct vcpu *v)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_control *c = &sv->vmcb->control;
	uint64_t inj = c->event_inj;

	sv->reinject.valid = false;
	if (!(inj & SVM_EVENT_VALID))
		return;
	c->event_inj = 0;
	/* Injecting a soft event moved RIP past the INT: it was never delivered. */
	if (sv->soft_injected) {
		v->regs.rip -= sv->soft_len;
		sv->soft_injected = false;
	}
	/* An NMI that never went in leaves NMIs unblocked. */
	if (((inj & SVM_EVENT_TYPE_MASK) >> SVM_EVENT_TYPE_SHIFT) == SVM_EVENT_TYPE_NMI)
		sv->nmi_masked = false;
}
