/*
 * SVM EXITCODE -> struct vcpu_exit. Codes below SVM_EXIT_TABLE_SIZE go through
 * a designated-initializer table; #NPF and VMEXIT_INVALID are the only codes
 * above it we expect. Pure: reads the VMCB only, so it is host-tested.
 */
#include "arch/x86/svm/svm.h"
#include "hv/string.h"

typedef void (*exit_decoder)(const struct vmcb *vmcb, const struct vcpu_regs *regs,
			     struct vcpu_exit *exit);

struct svm_exit_desc {
	uint8_t reason;		/* enum exit_reason; EXIT_NONE = not expected */
	/* Length of the intercepted instruction when NRIP save is missing: the
	 * instructions below have one encoding each and guests do not prefix
	 * them. 0 for exits that are not instruction intercepts. */
	uint8_t insn_len;
	exit_decoder decode;	/* fills the union part, may be NULL */
};

static void decode_ioio(const struct vmcb *vmcb, const struct vcpu_regs *regs,
                        struct vcpu_exit *exit)
{
	uint64_t info = vmcb->control.exit_info1;
	unsigned int sz = (info >> SVM_IOIO_SZ_SHIFT) & 7;	/* one-hot 1/2/4 */
	unsigned int a = (info >> SVM_IOIO_A_SHIFT) & 7;	/* one-hot 16/32/64 */

	(void)regs;
	exit->io.port = info >> SVM_IOIO_PORT_SHIFT;
	exit->io.size = sz == 4 ? 4 : sz;
	exit->io.in = info & SVM_IOIO_IN;
	exit->io.string = info & SVM_IOIO_STR;
	exit->io.rep = info & SVM_IOIO_REP;
	exit->io.addr_size = a == 4 ? 8 : a == 2 ? 4 : 2;
	/* The segment field is only filled with decode assists; callers that
	 * need OUTS's segment decode the prefix themselves when seg is -1. */
	exit->io.seg = -1;
	exit->io.count = 1;
	/* EXITINFO2 is the RIP of the next instruction, with or without NRIPS. */
	exit->insn_len = vmcb->control.exit_info2 - vmcb->save.rip;
}

static void decode_msr(const struct vmcb *vmcb, const struct vcpu_regs *regs,
                       struct vcpu_exit *exit)
{
	exit->reason = vmcb->control.exit_info1 ? EXIT_WRMSR : EXIT_RDMSR;
	exit->msr.index = (uint32_t)regs->rcx;
}

static void decode_npf(const struct vmcb *vmcb, struct vcpu_exit *exit)
{
	uint64_t err = vmcb->control.exit_info1;

	exit->reason = (err & SVM_NPF_PRESENT) ? EXIT_NPF_PROTECTION : EXIT_MMIO;
	exit->mmio.gpa = vmcb->control.exit_info2;
	exit->mmio.write = err & SVM_NPF_WRITE;
	exit->mmio.fetch = err & SVM_NPF_FETCH;
	/* SVM does not report the linear address of a #NPF. */
	exit->mmio.gva_valid = false;
	exit->mmio.gva = 0;
}

static bool exception_has_error_code(uint8_t vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
	       vector == 21 || vector == 29 || vector == 30;
}

static void decode_exception(const struct vmcb *vmcb, const struct vcpu_regs *regs,
                             struct vcpu_exit *exit)
{
	uint8_t vector = vmcb->control.exit_code - SVM_EXIT_EXCP_BASE;

	(void)regs;
	exit->exception.vector = vector;
	exit->exception.has_error_code = exception_has_error_code(vector);
	exit->exception.error_code = exit->exception.has_error_code ?
		(uint32_t)vmcb->control.exit_info1 : 0;
	exit->exception.cr2 = vector == 14 ? vmcb->control.exit_info2 : 0;
	/* An intercepted #DB has already updated the guest's DR6 in the VMCB. */
	exit->exception.dr6 = vector == 1 ? vmcb->save.dr6 : 0;
}

