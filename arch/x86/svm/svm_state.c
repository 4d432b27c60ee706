/*
 * Segment, control and debug registers of an SVM guest. The VMCB is the only
 * copy of everything here except DR0-3, which SVM does not switch: they stay
 * in the hardware while the vcpu is loaded (the core itself never sets
 * breakpoints) and in svm_vcpu.db otherwise.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "hv/errno.h"
#include "hv/percpu.h"

#define CR4_RESERVED	(~0x1f77fffull)	/* defined: bits 0-14, 16-18, 20-24 (up to PKS) */

/* With V_INTR_MASKING, guest CR8 writes land in V_TPR. */
uint64_t svm_get_cr8(struct vcpu *v)
{
	return to_svm(v)->vmcb->control.int_ctl & SVM_INT_CTL_V_TPR_MASK;
}

void svm_get_sregs(struct vcpu *v, struct vcpu_sregs *s)
{
	const struct vmcb *vmcb = to_svm(v)->vmcb;
	const struct vmcb_save *st = &vmcb->save;

	svm_seg_get(&st->cs, &s->cs);
	svm_seg_get(&st->ds, &s->ds);
	svm_seg_get(&st->es, &s->es);
	svm_seg_get(&st->fs, &s->fs);
	svm_seg_get(&st->gs, &s->gs);
	svm_seg_get(&st->ss, &s->ss);
	svm_seg_get(&st->tr, &s->tr);
	svm_seg_get(&st->ldtr, &s->ldt);
	svm_dtable_get(&st->gdtr, &s->gdt);
	svm_dtable_get(&st->idtr, &s->idt);
	s->cr0 = st->cr0;
	s->cr2 = st->cr2;
	s->cr3 = st->cr3;
	s->cr4 = st->cr4;
	s->cr8 = svm_get_cr8(v);
	s->efer = st->efer & ~EFER_SVME;
	/* The APIC base belongs to the in-core LAPIC, which fills it in. */
	s->apic_base = 0;
}

static int svm_check_sregs(const struct vcpu_sregs *s)
{
	if (s->cr0 >> 32 || ((s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE)))
		return -EINVAL;
	if (s->cr4 & CR4_RESERVED || s->cr4 & CR4_VMXE)
		return -EINVAL;
	if (s->efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | (1ull << 14)))
		return -EINVAL;
	/* Long mode active needs paging, PAE and LME: VMRUN would refuse it. */
	if ((s->efer & EFER_LMA) &&
	    (!(s->efer & EFER_LME) || !(s->cr0 & CR0_PG) || !(s->cr4 & CR4_PAE)))
		return -EINVAL;
	if ((s->efer & EFER_LME) && (s->cr0 & CR0_PG) && !(s->efer & EFER_LMA))
		return -EINVAL;
	if (s->cr8 > 15)
		return -EINVAL;
	return 0;
}

int svm_set_sregs(struct vcpu *v, const struct vcpu_sregs *s)
{
	struct svm_vcpu *sv = to_svm(v);
	struct vmcb_save *st = &sv->vmcb->save;
	int err = svm_check_sregs(s);

	if (err)
		return err;
	svm_seg_set(&st->cs, &s->cs);
	svm_seg_set(&st->ds, &s->ds);
	svm_seg_set(&st->es, &s->es);
	svm_seg_set(&st->fs, &s->fs);
	svm_seg_set(&st->gs, &s->gs);
	svm_seg_set(&st->ss, &s->ss);
	svm_seg_set(&st->tr, &s->tr);
	svm_seg_set(&st->ldtr, &s->ldt);
	svm_dtable_set(&st->gdtr, &s->gdt);
	svm_dtable_set(&st->idtr, &s->idt);
	/* VMRUN takes the CPL from the VMCB, not from CS: real mode is CPL 0,
	 * virtual-8086 mode CPL 3, otherwise SS.DPL. */
	if (!(s->cr0 & CR0_PE))
		st->cpl = 0;
	else if (v->regs.rflags & X86_EFLAGS_VM)
		st->cpl = 3;
	else
		st->cpl = s->ss.dpl & 3;
	st->cr0 = s->cr0;
	st->cr2 = s->cr2;
	st->cr3 = s->cr3;
	st->cr4 = s->cr4;
	st->efer = s->efer | EFER_SVME;
	sv->vmcb->control.int_ctl = (sv->vmcb->control.int_ctl & ~SVM_INT_CTL_V_TPR_MASK) |
				    (s->cr8 & SVM_INT_CTL_V_TPR_MASK);
	/* Guest paging mode may have changed: its cached translations are stale. */
	sv->flush_pending = true;
	return 0;
}

static bool dr_live(struct vcpu *v)
{
	return to_svm(v)->loaded_cpu == (int)this_cpu()->cpu_id;
}

#define DEFINE_DR_ACCESSORS(n)							\
	static inline uint64_t read_dr##n(void)					\
	{ uint64_t x; __asm__ volatile("mov %%db" #n ", %0" : "=r"(x)); return x; } \
	static inline void write_dr##n(uint64_t x)				\
	{ __asm__ volatile("mov %0, %%db" #n :: "r"(x)); }
DEFINE_DR_ACCESSORS(0)
DEFINE_DR_ACCESSORS(1)
DEFINE_DR_ACCESSORS(2)
DEFINE_DR_ACCESSORS(3)
#undef DEFINE_DR_ACCESSORS

void svm_load_guest_dr(struct svm_vcpu *sv)
{
	write_dr0(sv->db[0]);
	write_dr1(sv->db[1]);
	write_dr2(sv->db[2]);
	write_dr3(sv->db[3]);
}

void svm_save_guest_dr(struct svm_vcpu *sv)
{
	sv->db[0] = read_dr0();
	sv->db[1] = read_dr1();
	sv->db[2] = read_dr2();
	sv->db[3] = read_dr3();
}

void svm_get_debugregs(struct vcpu *v, struct vcpu_debugregs *d)
{
	struct svm_vcpu *sv = to_svm(v);

	if (dr_live(v))
		svm_save_guest_dr(sv);
	for (int i = 0; i < 4; i++)
		d->db[i] = sv->db[i];
	d->dr6 = sv->vmcb->save.dr6;
	d->dr7 = sv->vmcb->save.dr7;
}

void svm_set_debugregs(struct vcpu *v, const struct vcpu_debugregs *d)
{
	struct svm_vcpu *sv = to_svm(v);

	for (int i = 0; i < 4; i++)
		sv->db[i] = d->db[i];
	if (dr_live(v))
		svm_load_guest_dr(sv);
	/* Reserved bits read as fixed values on hardware. */
	sv->vmcb->save.dr6 = (d->dr6 & 0xffffffff) | 0xffff0ff0;
	sv->vmcb->save.dr7 = (d->dr7 & 0xffffffff) | 0x400;
}
