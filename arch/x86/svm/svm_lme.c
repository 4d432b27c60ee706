/*
 * EFER.LME kept out of the VMCB while the guest has paging and PAE off.
 *
 * A guest may set EFER.LME long before it turns paging on (real mode, PAE
 * still clear: legal, LME only matters when CR0.PG goes to 1). QEMU's SVM
 * (TCG, checked on 7.2) restores the host's CR0 at #VMEXIT while CR4 and EFER
 * are still the guest's; its CR0 helper sees PG being set with LME on and PAE
 * off, takes it for an invalid long-mode entry and ignores the write. The host
 * then goes on with the guest's CR0 (no paging, no protection) and that CPU is
 * lost for good: it never takes an interrupt again, the IPIs the other CPU
 * waits for never complete and the whole machine hangs (the KVM fuzzer found
 * it with KVM_SET_SREGS; a guest WRMSR or MOV to CR4 gets there as well).
 *
 * So the VMCB never holds LME = 1 with PG = 0 and PAE = 0: in that state LME
 * lives in svm_vcpu.lme_hidden, which reads of EFER (RDMSR, KVM_GET_SREGS,
 * KVM_GET_MSRS) put back. What the guest can do without an exit to change the
 * state is intercepted instead: CR4 writes whenever LME is on (setting PAE
 * must bring LME back, clearing it must hide LME), CR0 writes while LME is
 * hidden (PG = 1 there must #GP as with LME on, not start 32-bit paging).
 * Both are rare outside mode switches. The intercepted writes are emulated
 * here; without decode assists (QEMU has none) the instruction is decoded
 * from guest memory: MOV to CR0/CR4, CLTS, and LMSW with a register operand.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/virt.h"
#include "hv/guest_access.h"
#include "hv/log.h"

#define CR0_ET			(1UL << 4)
#define CR0_NW			(1UL << 29)
#define CR0_CD			(1UL << 30)
#define CR4_PCIDE		(1UL << 17)
#define CR4_LA57		(1UL << 12)
#define CR4_RESERVED		(~0x1f77fffull)	/* as svm_state.c */

#define INTERCEPT_CR0_WRITE	(1u << 16)
#define INTERCEPT_CR4_WRITE	(1u << 20)

/* EXITINFO1 of a CR access with decode assists: a MOV, and its GPR. */
#define CR_EXIT_MOV		(1ull << 63)
#define CR_EXIT_GPR_MASK	0xfull

uint64_t svm_guest_efer(const struct svm_vcpu *sv)
{
	return sv->vmcb->save.efer | (sv->lme_hidden ? EFER_LME : 0);
}

void svm_lme_update(struct svm_vcpu *sv, uint64_t efer)
{
	struct vmcb_save *s = &sv->vmcb->save;
	struct vmcb_control *c = &sv->vmcb->control;
	bool lme = efer & EFER_LME;

	sv->lme_hidden = lme && !(s->cr0 & CR0_PG) && !(s->cr4 & CR4_PAE);
	s->efer = sv->lme_hidden ? efer & ~EFER_LME : efer;
	c->intercept_cr &= ~(INTERCEPT_CR0_WRITE | INTERCEPT_CR4_WRITE);
	if (lme)
		c->intercept_cr |= INTERCEPT_CR4_WRITE;
	if (sv->lme_hidden)
		c->intercept_cr |= INTERCEPT_CR0_WRITE;
}

/* An intercepted CR write, decoded. */
struct cr_write {
	uint8_t len;		/* instruction length, 0 if the hardware gave NRIP */
	bool clts;
	bool lmsw;
	uint64_t value;		/* MOV: the register; LMSW: its low 16 bits */
};

/* 64-bit mode: MOV to a CR takes 64 bits and REX prefixes exist. */
static bool in_64bit_mode(struct vcpu *v, struct vcpu_sregs *s)
{
	virt->get_sregs(v, s);
	return (s->efer & EFER_LMA) && s->cs.l;
}

/* The register operand of MOV CRn, reg, at the CPU's width. */
static uint64_t reg_operand(struct vcpu *v, unsigned int gpr, bool long_mode)
{
	uint64_t val = *vcpu_regs_gpr(&v->regs, gpr);

	return long_mode ? val : (uint32_t)val;
}

/*
 * Decodes the instruction at CS:RIP: legacy prefixes (a segment or size
 * prefix changes nothing here), a REX prefix in 64-bit mode, then 0F 22 /r,
 * 0F 06 or 0F 01 /6 with a register operand (LMSW from memory is not
 * emulated: an internal-error exit). false: anything else.
 */
