/*
 * KVM_GET/SET_FPU, KVM_GET/SET_XSAVE and KVM_GET/SET_XCRS on the guest FPU
 * area that vcpu_run_loop loads (hv/fpu.h). Between runs the area holds the
 * guest's state, so these only convert (hv/kvm_fpu_layout.c).
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_fpu_layout.h"
#include "hv/vcpu.h"
#include "hv/fpu.h"
#include "hv/heap.h"
#include "hv/uaccess.h"
#include "hv/string.h"
#include "hv/errno.h"
#include "emul/cpuid_policy.h"
#include "arch/x86/cpu.h"

#define MXCSR_MASK_DEFAULT	0xFFBF	/* FXSAVE wrote 0: no DAZ (SDM) */

static struct fpu_layout layout;
static bool layout_ready;

/* The MXCSR bits this CPU accepts, from the MXCSR_MASK field FXSAVE writes. */
static uint32_t probe_mxcsr_mask(void)
{
	static uint8_t buf[512] __aligned(16);
	uint32_t mask;

	__asm__ volatile("fxsave64 %0" : "=m"(buf));
	memcpy(&mask, buf + 28, 4);
	return mask ? mask : MXCSR_MASK_DEFAULT;
}

/* The core's area format is fixed at boot (hv/fpu.c); read it once. */
static const struct fpu_layout *fpu_layout(void)
{
	if (layout_ready)
		return &layout;
	fpu_init();
	layout.xcr0 = fpu_host_xcr0();
	for (unsigned int i = 2; i < XSAVE_MAX_COMPONENTS; i++) {
		struct cpuid_regs r;

		if (!(layout.xcr0 & (1ULL << i)))
			continue;
		r = cpuid(0xD, i);
		layout.size[i] = r.eax;
		layout.offset[i] = r.ebx;
	}
	layout.mxcsr_mask = probe_mxcsr_mask();
	layout_ready = true;
	return &layout;
}

int64_t kvm_vcpu_get_fpu(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_fpu f;

	kvm_fpu_from_area(v->fpu, &f);
	return copy_to_user(uarg, &f, sizeof(f));
}

int64_t kvm_vcpu_set_fpu(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_fpu f;
	int err = copy_from_user(&f, uarg, sizeof(f));

	if (err)
		return err;
	return kvm_fpu_to_area(fpu_layout(), &f, v->fpu);
}

int64_t kvm_vcpu_get_xsave(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_xsave *x = kmalloc(sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	kvm_xsave_from_area(fpu_layout(), v->fpu, x);
	err = copy_to_user(uarg, x, sizeof(*x));
	kfree(x);
	return err;
}

int64_t kvm_vcpu_set_xsave(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_xsave *x = kmalloc(sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	err = copy_from_user(x, uarg, sizeof(*x));
	/* x87 and SSE always; beyond them what the guest's CPUID offers. */
	if (!err)
		err = kvm_xsave_to_area(fpu_layout(), x,
					v->cpuid->xcr0_mask | XFEATURE_FP | XFEATURE_SSE, v->fpu);
	kfree(x);
	return err;
}

int64_t kvm_vcpu_get_xcrs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_xcrs x;

	memset(&x, 0, sizeof(x));
	/* Without XSAVE in the core there is no XCR0 to report (as KVM). */
	if (fpu_layout()->xcr0) {
		x.nr_xcrs = 1;
		x.xcrs[0].xcr = 0;
		x.xcrs[0].value = v->xcr0;
	}
	return copy_to_user(uarg, &x, sizeof(x));
}

int64_t kvm_vcpu_set_xcrs(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_xcrs x;
	int err = copy_from_user(&x, uarg, sizeof(x));

	if (err)
		return err;
	if (!fpu_layout()->xcr0 || x.nr_xcrs > KVM_MAX_XCRS || x.flags)
		return -EINVAL;
	/* KVM takes the first XCR0 entry and ignores other XCR numbers. */
	for (uint32_t i = 0; i < x.nr_xcrs; i++) {
		if (x.xcrs[i].xcr != 0)
			continue;
		if (!xcr0_value_valid(x.xcrs[i].value, v->cpuid->xcr0_mask))
			return -EINVAL;
		v->xcr0 = x.xcrs[i].value;
		v->xcr0_written = true;
		break;
	}
	return 0;
}
