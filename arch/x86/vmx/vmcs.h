/*
 * VMCS field encodings (Intel SDM vol. 3, appendix B) and the VMREAD/VMWRITE
 * accessors. Only the fields tern uses are listed.
 */
#ifndef ARCH_X86_VMX_VMCS_H
#define ARCH_X86_VMX_VMCS_H

#include "hv/types.h"

enum vmcs_field {
	/* 16-bit control */
	VMCS_VPID			= 0x0000,
	/* 16-bit guest state */
	VMCS_GUEST_ES_SEL		= 0x0800,
	VMCS_GUEST_CS_SEL		= 0x0802,
	VMCS_GUEST_SS_SEL		= 0x0804,
	VMCS_GUEST_DS_SEL		= 0x0806,
	VMCS_GUEST_FS_SEL		= 0x0808,
	VMCS_GUEST_GS_SEL		= 0x080a,
	VMCS_GUEST_LDTR_SEL		= 0x080c,
	VMCS_GUEST_TR_SEL		= 0x080e,
	/* 16-bit host state */
	VMCS_HOST_ES_SEL		= 0x0c00,
	VMCS_HOST_CS_SEL		= 0x0c02,
	VMCS_HOST_SS_SEL		= 0x0c04,
	VMCS_HOST_DS_SEL		= 0x0c06,
	VMCS_HOST_FS_SEL		= 0x0c08,
	VMCS_HOST_GS_SEL		= 0x0c0a,
	VMCS_HOST_TR_SEL		= 0x0c0c,
	/* 64-bit control */
	VMCS_IO_BITMAP_A		= 0x2000,
	VMCS_IO_BITMAP_B		= 0x2002,
	VMCS_MSR_BITMAP			= 0x2004,
	VMCS_TSC_OFFSET			= 0x2010,
	VMCS_VIRTUAL_APIC_PAGE		= 0x2012,
	VMCS_EPT_POINTER		= 0x201a,
	/* 64-bit read-only */
	VMCS_GUEST_PHYS_ADDR		= 0x2400,
	/* 64-bit guest state */
	VMCS_LINK_POINTER		= 0x2800,
	VMCS_GUEST_DEBUGCTL		= 0x2802,
	VMCS_GUEST_PAT			= 0x2804,
	VMCS_GUEST_EFER			= 0x2806,
	VMCS_GUEST_PDPTE0		= 0x280a,
	VMCS_GUEST_PDPTE1		= 0x280c,
	VMCS_GUEST_PDPTE2		= 0x280e,
	VMCS_GUEST_PDPTE3		= 0x2810,
	/* 64-bit host state */
	VMCS_HOST_PAT			= 0x2c00,
	VMCS_HOST_EFER			= 0x2c02,
	/* 32-bit control */
	VMCS_PIN_CONTROLS		= 0x4000,
	VMCS_PROC_CONTROLS		= 0x4002,
	VMCS_EXCEPTION_BITMAP		= 0x4004,
	VMCS_PF_ERROR_MASK		= 0x4006,
	VMCS_PF_ERROR_MATCH		= 0x4008,
	VMCS_CR3_TARGET_COUNT		= 0x400a,
	VMCS_EXIT_CONTROLS		= 0x400c,
	VMCS_EXIT_MSR_STORE_COUNT	= 0x400e,
	VMCS_EXIT_MSR_LOAD_COUNT	= 0x4010,
	VMCS_ENTRY_CONTROLS		= 0x4012,
	VMCS_ENTRY_MSR_LOAD_COUNT	= 0x4014,
	VMCS_ENTRY_INTR_INFO		= 0x4016,
	VMCS_ENTRY_EXCEPTION_ERROR	= 0x4018,
	VMCS_ENTRY_INSN_LEN		= 0x401a,
	VMCS_TPR_THRESHOLD		= 0x401c,
	VMCS_PROC_CONTROLS2		= 0x401e,
	/* 32-bit read-only */
	VMCS_VM_INSN_ERROR		= 0x4400,
	VMCS_EXIT_REASON		= 0x4402,
	VMCS_EXIT_INTR_INFO		= 0x4404,
	VMCS_EXIT_INTR_ERROR		= 0x4406,
	VMCS_IDT_VECTORING_INFO		= 0x4408,
	VMCS_IDT_VECTORING_ERROR	= 0x440a,
	VMCS_EXIT_INSN_LEN		= 0x440c,
	VMCS_EXIT_INSN_INFO		= 0x440e,
	/* 32-bit guest state */
	VMCS_GUEST_ES_LIMIT		= 0x4800,
	VMCS_GUEST_GDTR_LIMIT		= 0x4810,
	VMCS_GUEST_IDTR_LIMIT		= 0x4812,
	VMCS_GUEST_ES_AR		= 0x4814,
	VMCS_GUEST_INTERRUPTIBILITY	= 0x4824,
	VMCS_GUEST_ACTIVITY_STATE	= 0x4826,
	VMCS_GUEST_SYSENTER_CS		= 0x482a,
	/* 32-bit host state */
	VMCS_HOST_SYSENTER_CS		= 0x4c00,
	/* natural-width control */
	VMCS_CR0_MASK			= 0x6000,
	VMCS_CR4_MASK			= 0x6002,
	VMCS_CR0_SHADOW			= 0x6004,
	VMCS_CR4_SHADOW			= 0x6006,
	/* natural-width read-only */
	VMCS_EXIT_QUALIFICATION		= 0x6400,
	VMCS_GUEST_LINEAR_ADDR		= 0x640a,
	/* natural-width guest state */
	VMCS_GUEST_CR0			= 0x6800,
	VMCS_GUEST_CR3			= 0x6802,
	VMCS_GUEST_CR4			= 0x6804,
	VMCS_GUEST_ES_BASE		= 0x6806,
	VMCS_GUEST_GDTR_BASE		= 0x6816,
	VMCS_GUEST_IDTR_BASE		= 0x6818,
	VMCS_GUEST_DR7			= 0x681a,
	VMCS_GUEST_RSP			= 0x681c,
	VMCS_GUEST_RIP			= 0x681e,
	VMCS_GUEST_RFLAGS		= 0x6820,
	VMCS_GUEST_PENDING_DBG		= 0x6822,
	VMCS_GUEST_SYSENTER_ESP		= 0x6824,
	VMCS_GUEST_SYSENTER_EIP		= 0x6826,
	/* natural-width host state */
	VMCS_HOST_CR0			= 0x6c00,
	VMCS_HOST_CR3			= 0x6c02,
	VMCS_HOST_CR4			= 0x6c04,
	VMCS_HOST_FS_BASE		= 0x6c06,
	VMCS_HOST_GS_BASE		= 0x6c08,
	VMCS_HOST_TR_BASE		= 0x6c0a,
	VMCS_HOST_GDTR_BASE		= 0x6c0c,
	VMCS_HOST_IDTR_BASE		= 0x6c0e,
	VMCS_HOST_SYSENTER_ESP		= 0x6c10,
	VMCS_HOST_SYSENTER_EIP		= 0x6c12,
	VMCS_HOST_RSP			= 0x6c14,
	VMCS_HOST_RIP			= 0x6c16,
};

