/*
 * What a thread switch changes besides the stack (sched_switch_locked): the
 * FPU/SSE state of user threads (eagerly: the core itself never touches
 * those registers), the FS base (TLS), the stack ring 3 enters the core on,
 * and the address space.
 */
#include "hv/sched_priv.h"
#include "hv/aspace.h"
#include "hv/fpu.h"
#include "hv/percpu.h"
#include "hv/process.h"
#include "arch/x86/cpu.h"

void arch_thread_switch(struct percpu *pc, struct thread *prev, struct thread *next)
{
	if (prev->fpu && prev->state != THREAD_DEAD)
		fpu_save(prev->fpu);
	if (next->proc) {
		uintptr_t top = next->kstack + THREAD_KSTACK_SIZE;

		pc->tables.tss.rsp[0] = top;
		pc->entry_rsp = top;
		wrmsr(MSR_FS_BASE, next->fs_base);
	}
	if (next->fpu)
		fpu_restore(next->fpu);
	/*
	 * Kernel threads run on the core's own tables: a CPU must not keep a
	 * process's page tables loaded after its last thread left, since they
	 * are freed when the process ends. thread_exit() loads the core's
	 * tables before the process can go, and clears t->proc.
	 */
	if (next->proc != prev->proc)
		aspace_activate(next->proc ? next->proc->as : NULL);
}
