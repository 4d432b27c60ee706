/* The MSR handler table (see emul/msr.h). */
#include "emul/msr.h"
#include "emul/mtrr.h"
#include "emul/cpuid_policy.h"
#include "hv/vcpu.h"
#include "hv/errno.h"
#include "hv/string.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"

/* MISC_ENABLE: fast strings, and "BTS/PEBS unavailable" (no PMU for guests). */
#define MISC_ENABLE_DEFAULT	((1u << 0) | (1u << 11) | (1u << 12))
/* UCODE_REV: a made-up non-zero revision in EDX, as KVM reports. */
#define UCODE_REV_VALUE		0x100000000ULL
/* FEATURE_CONTROL: locked with VMX off, matching the hidden VMX bit. */
#define FEATURE_CTL_LOCKED	1u

struct msr_handler {
	uint32_t first, last;
	int (*get)(struct vcpu *v, uint32_t index, uint64_t *value);
	int (*set)(struct vcpu *v, uint32_t index, uint64_t value);
};

static unsigned int guest_maxphyaddr(struct vcpu *v)
{
	static const struct cpuid_vcpu_view view;
	uint32_t bits = cpuid_policy_query(v->cpuid, 0x80000008, 0, &view).eax & 0xFF;

	return bits ? bits : 36;
}

static int backend_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	return virt->get_msr(v, index, value) ? -EINVAL : 0;
}

static int backend_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	return virt->set_msr(v, index, value) ? -EINVAL : 0;
}

static int tsc_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)index;
	*value = rdtsc() + (uint64_t)v->msrs.tsc_offset;
	return 0;
}

static int tsc_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	(void)index;
	v->msrs.tsc_offset = (int64_t)(value - rdtsc());
	virt->set_tsc_offset(v, v->msrs.tsc_offset);
	return 0;
}

static int apic_base_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)index;
	*value = v->msrs.apic_base;
	return 0;
}

static int apic_base_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	uint64_t reserved = (~0ULL << guest_maxphyaddr(v)) | 0x2FF;

	(void)index;
	/* x2APIC is not offered (CPUID), so its enable bit is reserved too. */
	if (value & (reserved | APIC_BASE_X2APIC))
		return -EINVAL;
	/* The BSP flag reflects the hardware, not the guest's wish. */
	v->msrs.apic_base = (value & ~(uint64_t)APIC_BASE_BSP) | (v->msrs.apic_base & APIC_BASE_BSP);
	return 0;
}

static int misc_enable_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)index;
	*value = v->msrs.misc_enable;
	return 0;
}

static int misc_enable_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	(void)index;
	v->msrs.misc_enable = value;
	return 0;
}

static int mtrr_msr_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	return mtrr_get(&v->msrs, index, value);
}

static int mtrr_msr_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	return mtrr_set(&v->msrs, index, value, guest_maxphyaddr(v));
}

static int ucode_rev_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)v;
	(void)index;
	*value = UCODE_REV_VALUE;
	return 0;
}

/* Linux writes 0 here before reading the revision: accept and forget. */
static int ignore_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	(void)v;
	(void)index;
	(void)value;
	return 0;
}

static int feature_ctl_get(struct vcpu *v, uint32_t index, uint64_t *value)
{
	(void)v;
	(void)index;
	*value = FEATURE_CTL_LOCKED;
	return 0;
}

/* Writing a locked FEATURE_CONTROL faults on hardware too. */
static int readonly_set(struct vcpu *v, uint32_t index, uint64_t value)
{
	(void)v;
	(void)index;
	(void)value;
	return -EINVAL;
}

#define BACKEND(i)	{ i, i, backend_get, backend_set }

static const struct msr_handler msr_table[] = {
	{ MSR_IA32_TSC, MSR_IA32_TSC, tsc_get, tsc_set },
	{ MSR_IA32_APIC_BASE, MSR_IA32_APIC_BASE, apic_base_get, apic_base_set },
	{ MSR_IA32_FEATURE_CTL, MSR_IA32_FEATURE_CTL, feature_ctl_get, readonly_set },
	{ MSR_IA32_UCODE_REV, MSR_IA32_UCODE_REV, ucode_rev_get, ignore_set },
	{ MSR_MTRRCAP, MSR_MTRRCAP, mtrr_msr_get, mtrr_msr_set },
	BACKEND(MSR_IA32_SYSENTER_CS),
	BACKEND(MSR_IA32_SYSENTER_ESP),
	BACKEND(MSR_IA32_SYSENTER_EIP),
	{ MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE, misc_enable_get, misc_enable_set },
	{ MSR_MTRR_PHYSBASE0, MSR_MTRR_PHYSBASE0 + 2 * MTRR_NR_VAR - 1, mtrr_msr_get, mtrr_msr_set },
	{ MSR_MTRR_FIX64K_00000, MSR_MTRR_FIX64K_00000, mtrr_msr_get, mtrr_msr_set },
	{ MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000, mtrr_msr_get, mtrr_msr_set },
	{ MSR_MTRR_FIX4K_C0000, MSR_MTRR_FIX4K_C0000 + 7, mtrr_msr_get, mtrr_msr_set },
	BACKEND(MSR_IA32_PAT),
	{ MSR_MTRR_DEF_TYPE, MSR_MTRR_DEF_TYPE, mtrr_msr_get, mtrr_msr_set },
	BACKEND(MSR_IA32_EFER),
	{ MSR_IA32_STAR, MSR_IA32_SFMASK, backend_get, backend_set },
	{ MSR_IA32_FS_BASE, MSR_IA32_TSC_AUX, backend_get, backend_set },
};

static const struct msr_handler *msr_find(uint32_t index)
{
	for (size_t i = 0; i < ARRAY_SIZE(msr_table); i++)
		if (index >= msr_table[i].first && index <= msr_table[i].last)
			return &msr_table[i];
	return NULL;
}

void msr_reset(struct vcpu *v)
{
	memset(&v->msrs, 0, sizeof(v->msrs));
	v->msrs.apic_base = APIC_BASE_DEFAULT | APIC_BASE_ENABLE | (v->id == 0 ? APIC_BASE_BSP : 0);
	v->msrs.misc_enable = MISC_ENABLE_DEFAULT;
	tsc_set(v, MSR_IA32_TSC, 0);
}

int msr_read(struct vcpu *v, uint32_t index, uint64_t *value)
{
	const struct msr_handler *h = msr_find(index);

	return h ? h->get(v, index, value) : -EINVAL;
}

int msr_write(struct vcpu *v, uint32_t index, uint64_t value)
{
	const struct msr_handler *h = msr_find(index);

	return h ? h->set(v, index, value) : -EINVAL;
}