static bool decode(struct vcpu *v, unsigned int cr, struct cr_write *w)
{
	struct vcpu_sregs s;
	uint8_t b[15];
	unsigned int i = 0, rex = 0, reg, rm;
	bool long_mode = in_64bit_mode(v, &s);
	int n;

	n = guest_fetch_insn(v, &s, b, sizeof(b));
	if (n <= 0)
		return false;
	while (i < (unsigned int)n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0x26 ||
				       b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e ||
				       b[i] == 0x64 || b[i] == 0x65))
		i++;
	if (long_mode && i < (unsigned int)n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i + 2 > (unsigned int)n || b[i] != 0x0f)
		return false;
	if (b[i + 1] == 0x06) {
		w->clts = cr == 0;
		w->len = (uint8_t)(i + 2);
		return w->clts;
	}
	if (i + 3 > (unsigned int)n)
		return false;
	reg = ((b[i + 2] >> 3) & 7) | ((rex & 4) << 1);
	rm = (b[i + 2] & 7) | ((rex & 1) << 3);
	w->len = (uint8_t)(i + 3);
	/* MOV to a CR ignores ModRM.mod: the operand is always a register. */
	if (b[i + 1] == 0x22 && reg == cr) {
		w->value = reg_operand(v, rm, long_mode);
		return true;
	}
	if (b[i + 1] == 0x01 && reg == 6 && cr == 0 && (b[i + 2] & 0xc0) == 0xc0) {
		w->lmsw = true;
		w->value = (uint16_t)*vcpu_regs_gpr(&v->regs, rm);
		return true;
	}
	return false;
}

/* The new CR0, or false for #GP. LME is hidden here: PG = 1 needs PAE. */
static bool cr0_value(struct vmcb_save *s, const struct cr_write *w, uint64_t *out)
{
	uint64_t cr0 = s->cr0, val;

	if (w->clts) {
		*out = cr0 & ~CR0_TS;
		return true;
	}
	if (w->lmsw) {
		/* LMSW loads PE, MP, EM and TS, and cannot clear PE. */
		*out = (cr0 & ~0xeull) | (w->value & 0xf);
		return true;
	}
	val = w->value | CR0_ET;
	if (val >> 32 || ((val & CR0_PG) && !(val & CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)) || ((val & CR0_PG) && !(s->cr4 & CR4_PAE)))
		return false;
	*out = val;
	return true;
}

/* The new CR4, or false for #GP (what the CPU itself would refuse). */
static bool cr4_value(struct vmcb_save *s, uint64_t efer, uint64_t val)
{
	uint64_t old = s->cr4;

	if (val & (CR4_RESERVED | CR4_VMXE))
		return false;
	if (efer & EFER_LMA) {
		if (!(val & CR4_PAE) || ((val ^ old) & CR4_LA57))
			return false;
	}
	if ((val & CR4_PCIDE) && !(old & CR4_PCIDE) &&
	    (!(efer & EFER_LMA) || (s->cr3 & 0xfff)))
		return false;
	return true;
}

/*
 * SVM_EXIT_WRITE_CR0/CR4 (on only as svm_lme_update sets them). false: done
 * (emulated, or #GP queued), the guest goes on; true: @exit says what failed.
 */
bool svm_cr_write_exit(struct vcpu *v, struct vcpu_exit *exit, unsigned int cr)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_save *s = &sv->vmcb->save;
	uint64_t info = sv->vmcb->control.exit_info1, efer = svm_guest_efer(sv), val;
	struct cr_write w = { .len = 0 };
	unsigned int len;

	if (svm_caps.decode_assists && (info & CR_EXIT_MOV)) {
		struct vcpu_sregs sr;

		w.value = reg_operand(v, info & CR_EXIT_GPR_MASK, in_64bit_mode(v, &sr));
	} else if (!decode(v, cr, &w)) {
		pr_warn_ratelimited("vcpu%u: write to CR%u at rip %#lx: cannot decode it\n",
				    v->id, cr, (unsigned long)v->regs.rip);
		exit->reason = EXIT_UNHANDLED;
		return true;
	}
	len = svm_caps.nrips ? (unsigned int)(sv->vmcb->control.next_rip - v->regs.rip) : w.len;
	if (!len) {
		exit->reason = EXIT_UNHANDLED;
		return true;
	}
	if (cr == 0 ? !cr0_value(s, &w, &val) : !cr4_value(s, efer, w.value)) {
		vcpu_inject_exception(v, X86_GP, true, 0);
		return false;
	}
	if (cr == 0)
		s->cr0 = val;
	else
		s->cr4 = w.value;
	/* Paging or its format may have changed: cached translations go. */
	sv->flush_pending = true;
	svm_lme_update(sv, efer);
	virt->skip_instruction(v, len);
	return false;
}
