/*
 * RDMSR/WRMSR exits: a table of handlers by MSR index. MSRs that live in the
 * VMCS/VMCB go to the backend (virt->get_msr/set_msr); the rest the core
 * emulates in struct vcpu_msr_state. An MSR nobody handles is an error the
 * caller turns into #GP(0), as KVM does without the "ignore MSRs" knobs.
 */
#ifndef EMUL_MSR_H
#define EMUL_MSR_H

#include "hv/types.h"

struct vcpu;

#define MSR_IA32_TSC		0x10
#define MSR_IA32_APIC_BASE	0x1B
#define MSR_IA32_FEATURE_CTL	0x3A
#define MSR_IA32_UCODE_REV	0x8B
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_MISC_ENABLE	0x1A0
#define MSR_IA32_PAT		0x277
#define MSR_IA32_EFER		0xC0000080
#define MSR_IA32_STAR		0xC0000081
#define MSR_IA32_LSTAR		0xC0000082
#define MSR_IA32_CSTAR		0xC0000083
#define MSR_IA32_SFMASK		0xC0000084
#define MSR_IA32_FS_BASE	0xC0000100
#define MSR_IA32_GS_BASE	0xC0000101
#define MSR_IA32_KERNEL_GS_BASE	0xC0000102
#define MSR_IA32_TSC_AUX	0xC0000103

#define APIC_BASE_BSP		(1u << 8)
#define APIC_BASE_X2APIC	(1u << 10)
#define APIC_BASE_ENABLE	(1u << 11)
#define APIC_BASE_DEFAULT	0xFEE00000u

/* Power-on values of the emulated MSRs; guest TSC restarts at 0. */
void msr_reset(struct vcpu *v);
/* 0, or -EINVAL: the guest gets #GP(0) and RIP stays put. */
int msr_read(struct vcpu *v, uint32_t index, uint64_t *value);
int msr_write(struct vcpu *v, uint32_t index, uint64_t value);

#endif
