/*
 * The KVM_CHECK_EXTENSION table (see hv/kvm_caps.h). A capability listed here
 * is one a VMM may rely on; everything else (in-kernel irqchip, PIT, irqfd,
 * ioeventfd, kvmclock, ENABLE_CAP, ...) answers 0 until tern implements it.
 */
#include "hv/kvm_caps.h"
#include "hv/vm.h"
#include "abi/include/tern/kvm_ring.h"

/*
 * Capabilities whose answer does not depend on the machine, with why tern
 * can claim each:
 * HLT			KVM_EXIT_HLT reaches the device model.
 * USER_MEMORY		KVM_SET_USER_MEMORY_REGION (service domain, TERN_SYS_VM_MAP).
 * READONLY_MEM		KVM_MEM_READONLY slots (TERN_VM_MAP_READONLY; writes exit).
 * SET_TSS_ADDR,
 * SET_IDENTITY_MAP_ADDR	accepted and recorded (hv/kvm_vm_ioctl.c); tern runs
 *			real mode without them (unrestricted guest, SVM).
 * EXT_CPUID		KVM_GET_SUPPORTED_CPUID and KVM_SET/GET_CPUID2.
 * EXT_EMUL_CPUID	KVM_GET_EMULATED_CPUID.
 * NR_MEMSLOTS		the service domain's memslot table.
 * MAX_VCPUS, MAX_VCPU_ID	ids 0 .. VM_MAX_VCPUS - 1 (hv/vm.h).
 * MP_STATE		KVM_GET/SET_MP_STATE.
 * COALESCED_MMIO	the ring page offset in the vcpu mapping, as Linux.
 * DESTROY_MEMORY_REGION_WORKS,
 * JOIN_MEMORY_REGIONS_WORKS	slot deletion and re-creation leave no stale
 *			mapping (the service domain unmaps first).
 * USER_NMI		KVM_NMI.
 * SET_GUEST_DEBUG	KVM_SET_GUEST_DEBUG with KVM_EXIT_DEBUG.
 * ADJUST_CLOCK		KVM_GET/SET_CLOCK; the value is the flags GET_CLOCK reports.
 * INTERNAL_ERROR_DATA	KVM_EXIT_INTERNAL_ERROR carries ndata/data.
 * VCPU_EVENTS, DEBUGREGS	the vcpu ioctls of those names.
 * XSAVE		KVM_GET/SET_XSAVE (the legacy area at least, as Linux).
 * CHECK_EXTENSION_VM	this table answers on VM fds too.
 * IMMEDIATE_EXIT	kvm_run->immediate_exit makes KVM_RUN return -EINTR.
 * GET_MSR_FEATURES	KVM_GET_MSR_FEATURE_INDEX_LIST and KVM_GET_MSRS on /dev/kvm.
 * SYNC_REGS		kvm_run->s loaded and stored by KVM_RUN (hv/kvm_sync_regs.c);
 *			the value is the parts it syncs.
 *
 * Left at 0 although something of it exists: COALESCED_PIO (port I/O exits do not consult the
 * zones yet, though KVM_REGISTER_COALESCED_MMIO accepts pio zones as Linux),
 * SYNC_MMU (guest memory is pinned at map time: a later munmap/mmap of the
 * range is not seen by the VM), MULTI_ADDRESS_SPACE (no SMM).
 */
static const int64_t fixed[] = {
	[KVM_CAP_HLT]				= 1,
	[KVM_CAP_USER_MEMORY]			= 1,
	[KVM_CAP_SET_TSS_ADDR]			= 1,
	[KVM_CAP_EXT_CPUID]			= 1,
	[KVM_CAP_NR_MEMSLOTS]			= TERN_KVM_USER_MEM_SLOTS,
	[KVM_CAP_MP_STATE]			= 1,
	[KVM_CAP_COALESCED_MMIO]		= KVM_COALESCED_MMIO_PAGE_OFFSET,
	[KVM_CAP_DESTROY_MEMORY_REGION_WORKS]	= 1,
	[KVM_CAP_USER_NMI]			= 1,
	[KVM_CAP_SET_GUEST_DEBUG]		= 1,
	[KVM_CAP_JOIN_MEMORY_REGIONS_WORKS]	= 1,
	[KVM_CAP_SET_IDENTITY_MAP_ADDR]		= 1,
	[KVM_CAP_ADJUST_CLOCK]			= KVM_CLOCK_TERN_FLAGS,
	[KVM_CAP_INTERNAL_ERROR_DATA]		= 1,
	[KVM_CAP_VCPU_EVENTS]			= 1,
	[KVM_CAP_DEBUGREGS]			= 1,
	[KVM_CAP_XSAVE]				= 1,
	[KVM_CAP_READONLY_MEM]			= 1,
	[KVM_CAP_MAX_VCPUS]			= VM_MAX_VCPUS,
	[KVM_CAP_EXT_EMUL_CPUID]		= 1,
	[KVM_CAP_CHECK_EXTENSION_VM]		= 1,
	[KVM_CAP_MAX_VCPU_ID]			= VM_MAX_VCPUS,
	[KVM_CAP_IMMEDIATE_EXIT]		= 1,
	[KVM_CAP_GET_MSR_FEATURES]		= 1,
	[KVM_CAP_SYNC_REGS]			= KVM_SYNC_X86_VALID_FIELDS,
};

int64_t kvm_cap_value(uint64_t cap, const struct kvm_cap_env *env)
{
	switch (cap) {
	case KVM_CAP_NR_VCPUS:
		/* The recommended maximum: no more vcpus than CPUs to run them. */
		return MIN(env->cpus ? env->cpus : 1u, (unsigned int)VM_MAX_VCPUS);
	case KVM_CAP_XCRS:
		/* Without XSAVE in the core there is no XCR0 to get or set. */
		return env->xsave;
	}
	return cap < ARRAY_SIZE(fixed) ? fixed[cap] : 0;
}
