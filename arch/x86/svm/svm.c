/*
 * The SVM backend: turning SVM on per CPU, ASIDs, VMCB set-up in the x86
 * reset state, and the ops table. Entry/exit lives in svm_run.c and
 * svm_entry.S, exit decoding in svm_exit.c, guest state in svm_state.c,
 * svm_seg.c and svm_msr.c, events in svm_events.c.
 */
#include "arch/x86/virt.h"
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

#define CPUID_80000001_ECX_SVM	(1u << 2)
#define IOPM_ORDER		2	/* 12 KiB used, physically contiguous */
#define MSRPM_ORDER		1	/* 8 KiB */

/* ASIDs beyond this many are shared (and flushed on every entry). */
#define SVM_MAX_ASIDS		4096

struct svm_caps svm_caps;
static struct svm_cpu svm_cpus[MAX_CPUS];

static spinlock_t asid_lock = SPINLOCK_INIT;
static uint64_t asid_used[SVM_MAX_ASIDS / 64];

struct svm_cpu *svm_this_cpu(void)
{
	return &svm_cpus[this_cpu()->cpu_id];
}

struct svm_cpu *svm_cpu_by_id(unsigned int cpu)
{
	return &svm_cpus[cpu];
}

static int svm_read_caps(void)
{
	struct cpuid_regs r = cpuid(0x80000000, 0);

	if (r.eax < 0x8000000a || !(cpuid(0x80000001, 0).ecx & CPUID_80000001_ECX_SVM))
		return -ENODEV;
	r = cpuid(0x8000000a, 0);
	svm_caps.features = r.edx;
	svm_caps.nr_asids = MIN(r.ebx, (uint32_t)SVM_MAX_ASIDS);
	svm_caps.nrips = r.edx & SVM_FEAT_NRIPS;
	svm_caps.decode_assists = r.edx & SVM_FEAT_DECODE_ASSISTS;
	svm_caps.flush_asid_cmd = (r.edx & SVM_FEAT_FLUSH_BY_ASID) ?
		SVM_TLB_CONTROL_FLUSH_ASID : SVM_TLB_CONTROL_FLUSH_ALL;
	return 0;
}

static int svm_cpu_enable(void)
{
	struct svm_cpu *c = svm_this_cpu();
	uint32_t id = this_cpu()->cpu_id;
	int err;

	if (c->enabled)
		return 0;
	err = svm_read_caps();
	if (err) {
		pr_err("svm: cpu %u: no SVM in CPUID\n", id);
		return err;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_err("svm: cpu %u: SVM disabled by firmware (VM_CR.SVMDIS)\n", id);
		return -ENODEV;
	}
	if (!(svm_caps.features & SVM_FEAT_NPT)) {
		pr_err("svm: cpu %u: no nested paging; tern needs NPT\n", id);
		return -ENODEV;
	}
	if (svm_caps.nr_asids < 2) {
		pr_err("svm: cpu %u: no guest ASIDs\n", id);
		return -ENODEV;
	}
	if (c->hsave_pa == 0) {
		paddr_t hsave = frame_alloc(0), host = frame_alloc(0);

		if (hsave == FRAME_NONE || host == FRAME_NONE) {
			if (hsave != FRAME_NONE)
				frame_free(hsave, 0);
			if (host != FRAME_NONE)
				frame_free(host, 0);
			pr_err("svm: cpu %u: no memory for the host save area\n", id);
			return -ENOMEM;
		}
		c->hsave_pa = hsave;
		c->host_vmcb_pa = host;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
	c->enabled = true;
	if (id == 0)
		pr_info("svm: %u ASIDs, NRIP save %s, decode assists %s, flush by ASID %s\n",
			svm_caps.nr_asids, svm_caps.nrips ? "yes" : "no",
			svm_caps.decode_assists ? "yes" : "no",
			svm_caps.flush_asid_cmd == SVM_TLB_CONTROL_FLUSH_ASID ? "yes" : "no");
	return 0;
}

/*
 * One ASID per vcpu for its lifetime. A TLB may still hold entries of a
 * previous owner of the ASID or of this vcpu's earlier visit to a CPU, so
 * svm_vcpu_run flushes on the first entry and whenever the CPU changes.
 */
static void svm_asid_alloc(struct svm_vcpu *sv, uint32_t vcpu_id)
{
	uint64_t flags = spin_lock_irqsave(&asid_lock);
	uint32_t a;

	for (a = 1; a < svm_caps.nr_asids; a++) {
		if (!(asid_used[a / 64] & (1ull << (a % 64)))) {
			asid_used[a / 64] |= 1ull << (a % 64);
			sv->asid = a;
			sv->asid_shared = false;
			spin_unlock_irqrestore(&asid_lock, flags);
			return;
		}
	}
	spin_unlock_irqrestore(&asid_lock, flags);
	/* Out of ASIDs: share one and flush it on every entry. Slow, correct. */
	sv->asid = 1 + vcpu_id % (svm_caps.nr_asids - 1);
	sv->asid_shared = true;
}

static void svm_asid_free(struct svm_vcpu *sv)
{
	uint64_t flags;

	if (sv->asid_shared || sv->asid == 0)
		return;
	flags = spin_lock_irqsave(&asid_lock);
	asid_used[sv->asid / 64] &= ~(1ull << (sv->asid % 64));
	spin_unlock_irqrestore(&asid_lock, flags);
}

static void svm_seg_reset(struct vmcb_seg *s, uint16_t sel, uint64_t base, uint16_t attrib)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = 0xffff;
	s->base = base;
}

