/*
 * Sync regs (KVM_CAP_SYNC_REGS): registers travel in kvm_run.s instead of
 * separate GET/SET ioctls. On KVM_RUN entry the parts named in kvm_dirty_regs
 * are loaded into the vcpu (and their bits cleared); on the way out the parts
 * named in kvm_valid_regs are stored. The page is shared with the device
 * model, so each part is copied out before it is checked or used.
 */
#include "hv/kvm_sync_regs.h"
#include "hv/kvm_obj.h"
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/errno.h"
#include "abi/include/linux/kvm.h"

int kvm_sync_regs_load(struct kvm_vcpu *kv)
{
	struct kvm_run *run = kv->run;
	uint64_t valid = __atomic_load_n(&run->kvm_valid_regs, __ATOMIC_RELAXED);
	uint64_t dirty = __atomic_load_n(&run->kvm_dirty_regs, __ATOMIC_RELAXED);

	if ((valid | dirty) & ~(uint64_t)KVM_SYNC_X86_VALID_FIELDS)
		return -EINVAL;
	if (dirty & KVM_SYNC_X86_REGS) {
		struct kvm_regs r = run->s.regs.regs;

		kvm_vcpu_regs_write(kv->vcpu, &r);
		dirty &= ~(uint64_t)KVM_SYNC_X86_REGS;
	}
	if (dirty & KVM_SYNC_X86_SREGS) {
		struct kvm_sregs s = run->s.regs.sregs;

		if (kvm_vcpu_sregs_write(kv->vcpu, &s))
			return -EINVAL;
		dirty &= ~(uint64_t)KVM_SYNC_X86_SREGS;
	}
	if (dirty & KVM_SYNC_X86_EVENTS) {
		struct kvm_vcpu_events ev = run->s.regs.events;

		if (kvm_vcpu_events_write(kv->vcpu, &ev))
			return -EINVAL;
		dirty &= ~(uint64_t)KVM_SYNC_X86_EVENTS;
	}
	__atomic_store_n(&run->kvm_dirty_regs, dirty, __ATOMIC_RELAXED);
	return 0;
}

void kvm_sync_regs_store(struct kvm_vcpu *kv)
{
	struct kvm_run *run = kv->run;
	uint64_t valid = __atomic_load_n(&run->kvm_valid_regs, __ATOMIC_RELAXED);
	struct kvm_sregs s;
	struct kvm_vcpu_events ev;
	struct kvm_regs r;

	if (valid & KVM_SYNC_X86_REGS) {
		kvm_vcpu_regs_read(kv->vcpu, &r);
		run->s.regs.regs = r;
	}
	if (valid & KVM_SYNC_X86_SREGS) {
		kvm_vcpu_sregs_read(kv->vcpu, &s);
		run->s.regs.sregs = s;
	}
	if (valid & KVM_SYNC_X86_EVENTS) {
		kvm_vcpu_events_read(kv->vcpu, &ev);
		run->s.regs.events = ev;
	}
}
