/* MMIO exits of KVM_RUN (see hv/kvm_mmio.h). */
#include "hv/kvm_mmio.h"
#include "hv/kvm_run_exit.h"
#include "hv/guest_access.h"
#include "hv/insn_len.h"
#include "hv/vm.h"
#include "hv/string.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "emul/mmio_step.h"
#include "mmu/gwalk.h"
#include "arch/x86/virt.h"
#include "abi/include/linux/kvm.h"

/* The guest as emul/mmio_step.c sees it: the vcpu and its segment state. */
struct mmio_guest {
	struct kvm_vcpu *kv;
	struct vcpu_sregs s;
};

static uint64_t guest_seg(void *ctx, int seg)
{
	struct mmio_guest *g = ctx;

	return guest_seg_base(&g->s, seg);
}

static int guest_xlate(void *ctx, uint64_t lin, bool write, uint64_t *gpa)
{
	struct mmio_guest *g = ctx;

	return guest_translate(g->kv->vcpu, &g->s, lin, write ? GWALK_WRITE : 0, gpa);
}

static int guest_ram_read(void *ctx, uint64_t gpa, void *buf, unsigned int len)
{
	struct mmio_guest *g = ctx;

	return vm_read_gpa(g->kv->vcpu->vm, gpa, buf, len);
}

static int guest_ram_write(void *ctx, uint64_t gpa, const void *buf, unsigned int len)
{
	struct mmio_guest *g = ctx;
	struct vm *vm = g->kv->vcpu->vm;

	if (!vm_write_gpa(vm, gpa, buf, len))
		return 0;
	/* A dirty-logged page is write-protected until its first write. */
	if (kvm_vm_dirty_fault(g->kv->kvm, gpa))
		return vm_write_gpa(vm, gpa, buf, len);
	return -EFAULT;
}

static struct mmio_env guest_env(struct mmio_guest *g)
{
	return (struct mmio_env){ .ctx = g, .seg_base = guest_seg, .translate = guest_xlate,
				  .ram_read = guest_ram_read, .ram_write = guest_ram_write };
}

/* Leaving the instruction ends an STI / MOV SS shadow, as executing it would. */
static void retired(struct vcpu *v, uint64_t old_rip)
{
	if (v->regs.rip != old_rip)
		virt->skip_instruction(v, 0);
}

/* A device access for the device model: false (exit), or true when a
 * coalesced MMIO zone took the write and the guest goes on. */
static bool request_exit(struct kvm_vcpu *kv, const struct mmio_request *req)
{
	struct kvm_run *run = kv->run;

	if (req->write && kvm_coalesced_mmio_write(kv->kvm, req->gpa, &req->data, req->len))
		return true;
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = req->gpa;
	run->mmio.len = req->len;
	run->mmio.is_write = req->write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (req->write)
		memcpy(run->mmio.data, &req->data, req->len);
	return false;
}

/*
 * An instruction the core cannot emulate. Linux raises #UD in the guest and
 * exits to the device model only when the guest runs at CPL 0 (there the #UD
 * stays queued for the next KVM_RUN); user code just takes the #UD.
 */
static bool cannot_emulate(struct kvm_vcpu *kv, const struct vcpu_exit *e,
			   const struct vcpu_sregs *s, const uint8_t *bytes, int n, int err)
{
	struct vcpu *v = kv->vcpu;

	pr_warn_ratelimited("vcpu%u: MMIO at gpa %#lx, rip %#lx: cannot emulate (%d)\n", v->id,
		(unsigned long)e->mmio.gpa, (unsigned long)v->regs.rip, err);
	vcpu_inject_exception(v, X86_UD, false, 0);
	if (guest_cpl(v, s) != 0)
		return true;
	kvm_mmio_emulation_failure(kv, e, bytes, n > 0 ? (unsigned int)n : 0);
	return false;
}

bool kvm_mmio_exit(struct kvm_vcpu *kv, struct vcpu_exit *e)
{
	struct vcpu *v = kv->vcpu;
	struct mmio_guest g = { .kv = kv };
	struct mmio_env env = guest_env(&g);
	struct mmio_request req;
	uint8_t bytes[INSN_MAX_LEN];
	uint64_t rip = v->regs.rip;
	struct insn in;
	int n = 0, ret;

	virt->get_sregs(v, &g.s);
	/* Executing from MMIO cannot be emulated: there are no bytes to decode. */
	if (e->mmio.fetch)
		return cannot_emulate(kv, e, &g.s, bytes, 0, -EOPNOTSUPP);
	n = guest_fetch_insn(v, &g.s, bytes, sizeof(bytes));
	if (n <= 0)
		return cannot_emulate(kv, e, &g.s, bytes, 0, -EFAULT);
	ret = insn_decode(bytes, (unsigned int)n, insn_mode_of(&g.s, v->regs.rflags), &in);
	if (ret)
		return cannot_emulate(kv, e, &g.s, bytes, n, ret);
	if (kv->mmio.pending) {
		/* Cannot happen: a pending read is completed before any entry. */
		pr_err("vcpu%u: MMIO exit with a read still pending; dropped\n", v->id);
		kv->mmio.pending = false;
	}
	ret = mmio_step_start(&kv->mmio, &in, &v->regs, &env, &req);
	retired(v, rip);
	if (ret < 0)
		return cannot_emulate(kv, e, &g.s, bytes, n, ret);
	if (ret == MMIO_STEP_RESUME)
		return true;
	return request_exit(kv, &req);
}

/* Kept out of line: its locals (the guest's sregs among them) would otherwise
 * be built on every KVM_RUN, before the test for a pending access. */
static __attribute__((noinline)) bool finish_pending(struct kvm_vcpu *kv)
{
	struct vcpu *v = kv->vcpu;
	struct mmio_guest g = { .kv = kv };
	struct mmio_env env = guest_env(&g);
	struct mmio_request req;
	uint64_t data = 0, rip = v->regs.rip;
	int ret;

	memcpy(&data, kv->run->mmio.data, kv->mmio.req.len);
	virt->get_sregs(v, &g.s);
	ret = mmio_step_finish(&kv->mmio, &v->regs, data, &env, &req);
	retired(v, rip);
	if (ret < 0) {
		struct vcpu_exit e = { .reason = EXIT_MMIO, .mmio.gpa = kv->mmio.req.gpa };

		return !cannot_emulate(kv, &e, &g.s, NULL, 0, ret);
	}
	if (ret == MMIO_STEP_RESUME)
		return false;
	return !request_exit(kv, &req);
}

bool kvm_mmio_complete(struct kvm_vcpu *kv)
{
	return kv->mmio.pending && finish_pending(kv);
}
