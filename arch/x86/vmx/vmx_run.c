/*
 * The VM entry/exit round trip: sync RIP/RSP/RFLAGS, re-inject an interrupted
 * event, enter, and translate the exit. Kept short: it is the benchmarked path.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/log.h"
#include "hv/vm.h"

volatile uint64_t vmx_flush_gen;

static void entry_failed(struct vcpu_exit *e, int status)
{
	e->reason = EXIT_ENTRY_FAILED;
	e->hw_reason = 0;
	e->hw_qual = 0;
	e->insn_len = 0;
	if (status == 1) {
		e->fail.code = 0;
		e->fail.why = "VMfailInvalid (no current VMCS)";
	} else {
		/* VM-instruction error: 7 bad control fields, 8 bad host state... */
		e->fail.code = vmcs_read(VMCS_VM_INSN_ERROR);
		e->fail.why = "VMfailValid (see VM-instruction error)";
	}
}

/* Brings the guest's TLB up to date with the last vm_flush_tlb. */
static void sync_tlb(struct vcpu *v, struct vmx_vcpu *x)
{
	uint64_t gen = vmx_flush_gen;

	if (likely(x->flush_gen == gen))
		return;
	x->flush_gen = gen;
	vmx_invept(vmx_eptp(v->vm));
}

void vmx_vcpu_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t flags;
	uint32_t reason;
	int st;

	if (unlikely(!x->loaded)) {
		e->reason = EXIT_ENTRY_FAILED;
		e->fail.code = 0;
		e->fail.why = "vcpu not loaded on this CPU";
		return;
	}
	sync_tlb(v, x);
	do {
		vmcs_write(VMCS_GUEST_RIP, v->regs.rip);
		vmcs_write(VMCS_GUEST_RSP, v->regs.rsp);
		vmcs_write(VMCS_GUEST_RFLAGS, v->regs.rflags);
		if (unlikely(x->reinject_info & INTR_INFO_VALID))
			vmx_reinject(x);

		flags = read_rflags();
		irq_disable();
		st = vmx_enter(&v->regs, x->launched, &x->host_rsp);
		if (unlikely(st)) {
			entry_failed(e, st);
			if (flags & X86_EFLAGS_IF)
				irq_enable();
			return;
		}
		reason = vmcs_read(VMCS_EXIT_REASON);
		/* An entry that failed on guest state leaves the VMCS clear: the
		 * next entry must be VMLAUNCH again (VMRESUME would VMfail). */
		if (likely(!(reason & EXIT_REASON_ENTRY_FAIL)))
			x->launched = true;
		v->regs.rip = vmcs_read(VMCS_GUEST_RIP);
		v->regs.rsp = vmcs_read(VMCS_GUEST_RSP);
		v->regs.rflags = vmcs_read(VMCS_GUEST_RFLAGS);
		e->insn_len = vmcs_read(VMCS_EXIT_INSN_LEN);
		vmx_save_idt_vectoring(x);
		st = vmx_translate_exit(v, reason, e);
		/* A pending host interrupt is taken here, by the host IDT. */
		if (flags & X86_EFLAGS_IF)
			irq_enable();
	} while (st);
}

uint64_t vmx_bare_loop_cycles(struct vcpu *v, uint64_t iterations)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t flags = read_rflags(), start, n = 0;
	uint32_t reason;

	if (!x->loaded)
		return 0;
	sync_tlb(v, x);
	vmcs_write(VMCS_GUEST_RIP, v->regs.rip);
	vmcs_write(VMCS_GUEST_RSP, v->regs.rsp);
	vmcs_write(VMCS_GUEST_RFLAGS, v->regs.rflags);
	start = rdtsc();
	while (n < iterations) {
		irq_disable();
		if (vmx_enter(&v->regs, x->launched, &x->host_rsp)) {
			pr_err("vmx: bare loop: VM entry failed (error %lu)\n",
			       vmcs_read(VMCS_VM_INSN_ERROR));
			n = 0;
			break;
		}
		x->launched = true;
		reason = vmcs_read(VMCS_EXIT_REASON);
		if (flags & X86_EFLAGS_IF)
			irq_enable();
		if (reason == 10) {			/* CPUID */
			vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) +
				   vmcs_read(VMCS_EXIT_INSN_LEN));
			n++;
		} else if (reason != 1) {		/* host interrupts just resume */
			pr_err("vmx: bare loop: unexpected exit %u\n", reason);
			n = 0;
			break;
		}
	}
	start = n ? rdtsc() - start : 0;
	v->regs.rip = vmcs_read(VMCS_GUEST_RIP);
	v->regs.rsp = vmcs_read(VMCS_GUEST_RSP);
	v->regs.rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	if (flags & X86_EFLAGS_IF)
		irq_enable();
	return start;
}
