/*
 * Private interface of the VMX backend: the capabilities read at enable time,
 * the per-vcpu backend state and the helpers the vmx_*.c files share.
 */
#ifndef ARCH_X86_VMX_VMX_H
#define ARCH_X86_VMX_VMX_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"
#include "hv/vcpu.h"

struct vm;

#define CR0_NW			(1UL << 29)
#define CR0_CD			(1UL << 30)

#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_PAT		0x277
#define MSR_IA32_DEBUGCTL	0x1d9
#define MSR_CSTAR		0xC0000083
#define MSR_TSC_AUX		0xC0000103
#define MSR_VMX_BASIC		0x480
#define MSR_VMX_PINBASED	0x481
#define MSR_VMX_PROCBASED	0x482
#define MSR_VMX_EXIT		0x483
#define MSR_VMX_ENTRY		0x484
#define MSR_VMX_MISC		0x485
#define MSR_VMX_CR0_FIXED0	0x486
#define MSR_VMX_CR0_FIXED1	0x487
#define MSR_VMX_CR4_FIXED0	0x488
#define MSR_VMX_CR4_FIXED1	0x489
#define MSR_VMX_PROCBASED2	0x48b
#define MSR_VMX_EPT_VPID_CAP	0x48c
#define MSR_VMX_TRUE_PINBASED	0x48d
#define MSR_VMX_TRUE_PROCBASED	0x48e
#define MSR_VMX_TRUE_EXIT	0x48f
#define MSR_VMX_TRUE_ENTRY	0x490

#define VMX_BASIC_INSOUTS_INFO	(1ULL << 54)
#define VMX_BASIC_TRUE_CTLS	(1ULL << 55)

/* IA32_VMX_EPT_VPID_CAP bits. */
#define EPT_CAP_WALK4		(1ULL << 6)
#define EPT_CAP_WB		(1ULL << 14)
#define EPT_CAP_2M		(1ULL << 16)
#define EPT_CAP_1G		(1ULL << 17)
#define EPT_CAP_INVEPT		(1ULL << 20)
#define EPT_CAP_AD		(1ULL << 21)
#define EPT_CAP_INVEPT_SINGLE	(1ULL << 25)
#define EPT_CAP_INVEPT_ALL	(1ULL << 26)
#define VPID_CAP_INVVPID	(1ULL << 32)
#define VPID_CAP_SINGLE		(1ULL << 41)
#define VPID_CAP_ALL		(1ULL << 42)

/* Capabilities and the control values every VMCS starts from. */
struct vmx_caps {
	uint64_t basic;
	uint32_t revision;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;
	uint32_t pin, proc, proc2, exit, entry;
	bool has_tsc_aux;		/* host has RDTSCP: TSC_AUX is switched */
	/* CR bits the guest may not own: the guest/host masks. */
	uint64_t cr0_host_owned, cr4_host_owned;
};
extern struct vmx_caps vmx_caps;

/* A control MSR's allowed settings: low half allowed-0, high half allowed-1. */
struct vmx_ctl_msr {
	uint32_t must_be_one;
	uint32_t may_be_one;
};

/*
 * Computes a control value: @required and @optional bits requested, forced to
 * the CPU's allowed settings. Returns false (and *out = 0) when a required bit
 * cannot be 1. Pure, host-tested.
 */
bool vmx_adjust_controls(struct vmx_ctl_msr msr, uint32_t required, uint32_t optional,
			 uint32_t *out);
/* Splits a capability MSR value into its allowed-0 / allowed-1 halves. */
static inline struct vmx_ctl_msr vmx_ctl_msr(uint64_t raw)
{
	return (struct vmx_ctl_msr){ (uint32_t)raw, (uint32_t)(raw >> 32) };
}
/* Fills vmx_caps' control values from the capability MSRs; 0 or -ENODEV (logged). */
int vmx_controls_init(void);

/* Access rights <-> kvm-style segment (pure, host-tested). */
uint32_t vmx_segment_to_ar(const struct vcpu_segment *s);
void vmx_ar_to_segment(uint32_t ar, struct vcpu_segment *s);

struct vmx_vcpu {
	/* Offsets used by vmx_entry.S are given by the asm's own constants. */
	uint64_t host_rsp;		/* HOST_RSP last written to this VMCS */
	void *vmcs;
	paddr_t vmcs_pa;
	uint8_t *io_bitmap;		/* 8 KiB, two pages: bitmaps A and B */
	uint8_t *msr_bitmap;
	void *vapic;			/* TPR shadow page (CR8 without exits) */
	uint16_t vpid;
	bool launched;			/* VMLAUNCH done since the last VMCLEAR */
	int host_cpu;			/* CPU whose host fields the VMCS holds, -1 */
	bool loaded;			/* VMPTRLD on host_cpu, lazy MSRs live */
	uint32_t proc, proc2, entry;	/* cached control values */
	uint32_t exception_bitmap;
	/* Guest values the VMCS does not hold, switched in vcpu_load/put. */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base, tsc_aux;
	uint64_t cr2;
	uint64_t db[4], dr6;
	/* Host values saved by vcpu_load. */
	uint64_t host_star, host_lstar, host_cstar, host_sfmask, host_kernel_gs_base;
	uint64_t host_tsc_aux;
	/* An event an exit interrupted (IDT-vectoring information), re-injected. */
	uint32_t reinject_info, reinject_error, reinject_len;
	uint64_t saved_current;		/* VMCS current before a temporary access */
	uint64_t flush_gen;		/* vmx_flush_gen when this vcpu last flushed */
	bool event_queued;		/* ENTRY_INTR_INFO holds a valid event */
};

