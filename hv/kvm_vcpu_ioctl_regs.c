/*
 * KVM_GET/SET_REGS, KVM_GET/SET_SREGS and KVM_GET/SET_DEBUGREGS. The core
 * keeps this state in KVM's own layouts (hv/vcpu_state.h), so these are
 * copies plus the parts KVM adds: the APIC base MSR and the pending
 * external interrupt in kvm_sregs, RFLAGS bit 1 and a single-step TF that
 * belongs to KVM_SET_GUEST_DEBUG, not to the guest.
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_vcpu_args.h"
#include "hv/vcpu.h"
#include "hv/uaccess.h"
#include "hv/string.h"
#include "hv/errno.h"
#include "emul/msr.h"
#include "arch/x86/virt.h"

#define OFFSET_SAME(a, b, f)	(__builtin_offsetof(a, f) == __builtin_offsetof(b, f))

_Static_assert(sizeof(struct vcpu_regs) == sizeof(struct kvm_regs), "regs layouts");
_Static_assert(OFFSET_SAME(struct vcpu_regs, struct kvm_regs, rip) &&
	       OFFSET_SAME(struct vcpu_regs, struct kvm_regs, r8) &&
	       OFFSET_SAME(struct vcpu_regs, struct kvm_regs, rflags), "regs layouts");
_Static_assert(sizeof(struct vcpu_segment) == sizeof(struct kvm_segment) &&
	       OFFSET_SAME(struct vcpu_segment, struct kvm_segment, selector) &&
	       OFFSET_SAME(struct vcpu_segment, struct kvm_segment, unusable), "segment layouts");
_Static_assert(OFFSET_SAME(struct vcpu_sregs, struct kvm_sregs, ldt) &&
	       OFFSET_SAME(struct vcpu_sregs, struct kvm_sregs, idt) &&
	       OFFSET_SAME(struct vcpu_sregs, struct kvm_sregs, cr8) &&
	       OFFSET_SAME(struct vcpu_sregs, struct kvm_sregs, apic_base) &&
	       __builtin_offsetof(struct kvm_sregs, interrupt_bitmap) ==
	       sizeof(struct vcpu_sregs), "kvm_sregs is vcpu_sregs + the interrupt bitmap");

void kvm_vcpu_regs_read(struct vcpu *v, struct kvm_regs *r)
{
	memcpy(r, &v->regs, sizeof(*r));
	if (v->kvm.debug_tf)
		r->rflags &= ~X86_EFLAGS_TF;
}

void kvm_vcpu_regs_write(struct vcpu *v, const struct kvm_regs *in)
{
	struct kvm_regs r = *in;

	/* Bit 1 reads as one on hardware, and VM entry insists on it. */
	r.rflags |= X86_EFLAGS_FIXED;
	if (v->kvm.debug_tf)
		r.rflags |= X86_EFLAGS_TF;
	memcpy(&v->regs, &r, sizeof(r));
}

int64_t kvm_vcpu_get_regs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_regs r;

	kvm_vcpu_regs_read(v, &r);
	return copy_to_user(uarg, &r, sizeof(r));
}

int64_t kvm_vcpu_set_regs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_regs r;
	int err = copy_from_user(&r, uarg, sizeof(r));

	if (err)
		return err;
	kvm_vcpu_regs_write(v, &r);
	return 0;
}

void kvm_vcpu_sregs_read(struct vcpu *v, struct kvm_sregs *s)
{
	struct vcpu_sregs vs;
	int irq;

	memset(s, 0, sizeof(*s));
	virt->get_sregs(v, &vs);
	vs.apic_base = v->msrs.apic_base;	/* the MSR emulation holds it */
	memcpy(s, &vs, sizeof(vs));
	irq = kvm_vcpu_pending_irq(v);
	if (irq >= 0)
		s->interrupt_bitmap[irq / 64] |= 1ULL << (irq % 64);
}

int64_t kvm_vcpu_get_sregs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_sregs s;

	kvm_vcpu_sregs_read(v, &s);
	return copy_to_user(uarg, &s, sizeof(s));
}

/* The lowest vector set in @bitmap, -1 if none (KVM queues that one). */
static int first_vector(const __u64 *bitmap)
{
	for (int i = 0; i < KVM_NR_INTERRUPTS / 64; i++)
		if (bitmap[i])
			return i * 64 + __builtin_ctzll(bitmap[i]);
	return -1;
}

int kvm_vcpu_sregs_write(struct vcpu *v, const struct kvm_sregs *s)
{
	struct vcpu_sregs vs;
	uint64_t old_apic_base = v->msrs.apic_base;
	int err, irq;

	memcpy(&vs, s, sizeof(vs));
	/* The APIC base first, as KVM, so a bad one changes nothing. */
	if (msr_write(v, MSR_IA32_APIC_BASE, s->apic_base))
		return -EINVAL;
	/* Unlike the guest's WRMSR, the VMM may move the BSP flag. */
	v->msrs.apic_base = s->apic_base;
	err = virt->set_sregs(v, &vs);
	if (err) {
		v->msrs.apic_base = old_apic_base;
		return err;
	}
	irq = first_vector(s->interrupt_bitmap);
	if (irq >= 0)
		kvm_vcpu_replace_pending_irq(v, irq);
	return 0;
}

int64_t kvm_vcpu_set_sregs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_sregs s;
	int err = copy_from_user(&s, uarg, sizeof(s));

	if (err)
		return err;
	return kvm_vcpu_sregs_write(v, &s);
}

int64_t kvm_vcpu_get_debugregs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_debugregs d;
	struct vcpu_debugregs vd;

	memset(&d, 0, sizeof(d));
	virt->get_debugregs(v, &vd);
	memcpy(d.db, vd.db, sizeof(d.db));
	d.dr6 = vd.dr6;
	d.dr7 = vd.dr7;
	return copy_to_user(uarg, &d, sizeof(d));
}

int64_t kvm_vcpu_set_debugregs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_debugregs d;
	struct vcpu_debugregs vd;
	int err = copy_from_user(&d, uarg, sizeof(d));

	if (err)
		return err;
	err = kvm_debugregs_check(&d);
	if (err)
		return err;
	memcpy(vd.db, d.db, sizeof(vd.db));
	vd.dr6 = d.dr6;
	vd.dr7 = d.dr7;
	virt->set_debugregs(v, &vd);
	return 0;
}
