/* Dispatch of the vcpu ioctls the core implements (see hv/kvm_vcpu_ioctl.h). */
#include "hv/kvm_vcpu_ioctl.h"
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/errno.h"
#include "hv/string.h"

struct vcpu_ioctl {
	uint32_t cmd;
	kvm_vcpu_ioctl_fn fn;
};

static const struct vcpu_ioctl vcpu_ioctls[] = {
	{ KVM_GET_REGS, kvm_vcpu_get_regs },
	{ KVM_SET_REGS, kvm_vcpu_set_regs },
	{ KVM_GET_SREGS, kvm_vcpu_get_sregs },
	{ KVM_SET_SREGS, kvm_vcpu_set_sregs },
	{ KVM_GET_DEBUGREGS, kvm_vcpu_get_debugregs },
	{ KVM_SET_DEBUGREGS, kvm_vcpu_set_debugregs },
	{ KVM_GET_FPU, kvm_vcpu_get_fpu },
	{ KVM_SET_FPU, kvm_vcpu_set_fpu },
	{ KVM_GET_XSAVE, kvm_vcpu_get_xsave },
	{ KVM_SET_XSAVE, kvm_vcpu_set_xsave },
	{ KVM_GET_XCRS, kvm_vcpu_get_xcrs },
	{ KVM_SET_XCRS, kvm_vcpu_set_xcrs },
	{ KVM_GET_MSRS, kvm_vcpu_get_msrs },
	{ KVM_SET_MSRS, kvm_vcpu_set_msrs },
	{ KVM_SET_CPUID2, kvm_vcpu_set_cpuid2 },
	{ KVM_GET_CPUID2, kvm_vcpu_get_cpuid2 },
	{ KVM_INTERRUPT, kvm_vcpu_interrupt },
	{ KVM_NMI, kvm_vcpu_nmi },
	{ KVM_GET_MP_STATE, kvm_vcpu_get_mp_state },
	{ KVM_SET_MP_STATE, kvm_vcpu_set_mp_state },
	{ KVM_GET_VCPU_EVENTS, kvm_vcpu_get_events },
	{ KVM_SET_VCPU_EVENTS, kvm_vcpu_set_events },
	{ KVM_TRANSLATE, kvm_vcpu_translate },
	{ KVM_SET_SIGNAL_MASK, kvm_vcpu_set_signal_mask },
	{ KVM_SET_GUEST_DEBUG, kvm_vcpu_set_guest_debug },
};

int64_t kvm_vcpu_ioctl(struct vcpu *v, uint32_t cmd, uintptr_t uarg)
{
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_ioctls); i++)
		if (vcpu_ioctls[i].cmd == cmd)
			return vcpu_ioctls[i].fn(v, uarg);
	/* x86 Linux answers EINVAL for an unknown vcpu ioctl (kvm_arch_vcpu_ioctl). */
	return -EINVAL;
}
