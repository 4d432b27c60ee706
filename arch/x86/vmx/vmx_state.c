/*
 * Guest register state held in the VMCS (or switched lazily by vmx_vcpu.c):
 * segment/control/system registers, debug registers and MSRs, with the checks
 * VM entry would otherwise fail on.
 */
#include "arch/x86/virt.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/string.h"

#define EFER_VALID	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define RESET_CR0	0x60000010UL	/* CD, NW, ET */
#define PAT_RESET	0x0007040600070406ULL

/* VMCS field groups are ordered ES CS SS DS FS GS LDTR TR; enum seg_reg has TR first. */
static unsigned int vmcs_seg(enum seg_reg r)
{
	if (r == SEG_TR)
		return 7;
	if (r == SEG_LDTR)
		return 6;
	return r;
}

static void read_segment(enum seg_reg r, struct vcpu_segment *s)
{
	unsigned int i = vmcs_seg(r);

	s->selector = vmcs_read(VMCS_GUEST_SEL(i));
	s->base = vmcs_read(VMCS_GUEST_BASE(i));
	s->limit = vmcs_read(VMCS_GUEST_LIMIT(i));
	vmx_ar_to_segment(vmcs_read(VMCS_GUEST_AR(i)), s);
}

static void write_segment(enum seg_reg r, const struct vcpu_segment *s)
{
	unsigned int i = vmcs_seg(r);

	vmcs_write(VMCS_GUEST_SEL(i), s->selector);
	vmcs_write(VMCS_GUEST_BASE(i), s->base);
	vmcs_write(VMCS_GUEST_LIMIT(i), s->limit);
	vmcs_write(VMCS_GUEST_AR(i), vmx_segment_to_ar(s));
}

void vmx_write_cr0(struct vcpu *v, uint64_t cr0)
{
	(void)v;
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR0, ((cr0 & ~(CR0_CD | CR0_NW)) |
				    (vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG))) & vmx_caps.cr0_fixed1);
}

void vmx_write_cr4(struct vcpu *v, uint64_t cr4)
{
	(void)v;
	vmcs_write(VMCS_CR4_SHADOW, cr4);
	vmcs_write(VMCS_GUEST_CR4, (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
}

static uint64_t guest_cr(enum vmcs_field real, enum vmcs_field shadow, uint64_t mask)
{
	return (vmcs_read(real) & ~mask) | (vmcs_read(shadow) & mask);
}

static void set_efer(struct vmx_vcpu *x, uint64_t efer)
{
	vmcs_write(VMCS_GUEST_EFER, efer);
	if (efer & EFER_LMA)
		x->entry |= ENTRY_IA32E_GUEST;
	else
		x->entry &= ~ENTRY_IA32E_GUEST;
	vmcs_write(VMCS_ENTRY_CONTROLS, x->entry);
}

void vmx_reset_state(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	struct vcpu_segment data = { .limit = 0xffff, .type = 3, .present = 1, .s = 1 };
	struct vcpu_segment cs = data;
	struct vcpu_segment ldt = { .limit = 0xffff, .type = 2, .present = 1 };
	struct vcpu_segment tr = { .limit = 0xffff, .type = 11, .present = 1 };

	cs.selector = 0xf000;
	cs.base = 0xffff0000;
	cs.type = 11;
	for (int r = SEG_ES; r <= SEG_GS; r++)
		write_segment(r, r == SEG_CS ? &cs : &data);
	write_segment(SEG_LDTR, &ldt);
	write_segment(SEG_TR, &tr);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmx_write_cr0(v, RESET_CR0);
	vmx_write_cr4(v, 0);
	vmcs_write(VMCS_GUEST_CR3, 0);
	set_efer(x, 0);
	vmcs_write(VMCS_GUEST_PAT, PAT_RESET);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_DR7, 0x400);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	for (int i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, 0);
	x->dr6 = 0xffff0ff0;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = 0xfff0;
	v->regs.rflags = X86_EFLAGS_FIXED;
	vmcs_write(VMCS_GUEST_RIP, v->regs.rip);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_RFLAGS, v->regs.rflags);
}

