/*
 * Entering an SVM guest: register copies, ASID flushes, event re-injection
 * around svm_vmrun, and the exit translation. This is the per-exit hot path:
 * the common case is straight-line code with one predicted branch per rare
 * condition.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "hv/log.h"
#include "hv/percpu.h"
#include "hv/vm.h"

/* The guest DR0-3 live in the hardware of the CPU the vcpu is loaded on. */
void svm_vcpu_load(struct vcpu *v)
{
	struct svm_vcpu *sv = to_svm(v);
	struct svm_cpu *c = svm_this_cpu();
	int cpu = this_cpu()->cpu_id;

	if (c->current == v)
		return;
	if (c->current)
		svm_vcpu_put(c->current);
	svm_load_guest_dr(sv);
	c->current = v;
	sv->loaded_cpu = cpu;
	v->cpu = cpu;
	/* The root never moves, but re-reading it here is free. */
	sv->vmcb->control.n_cr3 = npt_root(v->vm->npt);
}

void svm_vcpu_put(struct vcpu *v)
{
	struct svm_vcpu *sv = to_svm(v);
	struct svm_cpu *c = svm_this_cpu();

	if (c->current != v)
		return;
	svm_save_guest_dr(sv);
	c->current = NULL;
	sv->loaded_cpu = -1;
	v->cpu = -1;
}

static inline void svm_regs_to_vmcb(struct vcpu *v, struct vmcb *vmcb)
{
	vmcb->save.rax = v->regs.rax;
	vmcb->save.rsp = v->regs.rsp;
	vmcb->save.rip = v->regs.rip;
	vmcb->save.rflags = v->regs.rflags;
}

static inline void svm_regs_from_vmcb(struct vcpu *v, const struct vmcb *vmcb)
{
	v->regs.rax = vmcb->save.rax;
	v->regs.rsp = vmcb->save.rsp;
	v->regs.rip = vmcb->save.rip;
	v->regs.rflags = vmcb->save.rflags;
}

/* Flush this vcpu's ASID when its TLB entries may be stale on this CPU: first
 * entry here, vm_flush_tlb, new sregs, or an ASID shared with other vcpus. */
static inline void svm_prepare_tlb(struct svm_vcpu *sv, int cpu)
{
	if (unlikely(sv->last_cpu != cpu || sv->asid_shared ||
		     __atomic_load_n(&sv->flush_pending, __ATOMIC_ACQUIRE))) {
		sv->vmcb->control.tlb_control = svm_caps.flush_asid_cmd;
		sv->last_cpu = cpu;
		__atomic_store_n(&sv->flush_pending, false, __ATOMIC_RELAXED);
	}
}

void svm_vcpu_run(struct vcpu *v, struct vcpu_exit *exit)
{
	struct svm_vcpu *sv = to_svm(v);
	struct svm_cpu *c = svm_this_cpu();
	struct vmcb *vmcb = sv->vmcb;

	if (unlikely(c->current != v))
		svm_vcpu_load(v);
again:
	svm_regs_to_vmcb(v, vmcb);
	svm_prepare_tlb(sv, sv->loaded_cpu);
	if (unlikely(sv->reinject.valid))
		svm_events_before_entry(v, sv);

	svm_vmrun(&v->regs, sv->vmcb_pa, c->host_vmcb_pa);

	vmcb->control.tlb_control = SVM_TLB_CONTROL_NONE;
	svm_regs_from_vmcb(v, vmcb);
	svm_events_after_exit(v, sv);
	svm_decode_exit(vmcb, &v->regs, svm_caps.nrips, exit);
	/* Back to the run loop, not `again`: a guest looping on INT n (a
	 * vector whose handler is INT n again, easy on random memory) or
	 * writing CRs in a loop must still see kicks and the end of its slice. */
	if (unlikely(vmcb->control.exit_code == SVM_EXIT_SWINT) && !svm_swint_exit(v, exit))
		exit->reason = EXIT_EMULATED;
	if (unlikely(vmcb->control.exit_code == SVM_EXIT_WRITE_CR0 ||
		     vmcb->control.exit_code == SVM_EXIT_WRITE_CR4) &&
	    !svm_cr_write_exit(v, exit, (unsigned int)(vmcb->control.exit_code - SVM_EXIT_WRITE_CR0)))
		exit->reason = EXIT_EMULATED;

	if (unlikely(exit->reason == EXIT_INTR_WINDOW || exit->reason == EXIT_NMI_WINDOW)) {
		if (!svm_window_exit(v, sv, exit))
			goto again;
	} else if (unlikely(sv->want_nmi_window && !sv->nmi_masked &&
			    exit->reason == EXIT_EXTINT)) {
		/* The NMI window opened (IRET retired) before this timer exit. */
		sv->want_nmi_window = false;
		exit->reason = EXIT_NMI_WINDOW;
	}
}

/*
 * make bench: the bare cost of a CPUID round trip, nothing but VMRUN, the
 * exit code check and RIP += 2. Host interrupt exits are resumed uncounted.
 */
uint64_t svm_bare_loop_cycles(struct vcpu *v, uint64_t iterations)
{
	struct svm_vcpu *sv = to_svm(v);
	struct svm_cpu *c;
	struct vmcb *vmcb = sv->vmcb;
	uint64_t start, end, i = 0;

	svm_vcpu_load(v);
	c = svm_this_cpu();
	svm_regs_to_vmcb(v, vmcb);
	svm_prepare_tlb(sv, sv->loaded_cpu);
	start = rdtsc();
	while (i < iterations) {
		svm_vmrun(&v->regs, sv->vmcb_pa, c->host_vmcb_pa);
		if (likely(vmcb->control.exit_code == SVM_EXIT_CPUID)) {
			vmcb->save.rip += 2;
			i++;
			continue;
		}
		vmcb->control.tlb_control = SVM_TLB_CONTROL_NONE;
		vmcb->control.event_inj = 0;
		if (vmcb->control.exit_code == SVM_EXIT_INTR || vmcb->control.exit_code == SVM_EXIT_NMI)
			continue;
		pr_err("svm: bench guest exited with code %#lx at rip %#lx, not CPUID\n",
		       (unsigned long)vmcb->control.exit_code, (unsigned long)vmcb->save.rip);
		svm_regs_from_vmcb(v, vmcb);
		return 0;
	}
	end = rdtsc();
	vmcb->control.tlb_control = SVM_TLB_CONTROL_NONE;
	vmcb->control.event_inj = 0;
	svm_regs_from_vmcb(v, vmcb);
	return end - start;
}
