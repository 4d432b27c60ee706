/*
 * KVM_TRANSLATE, KVM_SET_SIGNAL_MASK and KVM_SET_GUEST_DEBUG.
 *
 * Guest debugging here: the control word and debugreg[] are stored
 * (vcpu->kvm); INJECT_DB / INJECT_BP queue the exception; SINGLESTEP sets
 * RFLAGS.TF (hidden from KVM_GET_REGS) and intercepts #DB; USE_SW_BP
 * intercepts #BP; USE_HW_BP intercepts #DB and loads debugreg[] as the
 * guest's DR0-3/DR7 (hv/kvm_debug.c). The intercepted exceptions reach the
 * KVM_RUN owner as EXIT_EXCEPTION, which reports KVM_EXIT_DEBUG. BLOCKIRQ
 * is stored only.
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_vcpu_args.h"
#include "hv/kvm_debug.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "hv/uaccess.h"
#include "hv/string.h"
#include "hv/errno.h"
#include "emul/cpuid_policy.h"
#include "mmu/gwalk.h"
#include "arch/x86/virt.h"

#define INVALID_GPA	(~0ULL)

/* 2^MAXPHYADDR - 1 from the vcpu's CPUID (36 bits when it does not say). */
static uint64_t vcpu_max_gpa(const struct vcpu *v)
{
	static const struct cpuid_vcpu_view view;
	uint32_t bits = cpuid_policy_query(v->cpuid, 0x80000008, 0, &view).eax & 0xff;

	if (!bits || bits > 52)
		bits = 36;
	return (1ULL << bits) - 1;
}

int64_t kvm_vcpu_translate(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_translation tr;
	struct vcpu_sregs s;
	struct gwalk_mem mem;
	struct gwalk_regs regs;
	struct gwalk_result r;
	int err = copy_from_user(&tr, uarg, sizeof(tr));

	if (err)
		return err;
	virt->get_sregs(v, &s);
	mem = vm_gwalk_mem(v->vm);
	/* A supervisor read on the VMM's behalf, exempt from SMAP (as KVM's
	 * "system" access). */
	regs = (struct gwalk_regs){
		.cr0 = s.cr0, .cr3 = s.cr3, .cr4 = s.cr4, .efer = s.efer,
		.supervisor_smap_exempt = true, .max_gpa = vcpu_max_gpa(v),
	};
	err = gwalk_translate(&mem, &regs, tr.linear_address, 0, &r);
	tr.valid = !err && !r.fault;
	tr.physical_address = tr.valid ? r.gpa : INVALID_GPA;
	tr.writeable = 1;
	tr.usermode = 0;
	return copy_to_user(uarg, &tr, sizeof(tr));
}

int64_t kvm_vcpu_set_signal_mask(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_signal_mask hdr;
	uint64_t set;
	int err;

	/* A NULL argument unblocks everything again. */
	if (!uarg) {
		v->kvm.sigmask_set = false;
		v->kvm.sigmask = 0;
		return 0;
	}
	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	if (hdr.len != KVM_SIGSET_SIZE)
		return -EINVAL;
	err = copy_from_user(&set, uarg + sizeof(hdr), sizeof(set));
	if (err)
		return err;
	v->kvm.sigmask = set;
	v->kvm.sigmask_set = true;
	return 0;
}

static void set_single_step(struct vcpu *v, bool on)
{
	if (on && !v->kvm.debug_tf) {
		/* TF the guest set itself stays the guest's. */
		if (!(v->regs.rflags & X86_EFLAGS_TF)) {
			v->regs.rflags |= X86_EFLAGS_TF;
			v->kvm.debug_tf = true;
		}
	} else if (!on && v->kvm.debug_tf) {
		v->regs.rflags &= ~X86_EFLAGS_TF;
		v->kvm.debug_tf = false;
	}
}

int64_t kvm_vcpu_set_guest_debug(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_guest_debug g;
	uint32_t control;
	int err = copy_from_user(&g, uarg, sizeof(g));

	if (err)
		return err;
	err = kvm_guest_debug_check(&g);
	if (err)
		return err;
	if (g.control & (KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP)) {
		struct vcpu_event cur, e = { .valid = true, .type = EVENT_EXCEPTION };

		virt->pending_event(v, &cur);
		if (cur.valid)
			return -EBUSY;	/* an exception is already on its way */
		e.vector = (g.control & KVM_GUESTDBG_INJECT_DB) ? X86_DB : X86_BP;
		err = virt->inject_event(v, &e);
		if (err)
			return err;
	}
	control = (g.control & KVM_GUESTDBG_ENABLE) ? g.control : 0;
	v->kvm.guest_debug = control;
	memcpy(v->kvm.debugreg, g.arch.debugreg, sizeof(v->kvm.debugreg));
	set_single_step(v, control & KVM_GUESTDBG_SINGLESTEP);
	kvm_debug_set_hw_bp(v, control & KVM_GUESTDBG_USE_HW_BP);
	virt->set_exception_intercept(v, X86_DB,
				      control & (KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_HW_BP));
	virt->set_exception_intercept(v, X86_BP, control & KVM_GUESTDBG_USE_SW_BP);
	return 0;
}
