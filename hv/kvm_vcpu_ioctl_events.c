/*
 * Event ioctls: KVM_INTERRUPT, KVM_NMI, KVM_GET/SET_MP_STATE and
 * KVM_GET/SET_VCPU_EVENTS.
 *
 * Where KVM's state lives here: the backend holds at most one event for the
 * next entry (queued, or cut short by an exit and re-injected:
 * virt->pending_event); external interrupts not yet injected wait in
 * vcpu->irq_pending and NMIs in vcpu->nmi_pending (vcpu_run.c injects them
 * when the guest can take them). KVM's "injected" interrupt is either of the
 * first two. tern has no in-kernel irqchip (no KVM_CREATE_IRQCHIP), so
 * KVM_INTERRUPT is always available (never -ENXIO) and the only MP state is
 * RUNNABLE, as in KVM without an in-kernel LAPIC.
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_vcpu_args.h"
#include "hv/vcpu.h"
#include "hv/uaccess.h"
#include "hv/string.h"
#include "hv/errno.h"
#include "arch/x86/virt.h"

#define INT_N_LEN	2	/* CD ib: the length KVM's reported soft interrupts have */

static int highest_queued_irq(const struct vcpu *v)
{
	for (int i = 3; i >= 0; i--)
		if (v->irq_pending[i])
			return i * 64 + 63 - __builtin_clzll(v->irq_pending[i]);
	return -1;
}

int kvm_vcpu_pending_irq(struct vcpu *v)
{
	struct vcpu_event e;

	virt->pending_event(v, &e);
	if (e.valid && e.type == EVENT_EXTINT)
		return e.vector;
	return highest_queued_irq(v);
}

void kvm_vcpu_replace_pending_irq(struct vcpu *v, int vector)
{
	struct vcpu_event e;

	virt->pending_event(v, &e);
	memset(v->irq_pending, 0, sizeof(v->irq_pending));
	if (e.valid && e.type == EVENT_EXTINT) {
		if (e.vector == vector)
			return;		/* already on its way in */
		virt->cancel_event(v);
	}
	/* Any vector: a VMM's own PIC may deliver below 32 (real mode: 8-15). */
	if (vector >= 0)
		v->irq_pending[vector / 64] |= 1ULL << (vector % 64);
}

int64_t kvm_vcpu_interrupt(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_interrupt irq;
	int err = copy_from_user(&irq, uarg, sizeof(irq));

	if (err)
		return err;
	err = kvm_interrupt_check(&irq);
	if (err)
		return err;
	/* One at a time: the VMM waits for ready_for_interrupt_injection. */
	if (kvm_vcpu_pending_irq(v) >= 0)
		return -EEXIST;
	kvm_vcpu_replace_pending_irq(v, (int)irq.irq);
	return 0;
}

int64_t kvm_vcpu_nmi(struct vcpu *v, uintptr_t uarg)
{
	(void)uarg;
	vcpu_queue_nmi(v);
	return 0;
}

int64_t kvm_vcpu_get_mp_state(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_mp_state mp = { .mp_state = v->kvm.mp_state };

	return copy_to_user(uarg, &mp, sizeof(mp));
}

int64_t kvm_vcpu_set_mp_state(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_mp_state mp;
	int err = copy_from_user(&mp, uarg, sizeof(mp));

	if (err)
		return err;
	/* HALTED, INIT_RECEIVED... need an in-kernel LAPIC (KVM: -EINVAL). */
	if (mp.mp_state != KVM_MP_STATE_RUNNABLE)
		return -EINVAL;
	v->kvm.mp_state = mp.mp_state;
	return 0;
}

void kvm_vcpu_events_read(struct vcpu *v, struct kvm_vcpu_events *out)
{
	struct kvm_vcpu_events ev;
	struct vcpu_interruptibility st;
	struct vcpu_event e;
	int irq;

	memset(&ev, 0, sizeof(ev));
	virt->pending_event(v, &e);
	if (e.valid) {
		switch (e.type) {
		case EVENT_EXCEPTION:
			ev.exception.injected = 1;
			ev.exception.nr = e.vector;
			ev.exception.has_error_code = e.has_error_code;
			ev.exception.error_code = e.error_code;
			break;
		case EVENT_SOFT_INT:
			ev.interrupt.soft = 1;
			/* fall through */
		case EVENT_EXTINT:
			ev.interrupt.injected = 1;
			ev.interrupt.nr = e.vector;
			break;
		case EVENT_NMI:
			ev.nmi.injected = 1;
			break;
		}
		/* INT3/INTO are not reported: RIP is still on the instruction,
		 * which raises them again (as KVM). */
	}
	irq = highest_queued_irq(v);
	if (!ev.interrupt.injected && irq >= 0) {
		ev.interrupt.injected = 1;
		ev.interrupt.nr = irq;
	}
	ev.nmi.pending = v->nmi_pending;
	virt->get_interruptibility(v, &st);
	ev.interrupt.shadow = (st.sti ? KVM_X86_SHADOW_INT_STI : 0) |
			      (st.mov_ss ? KVM_X86_SHADOW_INT_MOV_SS : 0);
	ev.nmi.masked = st.nmi_masked;
	ev.sipi_vector = v->kvm.sipi_vector;
	/* SMM is reported (never in it), as KVM always does. */
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
		   KVM_VCPUEVENT_VALID_SMM;
	*out = ev;
}

