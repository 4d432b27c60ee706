/* Sync regs in kvm_run (KVM_CAP_SYNC_REGS), see hv/kvm_sync_regs.c. */
#ifndef HV_KVM_SYNC_REGS_H
#define HV_KVM_SYNC_REGS_H

struct kvm_vcpu;

/* KVM_RUN entry: checks kvm_valid_regs/kvm_dirty_regs (unknown bits: -EINVAL)
 * and loads the dirty parts; -EINVAL for a state the vcpu refuses. */
int kvm_sync_regs_load(struct kvm_vcpu *kv);
/* KVM_RUN return: stores the parts kvm_valid_regs asks for. */
void kvm_sync_regs_store(struct kvm_vcpu *kv);

#endif