#define EXCP(n)		[SVM_EXIT_EXCP_BASE + (n)] = { EXIT_EXCEPTION, 0, decode_exception }
#define INSN(r, len)	{ (r), (len), NULL }

static const struct svm_exit_desc svm_exit_table[SVM_EXIT_TABLE_SIZE] = {
	EXCP(0), EXCP(1), EXCP(2), EXCP(3), EXCP(4), EXCP(5), EXCP(6), EXCP(7),
	EXCP(8), EXCP(9), EXCP(10), EXCP(11), EXCP(12), EXCP(13), EXCP(14), EXCP(15),
	EXCP(16), EXCP(17), EXCP(18), EXCP(19), EXCP(20), EXCP(21), EXCP(22), EXCP(23),
	EXCP(24), EXCP(25), EXCP(26), EXCP(27), EXCP(28), EXCP(29), EXCP(30), EXCP(31),
	[SVM_EXIT_INTR]		= INSN(EXIT_EXTINT, 0),
	[SVM_EXIT_NMI]		= INSN(EXIT_EXTINT, 0),
	[SVM_EXIT_SMI]		= INSN(EXIT_EXTINT, 0),
	[SVM_EXIT_VINTR]	= INSN(EXIT_INTR_WINDOW, 0),
	[SVM_EXIT_CPUID]	= INSN(EXIT_CPUID, 2),
	[SVM_EXIT_IRET]		= INSN(EXIT_NMI_WINDOW, 0),
	[SVM_EXIT_HLT]		= INSN(EXIT_HLT, 1),
	[SVM_EXIT_IOIO]		= { EXIT_IO, 0, decode_ioio },
	[SVM_EXIT_MSR]		= { EXIT_RDMSR, 2, decode_msr },
	[SVM_EXIT_SHUTDOWN]	= INSN(EXIT_SHUTDOWN, 0),
	[SVM_EXIT_VMMCALL]	= INSN(EXIT_HYPERCALL, 3),
	[SVM_EXIT_VMRUN]	= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_VMLOAD]	= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_VMSAVE]	= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_STGI]		= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_CLGI]		= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_SKINIT]	= INSN(EXIT_VIRT_INSN, 3),
	[SVM_EXIT_INVLPGA]	= INSN(EXIT_VIRT_INSN, 3),
};

void svm_decode_exit(const struct vmcb *vmcb, const struct vcpu_regs *regs, bool nrips,
		     struct vcpu_exit *exit)
{
	uint64_t code = vmcb->control.exit_code;
	const struct svm_exit_desc *d;

	exit->hw_reason = code;
	exit->hw_qual = vmcb->control.exit_info1;
	exit->insn_len = 0;

	if (likely(code < SVM_EXIT_TABLE_SIZE)) {
		d = &svm_exit_table[code];
		if (unlikely(d->reason == EXIT_NONE)) {
			exit->reason = EXIT_UNHANDLED;
			return;
		}
		exit->reason = d->reason;
		if (d->insn_len)
			exit->insn_len = nrips ? vmcb->control.next_rip - vmcb->save.rip :
				d->insn_len;
		if (d->decode)
			d->decode(vmcb, regs, exit);
		return;
	}
	if (code == SVM_EXIT_NPF) {
		decode_npf(vmcb, exit);
		return;
	}
	/* APM: EXITCODE is -1. QEMU's TCG writes it as a 32-bit -1 (upper
	 * half zero), and no valid exit code has those low 32 bits. */
	if (code == SVM_EXIT_INVALID || (uint32_t)code == (uint32_t)SVM_EXIT_INVALID) {
		exit->reason = EXIT_ENTRY_FAILED;
		exit->fail.code = (uint32_t)code;
		exit->fail.why = "VMRUN rejected the guest state (VMEXIT_INVALID)";
		return;
	}
	exit->reason = EXIT_UNHANDLED;
}
