/*
 * Event injection and windows on SVM.
 *
 * - Injection goes through EVENTINJ. SVM injects INTn/INT3/INTO with the VMCB
 *   RIP as the return address, so for soft events RIP is moved past the
 *   instruction first (no NRIP-based injection: QEMU lacks NRIPS).
 * - An event cut short by an exit (EXITINTINFO) is re-injected at the next
 *   entry. A soft event the guest raised itself is not: RIP still points at
 *   the INT instruction, which simply executes again.
 * - Interrupt window: a dummy virtual interrupt (V_IRQ, ignoring V_TPR) with
 *   the VINTR intercept exits as soon as the guest could take it.
 * - NMI window: SVM keeps no visible NMI-blocking state, so the backend
 *   tracks it: blocked from our NMI injection until the guest's IRET has
 *   retired. The IRET intercept fires before the IRET executes; the window
 *   opens at the first later exit whose RIP has moved on. To make that exit
 *   come soon, a VINTR probe is armed (fires once the IRET restored IF=1);
 *   otherwise the next host timer exit reports it.
 */
#include "arch/x86/svm/svm.h"
#include "hv/errno.h"

static uint64_t event_to_svm(const struct vcpu_event *e, unsigned int *svm_type)
{
	unsigned int type;
	uint64_t inj;

	switch (e->type) {
	case EVENT_EXTINT:		type = SVM_EVENT_TYPE_INTR; break;
	case EVENT_NMI:			type = SVM_EVENT_TYPE_NMI; break;
	case EVENT_SOFT_INT:		type = SVM_EVENT_TYPE_SOFT_INT; break;
	/* INT3/INTO: an exception whose return address follows the insn. */
	case EVENT_SOFT_EXCEPTION:
	case EVENT_EXCEPTION:		type = SVM_EVENT_TYPE_EXCEPTION; break;
	default:
		return 0;
	}
	inj = SVM_EVENT_VALID | e->vector | ((uint64_t)type << SVM_EVENT_TYPE_SHIFT);
	if (e->has_error_code && type == SVM_EVENT_TYPE_EXCEPTION)
		inj |= SVM_EVENT_ERROR_VALID | ((uint64_t)e->error_code << SVM_EVENT_ERROR_SHIFT);
	*svm_type = type;
	return inj;
}

static void event_from_svm(uint64_t info, struct vcpu_event *e)
{
	unsigned int type = (info & SVM_EVENT_TYPE_MASK) >> SVM_EVENT_TYPE_SHIFT;
	uint8_t vector = info & SVM_EVENT_VECTOR_MASK;

	e->valid = true;
	e->vector = vector;
	e->has_error_code = info & SVM_EVENT_ERROR_VALID;
	e->error_code = e->has_error_code ? info >> SVM_EVENT_ERROR_SHIFT : 0;
	e->insn_len = 0;
	switch (type) {
	case SVM_EVENT_TYPE_INTR:	e->type = EVENT_EXTINT; break;
	case SVM_EVENT_TYPE_NMI:	e->type = EVENT_NMI; break;
	case SVM_EVENT_TYPE_SOFT_INT:	e->type = EVENT_SOFT_INT; break;
	default:
		e->type = (vector == X86_BP || vector == X86_OF) ?
			EVENT_SOFT_EXCEPTION : EVENT_EXCEPTION;
		break;
	}
}

static void arm_vintr(struct vmcb_control *c)
{
	c->int_ctl |= SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_IGN_TPR |
		      (0xfull << SVM_INT_CTL_V_INTR_PRIO_SHIFT);
	c->intercept_misc1 |= SVM_INTERCEPT1_VINTR;
}

static void disarm_vintr(struct vmcb_control *c)
{
	c->int_ctl &= ~(SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_IGN_TPR |
			(0xfull << SVM_INT_CTL_V_INTR_PRIO_SHIFT));
	c->intercept_misc1 &= ~SVM_INTERCEPT1_VINTR;
}

int svm_inject_event(struct vcpu *v, const struct vcpu_event *e)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_control *c = &sv->vmcb->control;
	unsigned int type = 0;
	uint64_t inj;

	if ((c->event_inj & SVM_EVENT_VALID) || sv->reinject.valid)
		return -EBUSY;
	inj = event_to_svm(e, &type);
	if (!inj)
		return -EINVAL;
	if (e->type == EVENT_SOFT_INT || e->type == EVENT_SOFT_EXCEPTION) {
		v->regs.rip += e->insn_len;
		sv->soft_injected = true;
		sv->soft_len = e->insn_len;
	}
	if (type == SVM_EVENT_TYPE_NMI) {
		sv->nmi_masked = true;
		sv->awaiting_iret = false;
		c->intercept_misc1 |= SVM_INTERCEPT1_IRET;
	}
	c->event_inj = inj;
	return 0;
}

