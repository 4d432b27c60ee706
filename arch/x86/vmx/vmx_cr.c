/*
 * MOV to CR0/CR4 that touches a host-owned bit (CR0.NE and the fixed bits,
 * CR4.VMXE and bits VMX operation forbids). With unrestricted guest and EPT
 * nothing else exits, so the whole write is emulated here, including the
 * long-mode and PAE-PDPTE side effects the CPU would have performed.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/vm.h"


/* x86 register number -> index in struct vcpu_regs (rax rbx rcx rdx rsi rdi rsp rbp r8..). */
static const uint8_t gpr_slot[16] = { 0, 2, 3, 1, 6, 7, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15 };

int vmx_load_pdptes(struct vcpu *v, uint64_t cr3)
{
	uint64_t pdpte[4];
	unsigned int phys = cpuid(0x80000008, 0).eax & 0xff;
	int err = vm_read_gpa(v->vm, cr3 & 0xffffffe0, pdpte, sizeof(pdpte));

	if (err)
		return err;
	for (int i = 0; i < 4; i++) {
		/* Present entries: bits 2:1, 8:5 and those above MAXPHYADDR are reserved. */
		if ((pdpte[i] & 1) && ((pdpte[i] & 0x1e6) || (pdpte[i] >> phys)))
			return -EINVAL;
	}
	for (int i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return 0;
}

static void inject_gp(struct vcpu *v)
{
	struct vcpu_event gp = {
		.valid = true, .type = EVENT_EXCEPTION, .vector = X86_GP, .has_error_code = true,
	};

	vmx_inject_event(v, &gp);
}

/* 0, or -EINVAL when the write raises #GP. */
static int emulate_cr0(struct vcpu *v, uint64_t val)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t old = vmcs_read(VMCS_CR0_SHADOW);
	uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
	uint64_t cr4 = vmcs_read(VMCS_CR4_SHADOW);
	bool pg = val & CR0_PG;

	if ((val >> 32) || (pg && !(val & CR0_PE)) || ((val & CR0_NW) && !(val & CR0_CD)))
		return -EINVAL;
	if (pg && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(cr4 & CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if (!pg && (old & CR0_PG) && (efer & EFER_LMA)) {
		if (vmcs_read(VMCS_GUEST_AR(1)) & (1u << 13))	/* CS.L: still in 64-bit code */
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	if (pg && (cr4 & CR4_PAE) && !(efer & EFER_LMA) && ((old ^ val) & (CR0_PG | CR0_PE))) {
		if (vmx_load_pdptes(v, vmcs_read(VMCS_GUEST_CR3)))
			return -EINVAL;
	}
	vmx_write_cr0(v, val);
	vmcs_write(VMCS_GUEST_EFER, efer);
	x->entry = (efer & EFER_LMA) ? (x->entry | ENTRY_IA32E_GUEST) :
				       (x->entry & ~ENTRY_IA32E_GUEST);
	vmcs_write(VMCS_ENTRY_CONTROLS, x->entry);
	/* Paging-mode changes invalidate the guest's TLB as they would natively. */
	if ((old ^ val) & (CR0_PG | CR0_WP | CR0_CD))
		vmx_invvpid_single(x->vpid);
	return 0;
}

static int emulate_cr4(struct vcpu *v, uint64_t val)
{
	/* Only host-owned bits exit, and the guest may set none of them. */
	if ((val & CR4_VMXE) || (val & ~vmx_caps.cr4_fixed1))
		return -EINVAL;
	vmx_write_cr4(v, val);
	vmx_invvpid_single(to_vmx(v)->vpid);
	return 0;
}

bool vmx_handle_cr_access(struct vcpu *v, uint64_t qual, struct vcpu_exit *exit)
{
	unsigned int cr = qual & 15, type = (qual >> 4) & 3;
	uint64_t val = ((uint64_t *)&v->regs)[gpr_slot[(qual >> 8) & 15]];
	int err;

	if (type != 0 || (cr != 0 && cr != 4))
		return false;
	/* Outside 64-bit code the operand is 32 bits. */
	if (!(to_vmx(v)->entry & ENTRY_IA32E_GUEST) || !(vmcs_read(VMCS_GUEST_AR(1)) & (1u << 13)))
		val = (uint32_t)val;
	err = cr == 0 ? emulate_cr0(v, val) : emulate_cr4(v, val);
	if (err)
		inject_gp(v);
	else
		vmx_skip_instruction(v, exit->insn_len);
	return true;
}