/* Bumped by vm_flush_tlb; a vcpu whose flush_gen lags runs INVEPT before entry. */
extern volatile uint64_t vmx_flush_gen;
void vmx_set_msr_intercept_raw(struct vmx_vcpu *x, uint32_t index, unsigned int access);

static inline struct vmx_vcpu *to_vmx(struct vcpu *v)
{
	return v->arch;
}

/* vmx_entry.S: enters the guest with the GPRs of @regs (RSP/RIP/RFLAGS come
 * from the VMCS). Returns 0 after a VM exit (GPRs saved into @regs), 1 on
 * VMfailInvalid, 2 on VMfailValid. */
int vmx_enter(struct vcpu_regs *regs, bool launched, uint64_t *host_rsp);
void vmx_exit_stub(void);

/* vmx_cpu.c */
int vmx_cpu_enable(void);
bool vmx_vmclear(paddr_t pa);
bool vmx_vmptrld(paddr_t pa);
void vmx_invvpid_single(uint16_t vpid);
void vmx_invept(paddr_t eptp);
uint32_t vmx_vmcs_revision(void);

/* vmx_vcpu.c */
int vmx_vcpu_init(struct vcpu *v);
void vmx_vcpu_free(struct vcpu *v);
void vmx_vcpu_load(struct vcpu *v);
void vmx_vcpu_put(struct vcpu *v);
/* Makes @v's VMCS current for a state access outside load/put; false when it
 * is loaded on another CPU. vmx_end_access undoes a temporary load. */
bool vmx_begin_access(struct vcpu *v, bool *temporary);
void vmx_end_access(struct vcpu *v, bool temporary);
uint64_t vmx_eptp(struct vm *vm);

/* vmx_run.c */
void vmx_vcpu_run(struct vcpu *v, struct vcpu_exit *exit);
uint64_t vmx_bare_loop_cycles(struct vcpu *v, uint64_t iterations);

/* vmx_exit.c: fills @exit from the VMCS exit information; returns true when
 * the exit was handled inside the backend and the guest should be resumed. */
bool vmx_translate_exit(struct vcpu *v, uint32_t reason, struct vcpu_exit *exit);

/* vmx_cr.c: a MOV-to-CR0/CR4 exit on a host-owned bit; true when handled. */
bool vmx_handle_cr_access(struct vcpu *v, uint64_t qual, struct vcpu_exit *exit);
int vmx_load_pdptes(struct vcpu *v, uint64_t cr3);

/* vmx_state.c */
void vmx_get_sregs(struct vcpu *v, struct vcpu_sregs *s);
int vmx_set_sregs(struct vcpu *v, const struct vcpu_sregs *s);
uint64_t vmx_get_cr8(struct vcpu *v);
void vmx_get_debugregs(struct vcpu *v, struct vcpu_debugregs *d);
void vmx_set_debugregs(struct vcpu *v, const struct vcpu_debugregs *d);
int vmx_get_msr(struct vcpu *v, uint32_t index, uint64_t *value);
int vmx_set_msr(struct vcpu *v, uint32_t index, uint64_t value);
void vmx_set_msr_intercept(struct vcpu *v, uint32_t index, unsigned int access);
void vmx_write_cr0(struct vcpu *v, uint64_t cr0);
void vmx_write_cr4(struct vcpu *v, uint64_t cr4);
void vmx_reset_state(struct vcpu *v);

/* vmx_events.c */
int vmx_inject_event(struct vcpu *v, const struct vcpu_event *e);
bool vmx_interrupt_allowed(struct vcpu *v);
bool vmx_nmi_allowed(struct vcpu *v);
void vmx_request_window(struct vcpu *v, bool irq, bool nmi);
void vmx_pending_event(struct vcpu *v, struct vcpu_event *e);
void vmx_set_exception_intercept(struct vcpu *v, uint8_t vector, bool on);
void vmx_skip_instruction(struct vcpu *v, unsigned int len);
/* vmx_event_state.c */
void vmx_get_interruptibility(struct vcpu *v, struct vcpu_interruptibility *st);
void vmx_set_interruptibility(struct vcpu *v, const struct vcpu_interruptibility *st);
void vmx_cancel_event(struct vcpu *v);
/* Exit bookkeeping: remember an interrupted event for re-injection. */
void vmx_save_idt_vectoring(struct vmx_vcpu *x);
/* Entry bookkeeping: put a remembered event back into the entry fields. */
void vmx_reinject(struct vmx_vcpu *x);

static inline bool is_canonical(uint64_t a)
{
	return (uint64_t)(((int64_t)a << 16) >> 16) == a;
}

#endif
