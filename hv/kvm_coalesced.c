/*
 * Coalesced MMIO (KVM_REGISTER_COALESCED_MMIO): writes to registered zones are
 * queued in the VM's ring page instead of exiting. No zones can be registered
 * yet, so every write takes the ordinary MMIO exit.
 */
#include "hv/kvm_obj.h"

bool kvm_coalesced_mmio_write(struct kvm_vm *kvm, uint64_t gpa, const void *data, uint32_t len)
{
	(void)kvm;
	(void)gpa;
	(void)data;
	(void)len;
	return false;
}
