/* Guest-virtual memory and instruction bytes (see hv/guest_access.h). */
#include "hv/guest_access.h"
#include "hv/insn_len.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "mmu/gwalk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"

#define X86_EFLAGS_AC	(1UL << 18)

unsigned int guest_cpl(const struct vcpu *v, const struct vcpu_sregs *s)
{
	if (!(s->cr0 & CR0_PE))
		return 0;
	if (v->regs.rflags & X86_EFLAGS_VM)
		return 3;
	return s->ss.dpl;
}

bool guest_code64(const struct vcpu_sregs *s)
{
	return (s->efer & EFER_LMA) && s->cs.l;
}

uint64_t guest_seg_base(const struct vcpu_sregs *s, int seg)
{
	switch (seg) {
	case SEG_FS: return s->fs.base;
	case SEG_GS: return s->gs.base;
	default: break;
	}
	if (guest_code64(s))
		return 0;
	switch (seg) {
	case SEG_ES: return s->es.base;
	case SEG_CS: return s->cs.base;
	case SEG_SS: return s->ss.base;
	default: return s->ds.base;
	}
}

static uint64_t guest_max_gpa(void)
{
	static uint64_t max_gpa;

	if (!max_gpa) {
		uint32_t bits = 36;

		if (cpuid(0x80000000, 0).eax >= 0x80000008)
			bits = cpuid(0x80000008, 0).eax & 0xFF;
		max_gpa = (1ULL << bits) - 1;
	}
	return max_gpa;
}

static void inject_page_fault(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
			      uint32_t error)
{
	struct vcpu_sregs w = *s;

	/* The event record has no CR2: set it first, then raise #PF. */
	w.cr2 = gva;
	if (virt->set_sregs(v, &w))
		pr_warn("vcpu%u: cannot set CR2 for #PF at %#lx\n", v->id, (unsigned long)gva);
	vcpu_inject_exception(v, X86_PF, true, error);
}

int guest_translate(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		    unsigned int access, uint64_t *gpa)
{
	struct gwalk_mem mem = vm_gwalk_mem(v->vm);
	struct gwalk_regs regs = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.supervisor_smap_exempt = (access & GWALK_FETCH) ||
					  (v->regs.rflags & X86_EFLAGS_AC),
		.max_gpa = guest_max_gpa(),
	};
	struct gwalk_result r;
	int err;

	if (guest_cpl(v, s) == 3)
		access |= GWALK_USER;
	err = gwalk_translate(&mem, &regs, gva, access, &r);
	if (err)
		return err;
	if (r.fault) {
		inject_page_fault(v, s, gva, r.error_code);
		return 1;
	}
	*gpa = r.gpa;
	return 0;
}

/* Copies page by page; every page is translated before any byte moves, so a
 * fault leaves guest memory untouched. */
static int copy_linear(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		       void *buf, size_t len, bool write)
{
	uint64_t gpa[2];
	size_t first = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
	size_t pages = first < len ? 2 : 1;
	int err;

	/* Callers move at most a page: one or two guest pages are touched. */
	if (len > PAGE_SIZE)
		return -EINVAL;
	for (size_t i = 0; i < pages; i++) {
		uint64_t a = i ? ALIGN_DOWN(gva, PAGE_SIZE) + PAGE_SIZE : gva;

		if (!(s->efer & EFER_LMA))
			a = (uint32_t)a;	/* linear addresses wrap at 4 GiB */
		err = guest_translate(v, s, a, write ? GWALK_WRITE : 0, &gpa[i]);
		if (err)
			return err;
	}
	for (size_t i = 0; i < pages; i++) {
		uint8_t *p = (uint8_t *)buf + (i ? first : 0);
		size_t n = i ? len - first : first;

		err = write ? vm_write_gpa(v->vm, gpa[i], p, n) : vm_read_gpa(v->vm, gpa[i], p, n);
		if (err)
			return err;
	}
	return 0;
}

int guest_read_linear(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		      void *buf, size_t len)
{
	return copy_linear(v, s, gva, buf, len, false);
}

int guest_write_linear(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		       const void *buf, size_t len)
{
	return copy_linear(v, s, gva, (void *)buf, len, true);
}

int guest_fetch_insn(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *buf, size_t len)
{
	struct gwalk_mem mem = vm_gwalk_mem(v->vm);
	struct gwalk_regs regs = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.supervisor_smap_exempt = true, .max_gpa = guest_max_gpa(),
	};
	bool code64 = guest_code64(s);
	uint64_t rip = code64 ? v->regs.rip : (uint32_t)v->regs.rip;
	uint64_t lin = code64 ? rip : (uint32_t)(s->cs.base + rip);
	unsigned int access = GWALK_FETCH | (guest_cpl(v, s) == 3 ? GWALK_USER : 0);
	size_t done = 0;

	while (done < len) {
		uint64_t a = code64 ? lin + done : (uint32_t)(lin + done);
		size_t n = MIN(len - done, PAGE_SIZE - (a & (PAGE_SIZE - 1)));
		struct gwalk_result r;

		if (gwalk_translate(&mem, &regs, a, access, &r) || r.fault ||
		    vm_read_gpa(v->vm, r.gpa, buf + done, n))
			break;
		done += n;
	}
	return done ? (int)done : -EFAULT;
}

unsigned int guest_insn_length(struct vcpu *v, const struct vcpu_exit *e)
{
	uint8_t b[INSN_MAX_LEN];
	struct vcpu_sregs s;
	int n;

	if (e->insn_len)
		return e->insn_len;
	virt->get_sregs(v, &s);
	n = guest_fetch_insn(v, &s, b, sizeof(b));
	if (n <= 0)
		return 0;
	return insn_exit_length(e->reason, b, (unsigned int)n, guest_code64(&s));
}
