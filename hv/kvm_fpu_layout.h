/*
 * Conversions between the core's guest FPU area (FXSAVE, or standard-format
 * XSAVE with the host's XCR0: hv/fpu.h) and the KVM ABI's views of it:
 * struct kvm_fpu (KVM_GET/SET_FPU) and struct kvm_xsave (KVM_GET/SET_XSAVE,
 * Linux's layout: legacy region, XSAVE header, each component at its CPUID
 * 0xD offset, 4096 bytes). Setting validates everything XRSTOR would fault
 * on, so a bad buffer from ring 3 is -EINVAL and never a #GP in the core.
 * Pure logic, host-tested.
 */
#ifndef HV_KVM_FPU_LAYOUT_H
#define HV_KVM_FPU_LAYOUT_H

#include "hv/types.h"
#include "abi/include/linux/kvm.h"

#define XSAVE_LEGACY_SIZE	512
#define XSAVE_HDR_OFFSET	512
#define XSAVE_HDR_SIZE		64
#define XSAVE_MAX_COMPONENTS	64
#define XFEATURE_FP		(1ULL << 0)
#define XFEATURE_SSE		(1ULL << 1)
#define XFEATURE_YMM		(1ULL << 2)

/* How the core's area is laid out. */
struct fpu_layout {
	/* The components an XSAVE area holds (the host's XCR0); 0 for an
	 * FXSAVE area (no XSAVE: only the 512-byte legacy region). */
	uint64_t xcr0;
	/* Standard-format offset and size of each component >= 2 in xcr0. */
	uint32_t offset[XSAVE_MAX_COMPONENTS];
	uint32_t size[XSAVE_MAX_COMPONENTS];
	/* MXCSR bits the CPU accepts (FXSAVE's MXCSR_MASK). */
	uint32_t mxcsr_mask;
};

void kvm_fpu_from_area(const void *area, struct kvm_fpu *out);
/* 0, or -EINVAL (reserved MXCSR bits): @area is then unchanged. */
int kvm_fpu_to_area(const struct fpu_layout *l, const struct kvm_fpu *in, void *area);

void kvm_xsave_from_area(const struct fpu_layout *l, const void *area, struct kvm_xsave *out);
/*
 * 0, or -EINVAL (@area unchanged) when XSTATE_BV names a component outside
 * @allowed (a subset of l->xcr0 | FP | SSE), XCOMP_BV (compacted format) or
 * the header's reserved bytes are not zero, or MXCSR has reserved bits.
 */
int kvm_xsave_to_area(const struct fpu_layout *l, const struct kvm_xsave *in, uint64_t allowed,
		      void *area);

/* Whether XSETBV/KVM_SET_XCRS may put @value in XCR0, given the components
 * @supported by the vcpu's CPUID (x87 is always allowed, as on hardware). */
bool xcr0_value_valid(uint64_t value, uint64_t supported);

#endif
