/*
 * Event injection through the VM-entry interruption-information field,
 * re-injection of events an exit interrupted (IDT-vectoring information),
 * the interrupt/NMI window controls and the interruptibility state.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/log.h"

/* Exceptions that push an error code in protected mode. */
#define ERROR_CODE_VECTORS	((1u << X86_DF) | (1u << X86_TS) | (1u << X86_NP) | \
				 (1u << X86_SS) | (1u << X86_GP) | (1u << X86_PF) | \
				 (1u << X86_AC))

int vmx_inject_event(struct vcpu *v, const struct vcpu_event *e)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t info;
	bool tmp, err_code;

	if (!e->valid)
		return 0;
	if (x->event_queued || (x->reinject_info & INTR_INFO_VALID))
		return -EBUSY;
	switch (e->type) {
	case EVENT_EXTINT: case EVENT_NMI: case EVENT_EXCEPTION:
	case EVENT_SOFT_INT: case EVENT_SOFT_EXCEPTION:
		break;
	default:
		return -EINVAL;
	}
	if (e->type == EVENT_NMI && e->vector != X86_NMI)
		return -EINVAL;
	if (e->type == EVENT_EXCEPTION && e->vector >= 32)
		return -EINVAL;
	if (!vmx_begin_access(v, &tmp))
		return -EBUSY;
	/* Real mode has no error codes, and VM entry rejects one there. PE is a
	 * guest-owned bit: the guest CR0 field has it, not the read shadow
	 * (which still says what the guest had when it last touched a host bit). */
	err_code = e->type == EVENT_EXCEPTION && e->has_error_code &&
		   (ERROR_CODE_VECTORS & (1u << e->vector)) &&
		   (vmcs_read(VMCS_GUEST_CR0) & CR0_PE);
	info = INTR_INFO_VALID | ((uint32_t)e->type << 8) | e->vector |
	       (err_code ? INTR_INFO_ERROR_CODE : 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, info);
	if (err_code)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, e->error_code);
	if (e->type == EVENT_SOFT_INT || e->type == EVENT_SOFT_EXCEPTION)
		vmcs_write(VMCS_ENTRY_INSN_LEN, e->insn_len ? e->insn_len : 1);
	vmx_end_access(v, tmp);
	x->event_queued = true;
	return 0;
}

bool vmx_interrupt_allowed(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp, ok;

	if (!(v->regs.rflags & X86_EFLAGS_IF) || x->event_queued ||
	    (x->reinject_info & INTR_INFO_VALID))
		return false;
	if (!vmx_begin_access(v, &tmp))
		return false;
	ok = !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
	       (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
	vmx_end_access(v, tmp);
	return ok;
}

bool vmx_nmi_allowed(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp, ok;

	if (x->event_queued || (x->reinject_info & INTR_INFO_VALID))
		return false;
	if (!vmx_begin_access(v, &tmp))
		return false;
	/* STI blocking is included: some CPUs fail VM entry on NMI injection under it. */
	ok = !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
	       (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI));
	vmx_end_access(v, tmp);
	return ok;
}

void vmx_request_window(struct vcpu *v, bool irq, bool nmi)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t proc = x->proc & ~(PROC_INTR_WINDOW | PROC_NMI_WINDOW);
	bool tmp;

	if (irq)
		proc |= PROC_INTR_WINDOW;
	if (nmi)
		proc |= PROC_NMI_WINDOW;
	if (proc == x->proc || !vmx_begin_access(v, &tmp))
		return;
	x->proc = proc;
	vmcs_write(VMCS_PROC_CONTROLS, proc);
	vmx_end_access(v, tmp);
}

void vmx_pending_event(struct vcpu *v, struct vcpu_event *e)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t info = x->reinject_info;

	*e = (struct vcpu_event){ 0 };
	if (!(info & INTR_INFO_VALID))
		return;
	e->valid = true;
	e->type = INTR_INFO_TYPE(info);
	e->vector = INTR_INFO_VECTOR(info);
	e->has_error_code = info & INTR_INFO_ERROR_CODE;
	e->error_code = x->reinject_error;
	e->insn_len = x->reinject_len;
}

void vmx_set_exception_intercept(struct vcpu *v, uint8_t vector, bool on)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t bitmap = x->exception_bitmap;
	bool tmp;

	if (vector >= 32)
		return;
	if (on)
		bitmap |= 1u << vector;
	else
		bitmap &= ~(1u << vector);
	bitmap |= 1u << X86_MC;		/* machine checks are always the host's */
	if (bitmap == x->exception_bitmap || !vmx_begin_access(v, &tmp))
		return;
	x->exception_bitmap = bitmap;
	vmcs_write(VMCS_EXCEPTION_BITMAP, bitmap);
	vmx_end_access(v, tmp);
}

void vmx_skip_instruction(struct vcpu *v, unsigned int len)
{
	uint64_t intr;
	bool tmp;

	v->regs.rip += len;
	if (!vmx_begin_access(v, &tmp))
		return;
	intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
	vmx_end_access(v, tmp);
}

void vmx_save_idt_vectoring(struct vmx_vcpu *x)
{
	uint32_t info = vmcs_read(VMCS_IDT_VECTORING_INFO);

	x->event_queued = false;
	if (likely(!(info & INTR_INFO_VALID)))
		return;
	x->reinject_info = info & (INTR_INFO_VALID | INTR_INFO_ERROR_CODE | 0x7ff);
	x->reinject_error = (info & INTR_INFO_ERROR_CODE) ?
			    vmcs_read(VMCS_IDT_VECTORING_ERROR) : 0;
	x->reinject_len = vmcs_read(VMCS_EXIT_INSN_LEN);
}

void vmx_reinject(struct vmx_vcpu *x)
{
	uint32_t type = INTR_INFO_TYPE(x->reinject_info);

	vmcs_write(VMCS_ENTRY_INTR_INFO, x->reinject_info);
	if (x->reinject_info & INTR_INFO_ERROR_CODE)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, x->reinject_error);
	if (type == INTR_TYPE_SOFT_INT || type == INTR_TYPE_PRIV_SOFT_EXC ||
	    type == INTR_TYPE_SOFT_EXC)
		vmcs_write(VMCS_ENTRY_INSN_LEN, x->reinject_len);
	/* The interrupted NMI left virtual-NMI blocking set; delivery sets it again. */
	if (type == INTR_TYPE_NMI)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_NMI);
	x->reinject_info = 0;
	x->event_queued = true;
}
