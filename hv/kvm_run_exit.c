/*
 * From the core's exit record to struct kvm_run (api.txt, "struct kvm_run"):
 * one case per exit the core leaves to the device model.
 */
#include "hv/kvm_run_exit.h"
#include "hv/kvm_mmio.h"
#include "hv/kvm_debug.h"
#include "hv/percpu.h"
#include "hv/string.h"
#include "hv/log.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"
#include "abi/include/linux/kvm.h"

void kvm_run_fill_common(struct kvm_vcpu *kv)
{
	struct vcpu *v = kv->vcpu;
	struct kvm_run *run = kv->run;
	bool queued = false;

	for (unsigned int i = 0; i < 4; i++)
		queued |= v->irq_pending[i] != 0;
	run->if_flag = !!(v->regs.rflags & X86_EFLAGS_IF);
	run->ready_for_interrupt_injection = !queued && virt->interrupt_allowed(v);
	run->cr8 = virt->get_cr8(v);
	/* The MSR emulation holds IA32_APIC_BASE (as KVM_GET_SREGS reports it). */
	run->apic_base = v->msrs.apic_base;
	run->flags = 0;
}

static bool internal_error(struct kvm_run *run, uint32_t suberror, uint64_t d0, uint64_t d1)
{
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 2;
	run->internal.data[0] = d0;
	run->internal.data[1] = d1;
	return false;
}

static bool io_exit(struct kvm_vcpu *kv, struct vcpu_exit *e)
{
	struct kvm_run *run = kv->run;
	uint64_t bytes = (uint64_t)e->io.count * e->io.size;

	/* pio.c hands out at most one page of elements at a time. */
	if (bytes > PAGE_SIZE)
		return internal_error(run, KVM_INTERNAL_ERROR_EMULATION, e->io.port, bytes);
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = e->io.in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = e->io.size;
	run->io.port = e->io.port;
	run->io.count = e->io.count;
	run->io.data_offset = KVM_PIO_PAGE_OFFSET * PAGE_SIZE;
	/* An IN's data comes back through the same page on the next KVM_RUN. */
	if (!e->io.in)
		memcpy(kv->pio_page, kv->vcpu->pio_data, bytes);
	return false;
}

bool kvm_run_exit(struct vcpu *v, struct vcpu_exit *e, void *ctx)
{
	struct kvm_vcpu *kv = ctx;
	struct kvm_run *run = kv->run;

	(void)v;	/* kv->vcpu */
	switch (e->reason) {
	case EXIT_IO:
		io_exit(kv, e);
		break;
	case EXIT_NPF_PROTECTION:
		if (e->mmio.write && kvm_vm_dirty_fault(kv->kvm, e->mmio.gpa))
			return true;
		/* A write to a read-only slot is an MMIO write (Linux). */
		if (kvm_mmio_exit(kv, e))
			return true;
		break;
	case EXIT_MMIO:
		if (kvm_mmio_exit(kv, e))
			return true;
		break;
	case EXIT_HLT:
		run->exit_reason = KVM_EXIT_HLT;
		break;
	case EXIT_SHUTDOWN:
		run->exit_reason = KVM_EXIT_SHUTDOWN;
		break;
	case EXIT_INTR_WINDOW:
		run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
		break;
	case EXIT_ENTRY_FAILED:
		run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = e->fail.code;
		run->fail_entry.cpu = this_cpu()->cpu_id;
		break;
	case EXIT_EXCEPTION:
		if (kvm_debug_exit(kv, e))
			break;
		run->exit_reason = KVM_EXIT_EXCEPTION;
		run->ex.exception = e->exception.vector;
		run->ex.error_code = e->exception.error_code;
		break;
	default:
		/* EXIT_UNHANDLED and whatever else the core could not finish. */
		internal_error(run, KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON, e->hw_reason,
			       e->hw_qual);
		break;
	}
	kvm_run_fill_common(kv);
	kv->exit_filled = true;
	return false;
}