/* The power-on/INIT state (APM vol. 2, table 14-1), as KVM sets it. */
static void svm_reset_state(struct vcpu *v, struct vmcb *vmcb)
{
	struct vmcb_save *s = &vmcb->save;

	svm_seg_reset(&s->cs, 0xf000, 0xffff0000, 0x9b);	/* code, accessed, P */
	svm_seg_reset(&s->ds, 0, 0, 0x93);			/* data RW, accessed, P */
	svm_seg_reset(&s->es, 0, 0, 0x93);
	svm_seg_reset(&s->ss, 0, 0, 0x93);
	svm_seg_reset(&s->fs, 0, 0, 0x93);
	svm_seg_reset(&s->gs, 0, 0, 0x93);
	svm_seg_reset(&s->ldtr, 0, 0, 0x82);			/* LDT, P */
	svm_seg_reset(&s->tr, 0, 0, 0x8b);			/* busy TSS, P */
	svm_seg_reset(&s->gdtr, 0, 0, 0);
	svm_seg_reset(&s->idtr, 0, 0, 0);
	s->cpl = 0;
	s->efer = EFER_SVME;	/* VMRUN demands it; hidden from the guest */
	s->cr0 = 0x60000010;	/* CD, NW, ET */
	s->cr2 = s->cr3 = s->cr4 = 0;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ull;
	s->rflags = X86_EFLAGS_FIXED;
	s->rip = 0xfff0;
	s->rsp = 0;
	s->rax = 0;

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = 0xfff0;
	v->regs.rflags = X86_EFLAGS_FIXED;
}

static void svm_setup_control(struct svm_vcpu *sv, struct vm *vm)
{
	struct vmcb_control *c = &sv->vmcb->control;

	/*
	 * Always intercepted: host interrupts/NMI/SMI/INIT so the host keeps the
	 * CPU, SHUTDOWN so a triple fault ends only this guest, CPUID/HLT/IO/MSR
	 * for emulation, INVD (would drop host cache lines), the SVM instructions
	 * (no nested SVM: #UD), and task switches (emulated, never native).
	 */
	c->intercept_misc1 = SVM_INTERCEPT1_INTR | SVM_INTERCEPT1_NMI | SVM_INTERCEPT1_SMI |
			     SVM_INTERCEPT1_INIT | SVM_INTERCEPT1_CPUID | SVM_INTERCEPT1_INVD |
			     SVM_INTERCEPT1_HLT | SVM_INTERCEPT1_INVLPGA | SVM_INTERCEPT1_IOIO |
			     SVM_INTERCEPT1_MSR | SVM_INTERCEPT1_TASK_SWITCH |
			     SVM_INTERCEPT1_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL |
			     SVM_INTERCEPT2_VMLOAD | SVM_INTERCEPT2_VMSAVE |
			     SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI | SVM_INTERCEPT2_SKINIT;
	c->iopm_base_pa = sv->iopm_pa;
	c->msrpm_base_pa = sv->msrpm_pa;
	c->asid = sv->asid;
	c->tlb_control = SVM_TLB_CONTROL_NONE;
	/* Guest IF/CR8 gate only virtual interrupts; host interrupts stay the
	 * host's (gated by the host's IF saved at VMRUN). */
	c->int_ctl = SVM_INT_CTL_V_INTR_MASKING;
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = npt_root(vm->npt);
	/* No VMCB clean bits: QEMU has none and 0 is always correct. */
	c->clean_bits = 0;
}

