/* The VMX backend's ops table and its VM-wide operations. */
#include "arch/x86/virt.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "hv/errno.h"
#include "hv/vm.h"

static int vmx_vm_init(struct vm *vm)
{
	/* EPT format, 4-level, WB; flushes are tracked globally (vmx_flush_gen). */
	if (!vmx_caps.revision || !vm)
		return -ENODEV;
	return 0;
}

static void vmx_vm_flush_tlb(struct vm *vm)
{
	/*
	 * Every vcpu compares vmx_flush_gen before its next entry and runs
	 * INVEPT on its CPU; this CPU is flushed at once.
	 * TODO(smp): vcpus in guest mode on other CPUs need a kick IPI.
	 */
	__atomic_add_fetch(&vmx_flush_gen, 1, __ATOMIC_SEQ_CST);
	vmx_invept(vmx_eptp(vm));
}

static void vmx_set_tsc_offset(struct vcpu *v, int64_t offset)
{
	bool tmp;

	if (!vmx_begin_access(v, &tmp))
		return;
	vmcs_write(VMCS_TSC_OFFSET, (uint64_t)offset);
	vmx_end_access(v, tmp);
}

const struct virt_ops vmx_ops = {
	.name			= "vmx",
	.cpu_enable		= vmx_cpu_enable,
	.vm_init		= vmx_vm_init,
	.vm_flush_tlb		= vmx_vm_flush_tlb,
	.vcpu_init		= vmx_vcpu_init,
	.vcpu_free		= vmx_vcpu_free,
	.vcpu_load		= vmx_vcpu_load,
	.vcpu_put		= vmx_vcpu_put,
	.vcpu_run		= vmx_vcpu_run,
	.get_sregs		= vmx_get_sregs,
	.set_sregs		= vmx_set_sregs,
	.get_cr8		= vmx_get_cr8,
	.get_debugregs		= vmx_get_debugregs,
	.set_debugregs		= vmx_set_debugregs,
	.get_msr		= vmx_get_msr,
	.set_msr		= vmx_set_msr,
	.set_msr_intercept	= vmx_set_msr_intercept,
	.inject_event		= vmx_inject_event,
	.interrupt_allowed	= vmx_interrupt_allowed,
	.nmi_allowed		= vmx_nmi_allowed,
	.request_window		= vmx_request_window,
	.pending_event		= vmx_pending_event,
	.cancel_event		= vmx_cancel_event,
	.get_interruptibility	= vmx_get_interruptibility,
	.set_interruptibility	= vmx_set_interruptibility,
	.set_exception_intercept = vmx_set_exception_intercept,
	.skip_instruction	= vmx_skip_instruction,
	.set_tsc_offset		= vmx_set_tsc_offset,
	.bare_loop_cycles	= vmx_bare_loop_cycles,
};
