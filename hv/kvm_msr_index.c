/* The MSR index lists of /dev/kvm (see hv/kvm_msr_index.h). */
#include "hv/kvm_msr_index.h"
#include "hv/errno.h"
#include "emul/msr.h"
#include "emul/mtrr.h"

/* What emul/msr.c answers for MSR_IA32_UCODE_REV (a made-up revision in EDX,
 * as KVM's); the unit test holds the two together. */
#define UCODE_REV_FEATURE	0x100000000ULL

#define RANGE2(b)	(b), (b) + 1
#define RANGE4(b)	RANGE2(b), RANGE2((b) + 2)
#define RANGE8(b)	RANGE4(b), RANGE4((b) + 4)
#define RANGE16(b)	RANGE8(b), RANGE8((b) + 8)

/* Every index emul/msr.c's table handles, in its order. */
static const uint32_t vcpu_msrs[] = {
	MSR_IA32_TSC, MSR_IA32_APIC_BASE, MSR_IA32_FEATURE_CTL, MSR_IA32_UCODE_REV,
	MSR_MTRRCAP,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_IA32_MISC_ENABLE,
	RANGE16(MSR_MTRR_PHYSBASE0),
	MSR_MTRR_FIX64K_00000, MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000,
	RANGE8(MSR_MTRR_FIX4K_C0000),
	MSR_IA32_PAT, MSR_MTRR_DEF_TYPE,
	MSR_IA32_EFER, MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_CSTAR, MSR_IA32_SFMASK,
	MSR_IA32_FS_BASE, MSR_IA32_GS_BASE, MSR_IA32_KERNEL_GS_BASE, MSR_IA32_TSC_AUX,
};
_Static_assert(MTRR_NR_VAR * 2 == 16, "the variable MTRR pairs listed above");

/*
 * Feature MSRs describe what the (virtual) CPU offers before any vcpu exists.
 * Of those Linux lists, tern's vcpus have only the microcode revision:
 * ARCH_CAPABILITIES, PERF_CAPABILITIES, the VMX capability MSRs and DE_CFG
 * are not emulated (reading them in a guest is #GP).
 */
static const uint32_t feature_msrs[] = {
	MSR_IA32_UCODE_REV,
};

const uint32_t *kvm_msr_index_list(uint32_t *n)
{
	*n = ARRAY_SIZE(vcpu_msrs);
	return vcpu_msrs;
}

const uint32_t *kvm_msr_feature_list(uint32_t *n)
{
	*n = ARRAY_SIZE(feature_msrs);
	return feature_msrs;
}

int kvm_msr_feature_get(uint32_t index, uint64_t *value)
{
	switch (index) {
	case MSR_IA32_UCODE_REV:
		*value = UCODE_REV_FEATURE;
		return 0;
	}
	return -EINVAL;
}
