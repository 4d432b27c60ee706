/*
 * The VM-execution, VM-exit and VM-entry control values every VMCS starts
 * from, computed once from the capability MSRs. When IA32_VMX_BASIC bit 55
 * is set the TRUE_* MSRs are authoritative: they let "default1" controls such
 * as CR3-load exiting be 0, which tern needs with EPT.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/log.h"


struct vmx_caps vmx_caps;

bool vmx_adjust_controls(struct vmx_ctl_msr msr, uint32_t required, uint32_t optional,
			 uint32_t *out)
{
	uint32_t v = (required | optional | msr.must_be_one) & msr.may_be_one;

	if ((v & required) != required) {
		*out = 0;
		return false;
	}
	*out = v;
	return true;
}

static bool adjust(const char *what, uint32_t msr, uint32_t required, uint32_t optional,
		   uint32_t *out)
{
	struct vmx_ctl_msr m = vmx_ctl_msr(rdmsr(msr));

	if (vmx_adjust_controls(m, required, optional, out))
		return true;
	pr_err("vmx: %s controls: required %#x not allowed (allowed-1 %#x)\n", what,
	       required & ~m.may_be_one, m.may_be_one);
	return false;
}

int vmx_controls_init(void)
{
	struct vmx_caps *c = &vmx_caps;
	bool t = c->basic & VMX_BASIC_TRUE_CTLS;
	uint32_t proc_req = PROC_HLT_EXITING | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
			    PROC_SECONDARY | PROC_TSC_OFFSET | PROC_RDPMC_EXITING;
	struct vmx_ctl_msr procmsr;

	if (!adjust("pin-based", t ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
		    PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, 0, &c->pin))
		return -ENODEV;
	/*
	 * CR8 must never reach the real TPR: with a TPR shadow it goes to the
	 * virtual-APIC page without exits, otherwise every access exits.
	 */
	procmsr = vmx_ctl_msr(rdmsr(t ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED));
	if (procmsr.may_be_one & PROC_TPR_SHADOW)
		proc_req |= PROC_TPR_SHADOW;
	else
		proc_req |= PROC_CR8_LOAD | PROC_CR8_STORE;
	if (!adjust("processor-based", t ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
		    proc_req, 0, &c->proc))
		return -ENODEV;
	/* The window controls are turned on per request, never at start. */
	c->proc &= ~(PROC_INTR_WINDOW | PROC_NMI_WINDOW);
	if (!adjust("secondary", MSR_VMX_PROCBASED2,
		    PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED,
		    PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES, &c->proc2))
		return -ENODEV;
	if (!adjust("VM-exit", t ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
		    EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT |
		    EXIT_LOAD_PAT | EXIT_SAVE_DEBUG, 0, &c->exit))
		return -ENODEV;
	/* Acknowledge-on-exit stays off: the host IDT takes the interrupt. */
	if (c->exit & EXIT_ACK_INTR) {
		pr_err("vmx: the CPU forces acknowledge-interrupt-on-exit\n");
		return -ENODEV;
	}
	if (!adjust("VM-entry", t ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
		    ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_LOAD_DEBUG, 0, &c->entry))
		return -ENODEV;
	c->entry &= ~ENTRY_IA32E_GUEST;

	c->ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if (!(c->ept_vpid & EPT_CAP_WALK4) || !(c->ept_vpid & EPT_CAP_WB) ||
	    !(c->ept_vpid & EPT_CAP_INVEPT) ||
	    !(c->ept_vpid & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		pr_err("vmx: EPT lacks 4-level walks, WB tables or INVEPT (cap %#lx)\n",
		       c->ept_vpid);
		return -ENODEV;
	}
	if (!(c->ept_vpid & VPID_CAP_INVVPID) ||
	    !(c->ept_vpid & (VPID_CAP_SINGLE | VPID_CAP_ALL))) {
		pr_err("vmx: VPID without INVVPID (cap %#lx)\n", c->ept_vpid);
		return -ENODEV;
	}

	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	/*
	 * Unrestricted guests may run with PE and PG clear. CD and NW are the
	 * host's too: the guest sees them in the read shadow but never runs
	 * with caching disabled (as KVM does; Bochs drops them anyway).
	 */
	c->cr0_host_owned = (c->cr0_fixed0 & ~(CR0_PE | CR0_PG)) | ~c->cr0_fixed1 |
			    CR0_CD | CR0_NW;
	c->cr4_host_owned = c->cr4_fixed0 | ~c->cr4_fixed1;
	return 0;
}