bool svm_interrupt_allowed(struct vcpu *v)
{
	struct svm_vcpu *sv = to_svm(v);
	const struct vmcb_control *c = &sv->vmcb->control;

	return (v->regs.rflags & X86_EFLAGS_IF) && !(c->int_state & SVM_INT_STATE_SHADOW) &&
	       !(c->event_inj & SVM_EVENT_VALID) && !sv->reinject.valid;
}

bool svm_nmi_allowed(struct vcpu *v)
{
	struct svm_vcpu *sv = to_svm(v);
	const struct vmcb_control *c = &sv->vmcb->control;

	return !sv->nmi_masked && !(c->int_state & SVM_INT_STATE_SHADOW) &&
	       !(c->event_inj & SVM_EVENT_VALID) && !sv->reinject.valid;
}

void svm_request_window(struct vcpu *v, bool irq, bool nmi)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_control *c = &sv->vmcb->control;

	sv->want_irq_window = irq;
	sv->want_nmi_window = nmi;
	if (nmi && sv->nmi_masked && !sv->awaiting_iret)
		c->intercept_misc1 |= SVM_INTERCEPT1_IRET;
	if (irq || (nmi && !sv->nmi_masked) || (nmi && sv->awaiting_iret))
		arm_vintr(c);
	else
		disarm_vintr(c);
}

void svm_pending_event(struct vcpu *v, struct vcpu_event *e)
{
	struct svm_vcpu *sv = to_svm(v);
	uint64_t inj = sv->vmcb->control.event_inj;

	if (sv->reinject.valid)
		*e = sv->reinject;
	else if (inj & SVM_EVENT_VALID)
		event_from_svm(inj, e);
	else
		e->valid = false;
}

void svm_events_before_entry(struct vcpu *v, struct svm_vcpu *sv)
{
	struct vmcb_control *c = &sv->vmcb->control;
	unsigned int type;

	(void)v;
	if (!sv->reinject.valid)
		return;
	/* RIP of a re-injected soft event is already past the instruction. */
	c->event_inj = event_to_svm(&sv->reinject, &type);
	sv->reinject.valid = false;
}

void svm_events_after_exit(struct vcpu *v, struct svm_vcpu *sv)
{
	struct vmcb_control *c = &sv->vmcb->control;
	uint64_t info = c->exit_int_info;
	bool soft_injected = sv->soft_injected;

	/* EVENTINJ was consumed by the entry: delivered or now in EXITINTINFO. */
	c->event_inj = 0;
	sv->soft_injected = false;
	if (unlikely(sv->awaiting_iret) && v->regs.rip != sv->iret_rip) {
		sv->awaiting_iret = false;
		sv->nmi_masked = false;
	}
	if (likely(!(info & SVM_EVENT_VALID)))
		return;
	event_from_svm(info, &sv->reinject);
	if ((sv->reinject.type == EVENT_SOFT_INT || sv->reinject.type == EVENT_SOFT_EXCEPTION) &&
	    !soft_injected)
		sv->reinject.valid = false;	/* the guest re-executes the INT */
	if (sv->reinject.type == EVENT_NMI)
		sv->nmi_masked = true;
}

/*
 * VINTR and IRET exits. Returns true when @exit (already EXIT_INTR_WINDOW
 * or EXIT_NMI_WINDOW) should be reported, false to resume the guest.
 */
bool svm_window_exit(struct vcpu *v, struct svm_vcpu *sv, struct vcpu_exit *exit)
{
	struct vmcb_control *c = &sv->vmcb->control;

	if (exit->reason == EXIT_NMI_WINDOW) {
		/* IRET intercepted: it has not executed yet. */
		c->intercept_misc1 &= ~SVM_INTERCEPT1_IRET;
		sv->awaiting_iret = true;
		sv->iret_rip = v->regs.rip;
		if (sv->want_nmi_window)
			arm_vintr(c);
		return false;
	}
	/* VINTR: the guest can take an interrupt now. */
	if (sv->want_nmi_window && !sv->nmi_masked) {
		sv->want_nmi_window = false;
		if (!sv->want_irq_window)
			disarm_vintr(c);
		exit->reason = EXIT_NMI_WINDOW;
		return true;
	}
	if (sv->want_irq_window) {
		sv->want_irq_window = false;
		disarm_vintr(c);
		return true;
	}
	/* An NMI probe that fired before the IRET retired (the guest set IF in
	 * its handler), or a stale request: the next host-timer exit reports
	 * the NMI window instead. */
	disarm_vintr(c);
	return false;
}
