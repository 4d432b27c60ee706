/*
 * Basic VM-exit reason -> struct vcpu_exit, through a table indexed by the
 * reason. Handlers read only the VMCS fields their exit needs; a handler
 * returning true handled the exit inside the backend (the guest resumes).
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "hv/log.h"
#include "arch/x86/virt.h"

enum {
	VMX_EXIT_EXCEPTION_NMI = 0, VMX_EXIT_EXTINT = 1, VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_INTR_WINDOW = 7, VMX_EXIT_NMI_WINDOW = 8, VMX_EXIT_CPUID = 10,
	VMX_EXIT_HLT = 12, VMX_EXIT_VMCALL = 18, VMX_EXIT_VMCLEAR = 19,
	VMX_EXIT_VMLAUNCH = 20, VMX_EXIT_VMPTRLD = 21, VMX_EXIT_VMPTRST = 22,
	VMX_EXIT_VMREAD = 23, VMX_EXIT_VMRESUME = 24, VMX_EXIT_VMWRITE = 25,
	VMX_EXIT_VMXOFF = 26, VMX_EXIT_VMXON = 27, VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_IO = 30, VMX_EXIT_RDMSR = 31, VMX_EXIT_WRMSR = 32,
	VMX_EXIT_BAD_GUEST_STATE = 33, VMX_EXIT_MSR_LOADING = 34,
	VMX_EXIT_MACHINE_CHECK = 41, VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_EPT_MISCONFIG = 49, VMX_EXIT_INVEPT = 50, VMX_EXIT_INVVPID = 53,
	VMX_EXIT_VMFUNC = 59, VMX_EXIT_MAX = 70,
};

typedef bool (*exit_handler)(struct vcpu *v, struct vcpu_exit *e);

/* With virtual NMIs, an exit in the middle of an IRET that unblocked NMIs
 * must put the blocking back before the guest resumes (SDM "NMI unblocking"). */
static void nmi_unblocked_by_iret(uint64_t bit12_source)
{
	if ((bit12_source & (1u << 12)) &&
	    !(vmcs_read(VMCS_IDT_VECTORING_INFO) & INTR_INFO_VALID))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
}

static bool exit_exception(struct vcpu *v, struct vcpu_exit *e)
{
	uint32_t info = vmcs_read(VMCS_EXIT_INTR_INFO);

	(void)v;
	nmi_unblocked_by_iret(info);
	if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI) {
		/* A host NMI: run the host's handler as if it had arrived here. */
		__asm__ volatile("int $2" ::: "memory");
		e->reason = EXIT_EXTINT;
		return false;
	}
	e->reason = EXIT_EXCEPTION;
	e->exception.vector = INTR_INFO_VECTOR(info);
	e->exception.has_error_code = info & INTR_INFO_ERROR_CODE;
	e->exception.error_code = e->exception.has_error_code ?
				  vmcs_read(VMCS_EXIT_INTR_ERROR) : 0;
	e->exception.cr2 = 0;
	e->exception.dr6 = 0;
	if (e->exception.vector == X86_PF)
		e->exception.cr2 = e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	/* A #DB exit leaves DR6 alone: the qualification holds its B0-B3, BD
	 * and BS bits, in DR6's positions; the rest reads as DR6's fixed ones. */
	if (e->exception.vector == X86_DB)
		e->exception.dr6 = (e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION)) |
				   DR6_FIXED_ONES;
	return false;
}

#define SIMPLE_EXIT(name, r)							\
	static bool name(struct vcpu *v, struct vcpu_exit *e)			\
	{ (void)v; e->reason = (r); return false; }
SIMPLE_EXIT(exit_extint, EXIT_EXTINT)
SIMPLE_EXIT(exit_triple_fault, EXIT_SHUTDOWN)
SIMPLE_EXIT(exit_intr_window, EXIT_INTR_WINDOW)
SIMPLE_EXIT(exit_nmi_window, EXIT_NMI_WINDOW)
SIMPLE_EXIT(exit_cpuid, EXIT_CPUID)
SIMPLE_EXIT(exit_hlt, EXIT_HLT)
SIMPLE_EXIT(exit_vmcall, EXIT_HYPERCALL)
SIMPLE_EXIT(exit_virt_insn, EXIT_VIRT_INSN)

static bool exit_rdmsr(struct vcpu *v, struct vcpu_exit *e)
{
	e->reason = EXIT_RDMSR;
	e->msr.index = (uint32_t)v->regs.rcx;
	return false;
}

static bool exit_wrmsr(struct vcpu *v, struct vcpu_exit *e)
{
	e->reason = EXIT_WRMSR;
	e->msr.index = (uint32_t)v->regs.rcx;
	return false;
}