/* The TPR shadow (virtual-APIC page offset 0x80) holds CR8 in bits 7:4; it is
 * plain memory, so no VMCS access is needed. Without it CR8 reads as 0. */
uint64_t vmx_get_cr8(struct vcpu *v)
{
	const struct vmx_vcpu *x = to_vmx(v);

	return x->vapic ? ((const uint8_t *)x->vapic)[0x80] >> 4 : 0;
}

void vmx_get_sregs(struct vcpu *v, struct vcpu_sregs *s)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp;

	memset(s, 0, sizeof(*s));
	if (!vmx_begin_access(v, &tmp))
		return;
	read_segment(SEG_CS, &s->cs);
	read_segment(SEG_DS, &s->ds);
	read_segment(SEG_ES, &s->es);
	read_segment(SEG_FS, &s->fs);
	read_segment(SEG_GS, &s->gs);
	read_segment(SEG_SS, &s->ss);
	read_segment(SEG_TR, &s->tr);
	read_segment(SEG_LDTR, &s->ldt);
	s->gdt.base = vmcs_read(VMCS_GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read(VMCS_GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_read(VMCS_GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read(VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = guest_cr(VMCS_GUEST_CR0, VMCS_CR0_SHADOW, vmx_caps.cr0_host_owned);
	s->cr4 = guest_cr(VMCS_GUEST_CR4, VMCS_CR4_SHADOW, vmx_caps.cr4_host_owned);
	s->cr3 = vmcs_read(VMCS_GUEST_CR3);
	s->cr2 = x->loaded ? read_cr2() : x->cr2;
	s->cr8 = vmx_get_cr8(v);
	s->efer = vmcs_read(VMCS_GUEST_EFER);
	/* apic_base belongs to the LAPIC emulation, not the VMCS. */
	vmx_end_access(v, tmp);
}

static unsigned int maxphyaddr(void)
{
	static unsigned int bits;

	if (!bits)
		bits = cpuid(0x80000008, 0).eax & 0xff;
	return bits;
}

/* The cheap subset of the VM-entry guest-state checks. */
static bool sregs_valid(const struct vcpu_sregs *s)
{
	bool pg = s->cr0 & CR0_PG, lma = s->efer & EFER_LMA;

	if ((s->cr0 >> 32) || (pg && !(s->cr0 & CR0_PE)) ||
	    ((s->cr0 & CR0_NW) && !(s->cr0 & CR0_CD)))
		return false;
	if ((s->cr4 & CR4_VMXE) || (s->cr4 & ~vmx_caps.cr4_fixed1))
		return false;
	if ((s->efer & ~EFER_VALID) || lma != ((s->efer & EFER_LME) && pg))
		return false;
	if (lma && (!(s->cr4 & CR4_PAE) || (s->cs.l && s->cs.db)))
		return false;
	if (s->cr3 >> maxphyaddr() || s->cr8 > 15)
		return false;
	if (s->cs.unusable || !s->cs.present || s->tr.unusable || !s->tr.present)
		return false;
	if (!is_canonical(s->fs.base) || !is_canonical(s->gs.base) ||
	    !is_canonical(s->tr.base) || !is_canonical(s->ldt.base) ||
	    !is_canonical(s->gdt.base) || !is_canonical(s->idt.base))
		return false;
	return true;
}

int vmx_set_sregs(struct vcpu *v, const struct vcpu_sregs *s)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp;
	int err = 0;

	if (!sregs_valid(s))
		return -EINVAL;
	if (!vmx_begin_access(v, &tmp))
		return -EBUSY;
	write_segment(SEG_CS, &s->cs);
	write_segment(SEG_DS, &s->ds);
	write_segment(SEG_ES, &s->es);
	write_segment(SEG_FS, &s->fs);
	write_segment(SEG_GS, &s->gs);
	write_segment(SEG_SS, &s->ss);
	write_segment(SEG_TR, &s->tr);
	write_segment(SEG_LDTR, &s->ldt);
	vmcs_write(VMCS_GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, s->idt.base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, s->idt.limit);
	vmx_write_cr0(v, s->cr0);
	vmx_write_cr4(v, s->cr4);
	vmcs_write(VMCS_GUEST_CR3, s->cr3);
	set_efer(x, s->efer);
	if (x->loaded)
		write_cr2(s->cr2);
	x->cr2 = s->cr2;
	if (x->vapic)
		((uint8_t *)x->vapic)[0x80] = s->cr8 << 4;
	/* PAE paging outside long mode: the CPU takes the PDPTEs from the VMCS. */
	if ((s->cr0 & CR0_PG) && (s->cr4 & CR4_PAE) && !(s->efer & EFER_LMA))
		err = vmx_load_pdptes(v, s->cr3);
	vmx_end_access(v, tmp);
	return err;
}

void vmx_get_debugregs(struct vcpu *v, struct vcpu_debugregs *d)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp;

	memset(d, 0, sizeof(*d));
	if (!vmx_begin_access(v, &tmp))
		return;
	if (x->loaded) {
		__asm__ volatile("mov %%db0, %0" : "=r"(d->db[0]));
		__asm__ volatile("mov %%db1, %0" : "=r"(d->db[1]));
		__asm__ volatile("mov %%db2, %0" : "=r"(d->db[2]));
		__asm__ volatile("mov %%db3, %0" : "=r"(d->db[3]));
		__asm__ volatile("mov %%db6, %0" : "=r"(d->dr6));
	} else {
		memcpy(d->db, x->db, sizeof(d->db));
		d->dr6 = x->dr6;
	}
	d->dr7 = vmcs_read(VMCS_GUEST_DR7);
	vmx_end_access(v, tmp);
}

void vmx_set_debugregs(struct vcpu *v, const struct vcpu_debugregs *d)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool tmp;

	if (!vmx_begin_access(v, &tmp))
		return;
	memcpy(x->db, d->db, sizeof(x->db));
	/* Bits 63:32 of DR6/DR7 are reserved: VM entry fails on DR7 ones. */
	x->dr6 = (uint32_t)d->dr6;
	if (x->loaded) {
		__asm__ volatile("mov %0, %%db0" :: "r"(x->db[0]));
		__asm__ volatile("mov %0, %%db1" :: "r"(x->db[1]));
		__asm__ volatile("mov %0, %%db2" :: "r"(x->db[2]));
		__asm__ volatile("mov %0, %%db3" :: "r"(x->db[3]));
		__asm__ volatile("mov %0, %%db6" :: "r"(x->dr6));
	}
	vmcs_write(VMCS_GUEST_DR7, (uint32_t)d->dr7);
	vmx_end_access(v, tmp);
}

