/*
 * Guest CPU state in KVM's terms, so the KVM ABI layer is a thin copy:
 * struct vcpu_regs is laid out like struct kvm_regs, vcpu_segment like
 * kvm_segment (including `unusable`), vcpu_sregs like kvm_sregs without the
 * interrupt bitmap.
 */
#ifndef HV_VCPU_STATE_H
#define HV_VCPU_STATE_H

#include "hv/types.h"

struct vcpu_regs {
	uint64_t rax, rbx, rcx, rdx;
	uint64_t rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11;
	uint64_t r12, r13, r14, r15;
	uint64_t rip, rflags;
};
_Static_assert(sizeof(struct vcpu_regs) == 18 * 8, "vcpu_regs mirrors kvm_regs");

/* x86 register numbers as the instruction encoding uses them (ModRM/REX). */
enum gpr {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
};

/* The GPR with encoding number @n (enum gpr) inside struct vcpu_regs, whose
 * order is KVM's (rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8...), not the
 * encoding's. */
static inline uint64_t *vcpu_regs_gpr(struct vcpu_regs *r, unsigned int n)
{
	static const uint8_t kvm_index[16] = { 0, 2, 3, 1, 6, 7, 4, 5,
					       8, 9, 10, 11, 12, 13, 14, 15 };

	return &((uint64_t *)r)[kvm_index[n & 15]];
}

struct vcpu_segment {
	uint64_t base;
	uint32_t limit;		/* byte granular (already scaled by G) */
	uint16_t selector;
	uint8_t type;
	uint8_t present, dpl, db, s, l, g, avl;
	uint8_t unusable;
	uint8_t padding;
};
_Static_assert(sizeof(struct vcpu_segment) == 24, "vcpu_segment mirrors kvm_segment");

struct vcpu_dtable {
	uint64_t base;
	uint16_t limit;
	uint16_t padding[3];
};

enum seg_reg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_TR, SEG_LDTR, SEG_COUNT };

struct vcpu_sregs {
	struct vcpu_segment cs, ds, es, fs, gs, ss;
	struct vcpu_segment tr, ldt;
	struct vcpu_dtable gdt, idt;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	uint64_t apic_base;
};

/* Debug registers (kvm_debugregs without flags/padding). */
struct vcpu_debugregs {
	uint64_t db[4];
	uint64_t dr6, dr7;
};

/* An event to deliver at the next entry, or the one that was being delivered
 * when an exit interrupted it (re-injected by the backend). */
enum vcpu_event_type {
	EVENT_EXTINT = 0,	/* external interrupt */
	EVENT_NMI = 2,
	EVENT_EXCEPTION = 3,	/* hardware exception */
	EVENT_SOFT_INT = 4,	/* INT n */
	EVENT_SOFT_EXCEPTION = 6,	/* INT3, INTO */
};

struct vcpu_event {
	bool valid;
	uint8_t type;		/* enum vcpu_event_type */
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	uint8_t insn_len;	/* soft interrupts: length of the INT instruction */
};

/* Interrupt shadow and NMI blocking: state KVM_GET/SET_VCPU_EVENTS carries
 * that lives in the VMCS/VMCB. */
struct vcpu_interruptibility {
	bool sti;		/* one-instruction shadow after STI */
	bool mov_ss;		/* ... after MOV SS / POP SS */
	bool nmi_masked;	/* NMIs blocked until the guest's next IRET */
};

#define X86_EFLAGS_IF		(1UL << 9)
#define X86_EFLAGS_TF		(1UL << 8)
#define X86_EFLAGS_VM		(1UL << 17)
#define X86_EFLAGS_FIXED	(1UL << 1)

/* Exception vectors. */
#define X86_DE	0
#define X86_DB	1
#define X86_NMI	2
#define X86_BP	3
#define X86_OF	4
#define X86_BR	5
#define X86_UD	6
#define X86_NM	7
#define X86_DF	8
#define X86_TS	10
#define X86_NP	11
#define X86_SS	12
#define X86_GP	13
#define X86_PF	14
#define X86_MF	16
#define X86_AC	17
#define X86_MC	18
#define X86_XM	19

#endif
