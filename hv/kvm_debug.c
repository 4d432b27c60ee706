/* KVM_EXIT_DEBUG and hardware breakpoints (see hv/kvm_debug.h). */
#include "hv/kvm_debug.h"
#include "hv/guest_access.h"
#include "arch/x86/virt.h"
#include "abi/include/linux/kvm.h"

#define DR7_FIXED_ONES	0x400ULL

bool kvm_debug_exit(struct kvm_vcpu *kv, const struct vcpu_exit *e)
{
	struct vcpu *v = kv->vcpu;
	uint32_t dbg = v->kvm.guest_debug;
	struct kvm_run *run = kv->run;
	struct vcpu_debugregs d;
	struct vcpu_sregs s;
	uint8_t vec = e->exception.vector;

	if (!(dbg & KVM_GUESTDBG_ENABLE))
		return false;
	if (!(vec == X86_DB && (dbg & (KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_HW_BP))) &&
	    !(vec == X86_BP && (dbg & KVM_GUESTDBG_USE_SW_BP)))
		return false;
	virt->get_sregs(v, &s);
	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.exception = vec;
	/* Linux's kvm_get_linear_rip: CS base + RIP, 32 bits outside long mode. */
	run->debug.arch.pc = guest_code64(&s) ? v->regs.rip : (uint32_t)(s.cs.base + v->regs.rip);
	/* #BP says nothing about DR6/DR7; Linux leaves them as they were. */
	if (vec == X86_DB) {
		virt->get_debugregs(v, &d);
		run->debug.arch.dr6 = e->exception.dr6;
		run->debug.arch.dr7 = d.dr7;
	}
	return true;
}

void kvm_debug_set_hw_bp(struct vcpu *v, bool on)
{
	struct vcpu_debugregs d;

	if (!on) {
		if (v->kvm.hw_bp_loaded)
			virt->set_debugregs(v, &v->kvm.guest_dr);
		v->kvm.hw_bp_loaded = false;
		return;
	}
	/* New breakpoints over loaded ones: the guest's values stay aside. */
	if (!v->kvm.hw_bp_loaded)
		virt->get_debugregs(v, &v->kvm.guest_dr);
	for (unsigned int i = 0; i < 4; i++)
		d.db[i] = v->kvm.debugreg[i];
	d.dr6 = v->kvm.guest_dr.dr6;
	d.dr7 = (uint32_t)v->kvm.debugreg[7] | DR7_FIXED_ONES;
	virt->set_debugregs(v, &d);
	v->kvm.hw_bp_loaded = true;
}