/*
 * Guest segment fields come in the order ES CS SS DS FS GS LDTR TR with a
 * stride of 2 in every group, which is also enum seg_reg's order.
 */
#define VMCS_GUEST_SEL(seg)	(VMCS_GUEST_ES_SEL + 2 * (seg))
#define VMCS_GUEST_LIMIT(seg)	(VMCS_GUEST_ES_LIMIT + 2 * (seg))
#define VMCS_GUEST_AR(seg)	(VMCS_GUEST_ES_AR + 2 * (seg))
#define VMCS_GUEST_BASE(seg)	(VMCS_GUEST_ES_BASE + 2 * (seg))

/* Pin-based controls. */
#define PIN_EXTINT_EXITING	(1u << 0)
#define PIN_NMI_EXITING		(1u << 3)
#define PIN_VIRTUAL_NMIS	(1u << 5)

/* Primary processor-based controls. */
#define PROC_INTR_WINDOW	(1u << 2)
#define PROC_TSC_OFFSET		(1u << 3)
#define PROC_HLT_EXITING	(1u << 7)
#define PROC_INVLPG_EXITING	(1u << 9)
#define PROC_MWAIT_EXITING	(1u << 10)
#define PROC_RDPMC_EXITING	(1u << 11)
#define PROC_RDTSC_EXITING	(1u << 12)
#define PROC_CR3_LOAD		(1u << 15)
#define PROC_CR3_STORE		(1u << 16)
#define PROC_CR8_LOAD		(1u << 19)
#define PROC_CR8_STORE		(1u << 20)
#define PROC_TPR_SHADOW		(1u << 21)
#define PROC_NMI_WINDOW		(1u << 22)
#define PROC_MOV_DR_EXITING	(1u << 23)
#define PROC_UNCOND_IO		(1u << 24)
#define PROC_IO_BITMAPS		(1u << 25)
#define PROC_MSR_BITMAPS	(1u << 28)
#define PROC_MONITOR_EXITING	(1u << 29)
#define PROC_SECONDARY		(1u << 31)

