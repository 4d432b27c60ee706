/*
 * One arch-neutral record of why the guest stopped. The VMX and SVM backends
 * translate their exit codes into it; hv/vcpu_run.c dispatches on `reason`
 * through a table of handlers.
 */
#ifndef HV_VCPU_EXIT_H
#define HV_VCPU_EXIT_H

#include "hv/types.h"

enum exit_reason {
	EXIT_NONE = 0,
	EXIT_IO,		/* IN/OUT/INS/OUTS: io.* */
	EXIT_MMIO,		/* EPT violation / #NPF on a GPA that is not RAM: mmio.* */
	EXIT_CPUID,
	EXIT_RDMSR,		/* msr.index = ECX */
	EXIT_WRMSR,
	EXIT_HLT,
	EXIT_HYPERCALL,		/* VMCALL or VMMCALL (either vendor's) */
	EXIT_SHUTDOWN,		/* triple fault */
	EXIT_EXTINT,		/* a host interrupt arrived (timer, IPI): handled, resume */
	EXIT_INTR_WINDOW,	/* the guest can now take an external interrupt */
	EXIT_NMI_WINDOW,	/* the guest can now take an NMI */
	EXIT_EXCEPTION,		/* an intercepted guest exception: exception.* */
	EXIT_VIRT_INSN,		/* the guest executed a VMX or SVM instruction (-> #UD) */
	EXIT_NPF_PROTECTION,	/* access violating EPT/NPT rights on RAM: mmio.* */
	EXIT_ENTRY_FAILED,	/* VM entry failed: fail.* says why */
	EXIT_UNHANDLED,		/* a hardware exit the core has no handler for */
	EXIT_XSETBV,		/* the guest wrote an XCR: ECX = index, EDX:EAX = value */
	EXIT_EMULATED,		/* the backend completed the instruction itself: resume */
	EXIT_REASON_COUNT
};

struct vcpu_exit {
	enum exit_reason reason;
	uint64_t hw_reason;	/* VMX basic exit reason or SVM EXITCODE, for logs */
	uint64_t hw_qual;	/* VMX exit qualification or SVM EXITINFO1, for logs */
	/* Length of the instruction that caused the exit, 0 when the hardware did
	 * not say (SVM without NRIP save): hv/ then decodes it where needed. */
	uint8_t insn_len;
	union {
		struct {
			uint16_t port;
			uint8_t size;		/* 1, 2 or 4 */
			bool in;
			bool string;		/* INS/OUTS */
			bool rep;
			uint8_t addr_size;	/* string: 2, 4 or 8 */
			int8_t seg;		/* string OUTS: enum seg_reg, -1 if unknown */
			/* For the owner: number of elements of @size bytes in
			 * vcpu->pio_data (OUT: to consume; IN: to fill). The run
			 * loop turns string I/O into page-sized chunks of these. */
			uint32_t count;
		} io;
		struct {
			uint64_t gpa;
			bool write;
			bool fetch;
			bool gva_valid;		/* gva holds the linear address */
			uint64_t gva;
		} mmio;
		struct {
			uint32_t index;
		} msr;
		struct {
			uint8_t vector;
			bool has_error_code;
			uint32_t error_code;
			uint64_t cr2;		/* #PF: faulting address */
			/* #DB: what DR6 says about its cause, as the guest
			 * would read it (reserved bits as DR6 reads them). */
			uint64_t dr6;
		} exception;
		struct {
			uint32_t code;		/* VM-instruction error / SVM exitcode */
			const char *why;
		} fail;
	};
};

const char *exit_reason_name(enum exit_reason r);

#endif
