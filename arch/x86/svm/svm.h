/* Private interface between the files of the SVM backend. */
#ifndef ARCH_X86_SVM_SVM_H
#define ARCH_X86_SVM_SVM_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"
#include "hv/vcpu.h"
#include "arch/x86/svm/vmcb.h"

#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ull << 4)

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_PAT			0x277
#define MSR_CSTAR		0xc0000083

/* CPUID 0x8000000A EDX */
#define SVM_FEAT_NPT		(1u << 0)
#define SVM_FEAT_NRIPS		(1u << 3)
#define SVM_FEAT_FLUSH_BY_ASID	(1u << 6)
#define SVM_FEAT_DECODE_ASSISTS	(1u << 7)

/* What the CPU offers, read once on the boot CPU (APs are assumed identical). */
struct svm_caps {
	uint32_t features;	/* CPUID 0x8000000A EDX */
	uint32_t nr_asids;	/* CPUID 0x8000000A EBX; ASID 0 is the host's */
	bool nrips;
	bool decode_assists;
	uint8_t flush_asid_cmd;	/* TLB_CONTROL value that flushes one guest */
};
extern struct svm_caps svm_caps;

/* Per physical CPU. */
struct svm_cpu {
	bool enabled;
	paddr_t hsave_pa;	/* VM_HSAVE_PA: processor-private host save area */
	paddr_t host_vmcb_pa;	/* host FS/GS/TR/LDTR/syscall MSRs via VMSAVE/VMLOAD */
	struct vcpu *current;	/* vcpu whose DR0-3 are in this CPU's registers */
};
struct svm_cpu *svm_this_cpu(void);
struct svm_cpu *svm_cpu_by_id(unsigned int cpu);

/* Per vcpu (vcpu->arch). */
struct svm_vcpu {
	struct vmcb *vmcb;
	paddr_t vmcb_pa;
	paddr_t iopm_pa;
	uint8_t *msrpm;
	paddr_t msrpm_pa;

	uint32_t asid;
	bool asid_shared;	/* ran out of ASIDs: flush on every entry */
	int last_cpu;		/* CPU whose TLB may hold this ASID's entries, -1 none */
	int loaded_cpu;		/* CPU holding the guest DR0-3 (vcpu_load), -1 none */
	volatile bool flush_pending;	/* vm_flush_tlb asked for a flush */

	/* Event that an exit interrupted, re-injected at the next entry. */
	struct vcpu_event reinject;
	/* The soft event we injected this entry moved RIP past the INT. */
	bool soft_injected;
	uint8_t soft_len;	/* ... by this many bytes (undone by svm_cancel_event) */

	bool nmi_masked;	/* an NMI we injected has not IRETed yet */
	bool awaiting_iret;	/* IRET intercepted at iret_rip, not yet retired */
	uint64_t iret_rip;
	bool want_irq_window;
	bool want_nmi_window;

	uint64_t db[4];		/* guest DR0-3 while not loaded in hardware */
};

static inline struct svm_vcpu *to_svm(struct vcpu *v)
{
	return v->arch;
}

/* svm_entry.S: one guest entry. Loads the guest GPRs from @regs (except RAX,
 * RSP, RIP, RFLAGS, which live in the VMCB), runs the guest and stores them
 * back. Host state VMRUN does not switch is saved to / restored from the page
 * at @host_vmcb_pa with VMSAVE/VMLOAD; GIF stays clear until it is back. */
void svm_vmrun(struct vcpu_regs *regs, paddr_t vmcb_pa, paddr_t host_vmcb_pa);

/* svm_exit.c: translates the exit recorded in @vmcb (pure, host-testable). */
void svm_decode_exit(const struct vmcb *vmcb, const struct vcpu_regs *regs, bool nrips,
		     struct vcpu_exit *exit);

/* svm_seg.c: VMCB attribute format <-> kvm_segment (pure, host-testable). */
void svm_seg_get(const struct vmcb_seg *in, struct vcpu_segment *out);
void svm_seg_set(struct vmcb_seg *out, const struct vcpu_segment *in);
void svm_dtable_get(const struct vmcb_seg *in, struct vcpu_dtable *out);
void svm_dtable_set(struct vmcb_seg *out, const struct vcpu_dtable *in);

/* svm_state.c */
void svm_get_sregs(struct vcpu *v, struct vcpu_sregs *s);
int svm_set_sregs(struct vcpu *v, const struct vcpu_sregs *s);
uint64_t svm_get_cr8(struct vcpu *v);
void svm_get_debugregs(struct vcpu *v, struct vcpu_debugregs *d);
void svm_set_debugregs(struct vcpu *v, const struct vcpu_debugregs *d);
void svm_load_guest_dr(struct svm_vcpu *sv);
void svm_save_guest_dr(struct svm_vcpu *sv);

/* svm_msr.c */
void svm_msrpm_init(struct svm_vcpu *sv);
int svm_get_msr(struct vcpu *v, uint32_t index, uint64_t *value);
int svm_set_msr(struct vcpu *v, uint32_t index, uint64_t value);
void svm_set_msr_intercept(struct vcpu *v, uint32_t index, unsigned int access);

/* svm_events.c */
int svm_inject_event(struct vcpu *v, const struct vcpu_event *e);
bool svm_interrupt_allowed(struct vcpu *v);
bool svm_nmi_allowed(struct vcpu *v);
void svm_request_window(struct vcpu *v, bool irq, bool nmi);
void svm_pending_event(struct vcpu *v, struct vcpu_event *e);
void svm_events_before_entry(struct vcpu *v, struct svm_vcpu *sv);
void svm_events_after_exit(struct vcpu *v, struct svm_vcpu *sv);
/* svm_event_state.c */
void svm_cancel_event(struct vcpu *v);
void svm_get_interruptibility(struct vcpu *v, struct vcpu_interruptibility *st);
void svm_set_interruptibility(struct vcpu *v, const struct vcpu_interruptibility *st);
bool svm_window_exit(struct vcpu *v, struct svm_vcpu *sv, struct vcpu_exit *exit);

/* svm_run.c */
void svm_vcpu_run(struct vcpu *v, struct vcpu_exit *exit);
void svm_vcpu_load(struct vcpu *v);
void svm_vcpu_put(struct vcpu *v);
uint64_t svm_bare_loop_cycles(struct vcpu *v, uint64_t iterations);

/*
 * An INTn intercept (SVM_EXIT_SWINT, on only while #BP is intercepted): INT3
 * becomes the #BP exception exit (true: hand @exit on); INT n and INTO are
 * delivered to the guest as they would have been (false: enter again).
 */
bool svm_swint_exit(struct vcpu *v, struct vcpu_exit *exit);

#endif
