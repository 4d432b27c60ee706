/* What the CPU can do, as far as the core and its VMX/SVM backends care. */
#ifndef ARCH_X86_CPUFEATURES_H
#define ARCH_X86_CPUFEATURES_H

#include "hv/types.h"

enum virt_kind { VIRT_NONE, VIRT_VMX, VIRT_SVM };

struct cpu_features {
	char vendor[13];		/* "GenuineIntel", "AuthenticAMD", ... */
	uint32_t family, model, stepping;
	uint32_t max_leaf, max_ext_leaf;
	uint8_t phys_addr_bits, virt_addr_bits;

	/* The backend to use: VIRT_NONE if neither extension is present and usable. */
	enum virt_kind virt;
	bool vmx;			/* CPUID reports VMX (usable or not) */
	bool svm;			/* CPUID reports SVM (usable or not) */

	/* VMX, from the capability MSRs (only when CPUID reports VMX). */
	bool vmx_true_ctls;		/* IA32_VMX_TRUE_*_CTLS exist */
	bool vmx_secondary;		/* secondary processor-based controls */
	bool vmx_ept, vmx_vpid, vmx_unrestricted;
	bool vmx_ept_4level, vmx_ept_wb;
	bool vmx_ept_2m, vmx_ept_1g, vmx_ept_ad;
	bool vmx_invept, vmx_invept_single, vmx_invept_all;
	bool vmx_invvpid, vmx_invvpid_single, vmx_invvpid_all;
	uint64_t vmx_basic;		/* IA32_VMX_BASIC: VMCS revision, region size */

	/* SVM, from CPUID 0x8000000A (only when CPUID reports SVM). */
	uint32_t svm_revision;
	uint32_t svm_nr_asids;
	bool svm_npt, svm_nrips, svm_decode_assists, svm_vmcb_clean, svm_flush_by_asid;
	bool svm_lbrv, svm_tsc_rate, svm_pause_filter, svm_avic, svm_vgif, svm_vls;

	/* General. */
	bool apic, x2apic, tsc_deadline, invariant_tsc, rdtscp;
	bool fxsr, sse2, xsave, avx;
	bool pge, pat, pdpe1gb, nx, pcid, invpcid, fsgsbase, smep, smap, umip, la57;
	bool mce, mca, hypervisor;
	uint64_t xcr0_supported;	/* XCR0 bits the CPU supports (CPUID 0xD.0) */
	uint32_t xsave_size_max;	/* bytes for an XSAVE area with all of them */
};

extern struct cpu_features cpu_features;

/* Fills cpu_features from the boot CPU; warns when VMX/SVM exist but firmware disabled them. */
void cpu_features_detect(void);
/* Prints exactly one line: "cpu: <vendor> virt=<vmx|svm|none> <feature words...>". */
void cpu_features_log(void);
/* Sets this CPU's CR0/CR4/EFER/XCR0 bits the core wants; called on every CPU. */
void cpu_features_enable(void);

#endif
