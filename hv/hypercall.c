/* Hypercall exits (see hv/hypercall.h). */
#include "hv/hypercall.h"
#include "hv/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"

void hypercall_emulate(struct vcpu *v)
{
	struct vcpu_sregs s;
	uint64_t args[4] = { v->regs.rbx, v->regs.rcx, v->regs.rdx, v->regs.rsi };
	uint64_t nr = v->regs.rax;
	unsigned int cpl;
	bool op64;
	int64_t ret;

	virt->get_sregs(v, &s);
	/* CPL is SS.DPL in protected mode; real mode is 0 and virtual-8086 3. */
	if (!(s.cr0 & CR0_PE))
		cpl = 0;
	else if (v->regs.rflags & X86_EFLAGS_VM)
		cpl = 3;
	else
		cpl = s.ss.dpl;
	op64 = (s.efer & EFER_LMA) && s.cs.l;
	if (!op64) {
		nr = (uint32_t)nr;
		for (int i = 0; i < 4; i++)
			args[i] = (uint32_t)args[i];
	}
	ret = hypercall_result(cpl, nr, args);
	v->regs.rax = op64 ? (uint64_t)ret : (uint32_t)ret;
}