static bool exit_io(struct vcpu *v, struct vcpu_exit *e)
{
	uint64_t q = e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);

	e->reason = EXIT_IO;
	e->io.size = (q & 7) + 1;
	e->io.in = q & (1 << 3);
	e->io.string = q & (1 << 4);
	e->io.rep = q & (1 << 5);
	e->io.port = q >> 16;
	e->io.addr_size = 0;
	e->io.seg = -1;
	e->io.count = 0;
	if (!e->io.string)
		return false;
	if (vmx_caps.basic & VMX_BASIC_INSOUTS_INFO) {
		uint32_t info = vmcs_read(VMCS_EXIT_INSN_INFO);

		e->io.addr_size = 2 << ((info >> 7) & 7);
		/* ES..GS are numbered as in enum seg_reg. */
		e->io.seg = e->io.in ? SEG_ES : (int8_t)((info >> 15) & 7);
	} else {
		/* Without the information field: the default address size of the
		 * code segment (an address-size prefix is not seen). */
		uint32_t cs_ar = vmcs_read(VMCS_GUEST_AR(1));

		if (to_vmx(v)->entry & ENTRY_IA32E_GUEST && (cs_ar & (1u << 13)))
			e->io.addr_size = 8;
		else
			e->io.addr_size = (cs_ar & (1u << 14)) ? 4 : 2;
		if (e->io.in)
			e->io.seg = SEG_ES;
	}
	return false;
}

static bool exit_cr_access(struct vcpu *v, struct vcpu_exit *e)
{
	e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	if (vmx_handle_cr_access(v, e->hw_qual, e))
		return true;
	e->reason = EXIT_UNHANDLED;
	return false;
}

static bool exit_ept_violation(struct vcpu *v, struct vcpu_exit *e)
{
	uint64_t q = e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);

	(void)v;
	nmi_unblocked_by_iret(q);
	/* Bits 5:3: the rights of the translation; any set means it was mapped. */
	e->reason = (q & 0x38) ? EXIT_NPF_PROTECTION : EXIT_MMIO;
	e->mmio.gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);
	e->mmio.write = q & (1 << 1);
	e->mmio.fetch = q & (1 << 2);
	e->mmio.gva_valid = q & (1 << 7);
	e->mmio.gva = e->mmio.gva_valid ? vmcs_read(VMCS_GUEST_LINEAR_ADDR) : 0;
	return false;
}

static bool exit_ept_misconfig(struct vcpu *v, struct vcpu_exit *e)
{
	uint64_t gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);

	pr_err("vmx: vcpu %u: EPT misconfiguration at GPA %#lx\n", v->id, gpa);
	e->reason = EXIT_ENTRY_FAILED;
	e->fail.code = VMX_EXIT_EPT_MISCONFIG;
	e->fail.why = "EPT misconfiguration";
	return false;
}

static const exit_handler exit_handlers[VMX_EXIT_MAX] = {
	[VMX_EXIT_EXCEPTION_NMI]	= exit_exception,
	[VMX_EXIT_EXTINT]		= exit_extint,
	[VMX_EXIT_TRIPLE_FAULT]		= exit_triple_fault,
	[VMX_EXIT_INTR_WINDOW]		= exit_intr_window,
	[VMX_EXIT_NMI_WINDOW]		= exit_nmi_window,
	[VMX_EXIT_CPUID]		= exit_cpuid,
	[VMX_EXIT_HLT]			= exit_hlt,
	[VMX_EXIT_VMCALL]		= exit_vmcall,
	[VMX_EXIT_VMCLEAR]		= exit_virt_insn,
	[VMX_EXIT_VMLAUNCH]		= exit_virt_insn,
	[VMX_EXIT_VMPTRLD]		= exit_virt_insn,
	[VMX_EXIT_VMPTRST]		= exit_virt_insn,
	[VMX_EXIT_VMREAD]		= exit_virt_insn,
	[VMX_EXIT_VMRESUME]		= exit_virt_insn,
	[VMX_EXIT_VMWRITE]		= exit_virt_insn,
	[VMX_EXIT_VMXOFF]		= exit_virt_insn,
	[VMX_EXIT_VMXON]		= exit_virt_insn,
	[VMX_EXIT_INVEPT]		= exit_virt_insn,
	[VMX_EXIT_INVVPID]		= exit_virt_insn,
	[VMX_EXIT_VMFUNC]		= exit_virt_insn,
	[VMX_EXIT_CR_ACCESS]		= exit_cr_access,
	[VMX_EXIT_IO]			= exit_io,
	[VMX_EXIT_RDMSR]		= exit_rdmsr,
	[VMX_EXIT_WRMSR]		= exit_wrmsr,
	[VMX_EXIT_EPT_VIOLATION]	= exit_ept_violation,
	[VMX_EXIT_EPT_MISCONFIG]	= exit_ept_misconfig,
};

static const char *const entry_fail_why[] = {
	[VMX_EXIT_BAD_GUEST_STATE]	= "invalid guest state",
	[VMX_EXIT_MSR_LOADING]		= "MSR loading",
	[VMX_EXIT_MACHINE_CHECK]	= "machine check during VM entry",
};

bool vmx_translate_exit(struct vcpu *v, uint32_t reason, struct vcpu_exit *e)
{
	uint16_t basic = reason & 0xffff;

	e->hw_reason = basic;
	e->hw_qual = 0;
	if (unlikely(reason & EXIT_REASON_ENTRY_FAIL)) {
		e->reason = EXIT_ENTRY_FAILED;
		e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
		e->fail.code = basic;
		e->fail.why = (basic < ARRAY_SIZE(entry_fail_why) && entry_fail_why[basic]) ?
			      entry_fail_why[basic] : "VM entry failure";
		return false;
	}
	if (likely(basic < VMX_EXIT_MAX && exit_handlers[basic]))
		return exit_handlers[basic](v, e);
	e->reason = EXIT_UNHANDLED;
	e->hw_qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	return false;
}