int64_t kvm_vcpu_get_events(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_vcpu_events ev;

	kvm_vcpu_events_read(v, &ev);
	return copy_to_user(uarg, &ev, sizeof(ev));
}

static bool same_event(const struct vcpu_event *a, const struct vcpu_event *b)
{
	return a->valid == b->valid && (!a->valid ||
		(a->type == b->type && a->vector == b->vector &&
		 a->has_error_code == b->has_error_code &&
		 (!a->has_error_code || a->error_code == b->error_code)));
}

/* The event for the backend's single slot, by delivery priority. External
 * interrupts are not put there: they wait in irq_pending. */
static struct vcpu_event slot_event(const struct kvm_vcpu_events *ev)
{
	struct vcpu_event e = { 0 };

	if (ev->exception.injected) {
		e = (struct vcpu_event){ .valid = true, .type = EVENT_EXCEPTION,
			.vector = ev->exception.nr, .has_error_code = ev->exception.has_error_code,
			.error_code = ev->exception.error_code };
	} else if (ev->nmi.injected) {
		e = (struct vcpu_event){ .valid = true, .type = EVENT_NMI, .vector = X86_NMI };
	} else if (ev->interrupt.injected && ev->interrupt.soft) {
		e = (struct vcpu_event){ .valid = true, .type = EVENT_SOFT_INT,
			.vector = ev->interrupt.nr, .insn_len = INT_N_LEN };
	}
	return e;
}

int kvm_vcpu_events_write(struct vcpu *v, const struct kvm_vcpu_events *in)
{
	struct kvm_vcpu_events ev = *in;
	struct vcpu_interruptibility st;
	struct vcpu_event want, cur;
	bool extint_kept = false, nmi_in_slot;
	int err;

	err = kvm_vcpu_events_check(&ev);
	if (err)
		return err;

	want = slot_event(&ev);
	virt->pending_event(v, &cur);
	/* Leave an identical event alone: the backend's copy knows more
	 * (instruction length, whether RIP already moved). */
	if (cur.valid && !want.valid && cur.type == EVENT_EXTINT && ev.interrupt.injected &&
	    !ev.interrupt.soft && cur.vector == ev.interrupt.nr) {
		extint_kept = true;
	} else if (!same_event(&cur, &want)) {
		virt->cancel_event(v);
		if (want.valid) {
			err = virt->inject_event(v, &want);
			if (err)
				return err;
		}
	}

	memset(v->irq_pending, 0, sizeof(v->irq_pending));
	if (ev.interrupt.injected && !ev.interrupt.soft && !extint_kept)
		v->irq_pending[ev.interrupt.nr / 64] |= 1ULL << (ev.interrupt.nr % 64);
	/* An injected NMI that lost the slot to an exception follows it. */
	nmi_in_slot = want.valid && want.type == EVENT_NMI;
	if (ev.flags & KVM_VCPUEVENT_VALID_NMI_PENDING)
		v->nmi_pending = ev.nmi.pending;
	if (ev.nmi.injected && !nmi_in_slot)
		v->nmi_pending = true;

	virt->get_interruptibility(v, &st);
	if (ev.flags & KVM_VCPUEVENT_VALID_SHADOW) {
		st.sti = ev.interrupt.shadow & KVM_X86_SHADOW_INT_STI;
		st.mov_ss = ev.interrupt.shadow & KVM_X86_SHADOW_INT_MOV_SS;
	}
	st.nmi_masked = ev.nmi.masked;	/* KVM applies it without a flag */
	virt->set_interruptibility(v, &st);
	if (ev.flags & KVM_VCPUEVENT_VALID_SIPI_VECTOR)
		v->kvm.sipi_vector = ev.sipi_vector;
	return 0;
}

int64_t kvm_vcpu_set_events(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_vcpu_events ev;
	int err = copy_from_user(&ev, uarg, sizeof(ev));

	return err ? err : kvm_vcpu_events_write(v, &ev);
}