static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = pat >> (8 * i);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/* The lazily switched MSRs: live in hardware while the vcpu is loaded. */
static uint64_t *lazy_msr(struct vmx_vcpu *x, uint32_t index)
{
	switch (index) {
	case MSR_STAR: return &x->star;
	case MSR_LSTAR: return &x->lstar;
	case MSR_CSTAR: return &x->cstar;
	case MSR_FMASK: return &x->sfmask;
	case MSR_KERNEL_GS_BASE: return &x->kernel_gs_base;
	case MSR_TSC_AUX: return vmx_caps.has_tsc_aux ? &x->tsc_aux : NULL;
	}
	return NULL;
}

static int vmcs_msr_field(uint32_t index)
{
	switch (index) {
	case MSR_EFER: return VMCS_GUEST_EFER;
	case MSR_IA32_PAT: return VMCS_GUEST_PAT;
	case MSR_IA32_DEBUGCTL: return VMCS_GUEST_DEBUGCTL;
	case MSR_IA32_SYSENTER_CS: return VMCS_GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP: return VMCS_GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP: return VMCS_GUEST_SYSENTER_EIP;
	case MSR_FS_BASE: return VMCS_GUEST_BASE(SEG_FS);
	case MSR_GS_BASE: return VMCS_GUEST_BASE(SEG_GS);
	}
	return -1;
}

