/*
 * The hardware-virtualization backend: VMX (arch/x86/vmx/) or SVM
 * (arch/x86/svm/) behind one ops table, chosen at boot from CPUID. Generic
 * code in hv/ never touches a VMCS or VMCB.
 *
 * Register convention: struct vcpu->regs is the authoritative copy of the
 * guest's GPRs, RIP and RFLAGS for generic code. The backend copies RIP, RSP,
 * RFLAGS (and RAX on SVM) from the VMCS/VMCB into vcpu->regs after every exit
 * and back before every entry, so handlers just edit vcpu->regs.
 */
#ifndef ARCH_X86_VIRT_H
#define ARCH_X86_VIRT_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"

struct vcpu;
struct vm;

/* DR6 bits that read as 1 when no debug condition clears them (the reset
 * value): the base every reported DR6 is built on. */
#define DR6_FIXED_ONES	0xffff0ff0ULL

/* Intercept knobs generic code may turn (the backend always intercepts what
 * isolation needs: VMX/SVM instructions, NMIs/INIT, host interrupts...). */
enum msr_access { MSR_INTERCEPT_READ = 1, MSR_INTERCEPT_WRITE = 2 };

struct virt_ops {
	const char *name;			/* "vmx" or "svm" */

	/* Per physical CPU: turn virtualization on (VMXON / EFER.SVME + host save
	 * area). Called on every CPU after cpu_tables_init. 0 or negative errno. */
	int (*cpu_enable)(void);

	/* VM-wide: the nested page table root changed or mappings were removed. */
	int (*vm_init)(struct vm *vm);		/* e.g. choose the EPT/NPT format */
	void (*vm_flush_tlb)(struct vm *vm);	/* INVEPT / ASID flush on all CPUs */

	/* vcpu lifetime. vcpu_init puts the vcpu in the x86 reset state
	 * (real mode, CS:IP = f000:fff0, CS base ffff0000). */
	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_free)(struct vcpu *v);
	/* Make @v current on this CPU / release it (VMPTRLD/VMCLEAR, ASID). */
	void (*vcpu_load)(struct vcpu *v);
	void (*vcpu_put)(struct vcpu *v);

	/* Enter the guest and return at the first exit, described in @exit.
	 * Interrupts are enabled in the host around this call; a host interrupt
	 * arriving in guest mode exits with EXIT_EXTINT after the host handled it. */
	void (*vcpu_run)(struct vcpu *v, struct vcpu_exit *exit);

	/* Segment, control and system registers (validated on set: -EINVAL). */
	void (*get_sregs)(struct vcpu *v, struct vcpu_sregs *s);
	int (*set_sregs)(struct vcpu *v, const struct vcpu_sregs *s);
	/* The guest's CR8 (TPR[7:4]) alone: every exit to the device model
	 * reports it in kvm_run, and get_sregs would read all the segments. */
	uint64_t (*get_cr8)(struct vcpu *v);
	void (*get_debugregs)(struct vcpu *v, struct vcpu_debugregs *d);
	void (*set_debugregs)(struct vcpu *v, const struct vcpu_debugregs *d);
	/* Guest MSRs kept in the VMCS/VMCB or switched by the backend (EFER, PAT,
	 * SYSENTER_*, FS/GS base, KERNEL_GS_BASE, STAR/LSTAR/CSTAR/SFMASK, TSC_AUX).
	 * Return -ENOENT for an MSR the backend does not hold. */
	int (*get_msr)(struct vcpu *v, uint32_t index, uint64_t *value);
	int (*set_msr)(struct vcpu *v, uint32_t index, uint64_t value);
	void (*set_msr_intercept)(struct vcpu *v, uint32_t index, unsigned int access);

	/* Events. inject_event queues @e for the next entry (-EBUSY if one is
	 * queued). interrupt_allowed: RFLAGS.IF set, no STI/MOV SS shadow, no
	 * event pending. request_window asks for an exit as soon as an external
	 * interrupt (irq) or NMI can be delivered. */
	int (*inject_event)(struct vcpu *v, const struct vcpu_event *e);
	bool (*interrupt_allowed)(struct vcpu *v);
	bool (*nmi_allowed)(struct vcpu *v);
	void (*request_window)(struct vcpu *v, bool irq, bool nmi);
	/* The event that an exit interrupted, which the backend will re-inject
	 * (for KVM_GET_VCPU_EVENTS); valid=false if none. */
	void (*pending_event)(struct vcpu *v, struct vcpu_event *e);
	/* Forgets the event pending_event reports (queued or to be re-injected),
	 * so KVM_SET_VCPU_EVENTS can replace it; a no-op when there is none. */
	void (*cancel_event)(struct vcpu *v);
	/* Interrupt shadow and NMI blocking (KVM_GET/SET_VCPU_EVENTS). */
	void (*get_interruptibility)(struct vcpu *v, struct vcpu_interruptibility *st);
	void (*set_interruptibility)(struct vcpu *v, const struct vcpu_interruptibility *st);

	/* Intercept (or not) a guest exception vector (EXIT_EXCEPTION). */
	void (*set_exception_intercept)(struct vcpu *v, uint8_t vector, bool on);

	/* Advance RIP past the current instruction of @len bytes and clear the
	 * interrupt shadow. */
	void (*skip_instruction)(struct vcpu *v, unsigned int len);

	/* Guest TSC = host TSC + offset. */
	void (*set_tsc_offset)(struct vcpu *v, int64_t offset);

	/* Benchmark support: run @iterations bare round trips of a guest that
	 * executes CPUID in a loop, resuming with only the RIP advance — no
	 * generic dispatch. Returns TSC cycles spent, or 0 if unsupported. */
	uint64_t (*bare_loop_cycles)(struct vcpu *v, uint64_t iterations);
};

/* The backend in use (NULL when the CPU has neither VMX nor SVM usable). */
extern const struct virt_ops *virt;

/* Picks the backend from cpu_features and enables it on the calling CPU.
 * Returns 0, or a negative errno (logged) when virtualization is unavailable. */
int virt_init_bsp(void);
/* Enables the chosen backend on an AP (from smp.c). */
int virt_init_ap(void);

extern const struct virt_ops vmx_ops;
extern const struct virt_ops svm_ops;

#endif