/* Secondary processor-based controls. */
#define PROC2_EPT		(1u << 1)
#define PROC2_RDTSCP		(1u << 3)
#define PROC2_VPID		(1u << 5)
#define PROC2_UNRESTRICTED	(1u << 7)
#define PROC2_INVPCID		(1u << 12)
#define PROC2_XSAVES		(1u << 20)

/* VM-exit controls. */
#define EXIT_SAVE_DEBUG		(1u << 2)
#define EXIT_HOST_64		(1u << 9)
#define EXIT_ACK_INTR		(1u << 15)
#define EXIT_SAVE_PAT		(1u << 18)
#define EXIT_LOAD_PAT		(1u << 19)
#define EXIT_SAVE_EFER		(1u << 20)
#define EXIT_LOAD_EFER		(1u << 21)

/* VM-entry controls. */
#define ENTRY_LOAD_DEBUG	(1u << 2)
#define ENTRY_IA32E_GUEST	(1u << 9)
#define ENTRY_LOAD_PAT		(1u << 14)
#define ENTRY_LOAD_EFER		(1u << 15)

/* Interruption information (entry, exit, IDT vectoring). */
#define INTR_INFO_VECTOR(x)	((x) & 0xff)
#define INTR_INFO_TYPE(x)	(((x) >> 8) & 7)
#define INTR_INFO_ERROR_CODE	(1u << 11)
#define INTR_INFO_NMI_UNBLOCK	(1u << 12)	/* exit: NMI unblocking due to IRET */
#define INTR_INFO_VALID		(1u << 31)
#define INTR_TYPE_EXTINT	0
#define INTR_TYPE_NMI		2
#define INTR_TYPE_HW_EXCEPTION	3
#define INTR_TYPE_SOFT_INT	4
#define INTR_TYPE_PRIV_SOFT_EXC	5
#define INTR_TYPE_SOFT_EXC	6

/* Guest interruptibility state. */
#define INTERRUPTIBILITY_STI	(1u << 0)
#define INTERRUPTIBILITY_MOV_SS	(1u << 1)
#define INTERRUPTIBILITY_SMI	(1u << 2)
#define INTERRUPTIBILITY_NMI	(1u << 3)

/* Segment access rights as the VMCS holds them. */
#define VMX_AR_UNUSABLE		(1u << 16)

/* Exit reason bit 31: the VM entry failed (guest state, MSR loading, MCE). */
#define EXIT_REASON_ENTRY_FAIL	(1u << 31)

/*
 * Accessors. VMREAD/VMWRITE on the current VMCS; a failure (no current VMCS,
 * unsupported field) would be a tern bug, so the fast paths do not test the
 * flags. vmcs_write_checked reports it for the set-up paths.
 */
static inline uint64_t vmcs_read(enum vmcs_field f)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"((uint64_t)f) : "cc");
	return v;
}

static inline void vmcs_write(enum vmcs_field f, uint64_t v)
{
	__asm__ volatile("vmwrite %1, %0" :: "r"((uint64_t)f), "rm"(v) : "cc");
}

/* false when VMWRITE failed (VMfailInvalid or VMfailValid). */
static inline bool vmcs_write_checked(enum vmcs_field f, uint64_t v)
{
	bool ok;

	__asm__ volatile("vmwrite %2, %1; seta %0" : "=qm"(ok) : "r"((uint64_t)f), "rm"(v) : "cc");
	return ok;
}

#endif