static int svm_vcpu_init(struct vcpu *v)
{
	struct svm_vcpu *sv;
	paddr_t vmcb, iopm, msrpm;

	if (!v->vm || !v->vm->npt) {
		pr_err("svm: vcpu %u: VM has no nested page table\n", v->id);
		return -EINVAL;
	}
	sv = kzalloc(sizeof(*sv));
	vmcb = frame_alloc(0);
	iopm = frame_alloc(IOPM_ORDER);
	msrpm = frame_alloc(MSRPM_ORDER);
	if (!sv || vmcb == FRAME_NONE || iopm == FRAME_NONE || msrpm == FRAME_NONE) {
		if (vmcb != FRAME_NONE)
			frame_free(vmcb, 0);
		if (iopm != FRAME_NONE)
			frame_free(iopm, IOPM_ORDER);
		if (msrpm != FRAME_NONE)
			frame_free(msrpm, MSRPM_ORDER);
		kfree(sv);
		pr_err("svm: vcpu %u: out of memory\n", v->id);
		return -ENOMEM;
	}
	sv->vmcb = phys_to_virt(vmcb);
	sv->vmcb_pa = vmcb;
	sv->iopm_pa = iopm;
	sv->msrpm = phys_to_virt(msrpm);
	sv->msrpm_pa = msrpm;
	sv->last_cpu = -1;
	sv->loaded_cpu = -1;
	/* Every port exits: in-core devices and the owner decide. */
	memset(phys_to_virt(iopm), 0xff, PAGE_SIZE << IOPM_ORDER);
	svm_msrpm_init(sv);
	svm_asid_alloc(sv, v->id);
	v->arch = sv;
	svm_setup_control(sv, v->vm);
	svm_reset_state(v, sv->vmcb);
	return 0;
}

static void svm_vcpu_free(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;

	if (!sv)
		return;
	if (sv->loaded_cpu >= 0) {
		struct vcpu *expect = v;

		/* Forget it on the CPU holding its DR0-3 (no put happened). */
		__atomic_compare_exchange_n(&svm_cpu_by_id(sv->loaded_cpu)->current, &expect,
					    NULL, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
	svm_asid_free(sv);
	frame_free(sv->vmcb_pa, 0);
	frame_free(sv->iopm_pa, IOPM_ORDER);
	frame_free(sv->msrpm_pa, MSRPM_ORDER);
	kfree(sv);
	v->arch = NULL;
}

static int svm_vm_init(struct vm *vm)
{
	/* Nothing VM-wide: ASIDs are per vcpu and the NPT root is read per vcpu. */
	(void)vm;
	return 0;
}

/*
 * Each vcpu flushes its ASID at its next entry. A vcpu in guest mode on
 * another CPU right now keeps stale translations until it exits; callers
 * that unmap memory a running vcpu may touch must kick it.
 */
static void svm_vm_flush_tlb(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < VM_MAX_VCPUS; i++) {
		struct vcpu *v = vm->vcpus[i];

		if (v && v->arch)
			__atomic_store_n(&to_svm(v)->flush_pending, true, __ATOMIC_RELEASE);
	}
}

static void svm_set_exception_intercept(struct vcpu *v, uint8_t vector, bool on)
{
	struct vmcb_control *c = &to_svm(v)->vmcb->control;

	if (vector >= 32)
		return;
	if (on)
		c->intercept_exceptions |= 1u << vector;
	else
		c->intercept_exceptions &= ~(1u << vector);
	/* Some SVM implementations (QEMU TCG) report INT3 only as an INTn
	 * intercept: take those too while #BP is wanted (svm_swint.c). */
	if (vector == X86_BP) {
		if (on)
			c->intercept_misc1 |= SVM_INTERCEPT1_INTN;
		else
			c->intercept_misc1 &= ~SVM_INTERCEPT1_INTN;
	}
}

static void svm_skip_instruction(struct vcpu *v, unsigned int len)
{
	v->regs.rip += len;
	to_svm(v)->vmcb->control.int_state &= ~SVM_INT_STATE_SHADOW;
}

static void svm_set_tsc_offset(struct vcpu *v, int64_t offset)
{
	to_svm(v)->vmcb->control.tsc_offset = (uint64_t)offset;
}

const struct virt_ops svm_ops = {
	.name = "svm",
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_flush_tlb = svm_vm_flush_tlb,
	.vcpu_init = svm_vcpu_init,
	.vcpu_free = svm_vcpu_free,
	.vcpu_load = svm_vcpu_load,
	.vcpu_put = svm_vcpu_put,
	.vcpu_run = svm_vcpu_run,
	.get_sregs = svm_get_sregs,
	.set_sregs = svm_set_sregs,
	.get_cr8 = svm_get_cr8,
	.get_debugregs = svm_get_debugregs,
	.set_debugregs = svm_set_debugregs,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.set_msr_intercept = svm_set_msr_intercept,
	.inject_event = svm_inject_event,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.request_window = svm_request_window,
	.pending_event = svm_pending_event,
	.cancel_event = svm_cancel_event,
	.get_interruptibility = svm_get_interruptibility,
	.set_interruptibility = svm_set_interruptibility,
	.set_exception_intercept = svm_set_exception_intercept,
	.skip_instruction = svm_skip_instruction,
	.set_tsc_offset = svm_set_tsc_offset,
	.bare_loop_cycles = svm_bare_loop_cycles,
};