int vmx_get_msr(struct vcpu *v, uint32_t index, uint64_t *value)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t *lazy = lazy_msr(x, index);
	int field = vmcs_msr_field(index);
	bool tmp;

	if (lazy) {
		*value = x->loaded ? rdmsr(index) : *lazy;
		return 0;
	}
	if (field < 0)
		return -ENOENT;
	if (!vmx_begin_access(v, &tmp))
		return -EBUSY;
	*value = vmcs_read(field);
	vmx_end_access(v, tmp);
	return 0;
}

static bool msr_value_valid(uint32_t index, uint64_t value)
{
	switch (index) {
	case MSR_LSTAR: case MSR_CSTAR: case MSR_KERNEL_GS_BASE:
	case MSR_FS_BASE: case MSR_GS_BASE:
	case MSR_IA32_SYSENTER_ESP: case MSR_IA32_SYSENTER_EIP:
		return is_canonical(value);
	case MSR_FMASK: case MSR_TSC_AUX: case MSR_IA32_SYSENTER_CS:
		return !(value >> 32);
	case MSR_IA32_PAT:
		return pat_valid(value);
	case MSR_IA32_DEBUGCTL:
		return !(value & ~3ULL);	/* LBR and BTF only */
	case MSR_EFER:
		return !(value & ~EFER_VALID);
	}
	return true;
}

int vmx_set_msr(struct vcpu *v, uint32_t index, uint64_t value)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t *lazy = lazy_msr(x, index);
	int field = vmcs_msr_field(index);
	bool tmp;

	if (!lazy && field < 0)
		return -ENOENT;
	if (!msr_value_valid(index, value))
		return -EINVAL;
	if (lazy) {
		*lazy = value;
		if (x->loaded)
			wrmsr(index, value);
		return 0;
	}
	if (!vmx_begin_access(v, &tmp))
		return -EBUSY;
	if (index == MSR_EFER) {
		bool pg = vmcs_read(VMCS_CR0_SHADOW) & CR0_PG;
		uint64_t old = vmcs_read(VMCS_GUEST_EFER);

		/* LME cannot change under paging; LMA follows LME and CR0.PG. */
		if (pg && ((old ^ value) & EFER_LME)) {
			vmx_end_access(v, tmp);
			return -EINVAL;
		}
		value &= ~EFER_LMA;
		if (pg && (value & EFER_LME))
			value |= EFER_LMA;
		set_efer(x, value);
	} else {
		vmcs_write(field, value);
	}
	vmx_end_access(v, tmp);
	return 0;
}

void vmx_set_msr_intercept_raw(struct vmx_vcpu *x, uint32_t index, unsigned int access)
{
	unsigned int base, bit;

	if (index <= 0x1fff) {
		base = 0;
		bit = index;
	} else if (index >= 0xc0000000 && index <= 0xc0001fff) {
		base = 1024;
		bit = index - 0xc0000000;
	} else {
		return;		/* outside the bitmap: always intercepted */
	}
	if (access & MSR_INTERCEPT_READ)
		x->msr_bitmap[base + bit / 8] |= 1 << (bit % 8);
	else
		x->msr_bitmap[base + bit / 8] &= ~(1 << (bit % 8));
	if (access & MSR_INTERCEPT_WRITE)
		x->msr_bitmap[2048 + base + bit / 8] |= 1 << (bit % 8);
	else
		x->msr_bitmap[2048 + base + bit / 8] &= ~(1 << (bit % 8));
}

void vmx_set_msr_intercept(struct vcpu *v, uint32_t index, unsigned int access)
{
	struct vmx_vcpu *x = to_vmx(v);

	/*
	 * EFER, PAT and DEBUGCTL are validated on write here (a bad value would
	 * fail VM entry, not #GP in the guest): writes always exit.
	 */
	if (index == MSR_EFER || index == MSR_IA32_PAT || index == MSR_IA32_DEBUGCTL)
		access |= MSR_INTERCEPT_WRITE;
	vmx_set_msr_intercept_raw(x, index, access);
}
