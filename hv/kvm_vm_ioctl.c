/*
 * The VM-fd ioctls the core answers for the service domain (TERN_SYS_VM_IOCTL),
 * with Linux 6.1's checks and errno; the argument is the ioctl's integer or a
 * pointer into the caller's memory. Unknown ioctls: -ENOTTY (a VM fd is the
 * one KVM fd that answers so).
 */
#include "hv/kvm_obj.h"
#include "hv/kvm_caps.h"
#include "hv/clock.h"
#include "hv/errno.h"
#include "hv/fpu.h"
#include "hv/percpu.h"
#include "hv/string.h"
#include "hv/uaccess.h"
#include "arch/x86/cpu.h"
#include "abi/include/linux/kvm.h"

/* Every KVM_CLOCK_* flag Linux 6.1 defines: KVM_SET_CLOCK takes them all,
 * so that KVM_GET_CLOCK's answer (from tern or from Linux) can be passed back. */
#define CLOCK_VALID_FLAGS	(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC)

int64_t kvm_check_extension(uint64_t cap)
{
	struct kvm_cap_env env = {
		.cpus = cpus_online,
		.xsave = fpu_host_xcr0() != 0,
	};

	return kvm_cap_value(cap, &env);
}

static int64_t get_clock(struct kvm_vm *kvm, uintptr_t uarg)
{
	struct kvm_clock_data d;

	memset(&d, 0, sizeof(d));
	spin_lock(&kvm->lock);
	d.clock = clock_ns() + (uint64_t)kvm->clock_offset;
	/* The moment the clock was read, in host TSC ticks (clock_ns's source). */
	d.host_tsc = rdtsc();
	spin_unlock(&kvm->lock);
	d.flags = KVM_CLOCK_TERN_FLAGS;
	return copy_to_user(uarg, &d, sizeof(d));
}

/*
 * The VM clock becomes d.clock now and runs on from there. KVM_CLOCK_REALTIME
 * asks Linux to add the wall-clock time elapsed since d.realtime; tern keeps
 * no wall clock, so the clock is taken as it is (what Linux does too when its
 * host clock is not the TSC).
 */
static int64_t set_clock(struct kvm_vm *kvm, uintptr_t uarg)
{
	struct kvm_clock_data d;
	int err = copy_from_user(&d, uarg, sizeof(d));

	if (err)
		return err;
	if (d.flags & ~CLOCK_VALID_FLAGS)
		return -EINVAL;
	spin_lock(&kvm->lock);
	kvm->clock_offset = (int64_t)(d.clock - clock_ns());
	spin_unlock(&kvm->lock);
	return 0;
}

static int64_t coalesced(struct kvm_vm *kvm, uintptr_t uarg, bool add)
{
	struct kvm_coalesced_mmio_zone z;
	int err = copy_from_user(&z, uarg, sizeof(z));

	if (err)
		return err;
	return add ? kvm_coalesced_register(&kvm->coalesced, &z)
		   : kvm_coalesced_unregister(&kvm->coalesced, &z);
}

/*
 * Real mode under VMX without unrestricted guest needs a TSS (three pages)
 * and an identity-mapped page table in guest memory; Linux takes their
 * addresses from these ioctls. tern needs neither (unrestricted guest on
 * VMX, SVM runs real mode as is) but records them with Linux's checks, as
 * Linux with unrestricted guest does.
 */
static int64_t set_tss_addr(struct kvm_vm *kvm, uint64_t addr)
{
	/* The three pages must end below 4 GiB. */
	if (addr > (uint32_t)(-3 * PAGE_SIZE))
		return -EINVAL;
	spin_lock(&kvm->lock);
	kvm->tss_addr = (uint32_t)addr;
	spin_unlock(&kvm->lock);
	return 0;
}

static int64_t set_identity_map_addr(struct kvm_vm *kvm, uintptr_t uarg)
{
	uint64_t addr;
	int err = 0;

	/* Linux checks for vcpus before it reads the argument. */
	spin_lock(&kvm->lock);
	if (kvm->created_vcpus)
		err = -EINVAL;
	spin_unlock(&kvm->lock);
	if (err)
		return err;
	err = copy_from_user(&addr, uarg, sizeof(addr));
	if (err)
		return err;
	spin_lock(&kvm->lock);
	/* A vcpu created while the argument was read wins, as under Linux's lock. */
	if (kvm->created_vcpus)
		err = -EINVAL;
	else
		kvm->identity_map_addr = addr;
	spin_unlock(&kvm->lock);
	return err;
}

bool kvm_vm_ioctl_is_getter(uint32_t cmd)
{
	return cmd == KVM_CHECK_EXTENSION || cmd == KVM_GET_CLOCK;
}

int64_t kvm_vm_ioctl(struct kvm_vm *kvm, uint32_t cmd, uintptr_t uarg)
{
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(uarg);
	case KVM_GET_CLOCK:
		return get_clock(kvm, uarg);
	case KVM_SET_CLOCK:
		return set_clock(kvm, uarg);
	case KVM_REGISTER_COALESCED_MMIO:
		return coalesced(kvm, uarg, true);
	case KVM_UNREGISTER_COALESCED_MMIO:
		return coalesced(kvm, uarg, false);
	case KVM_SET_TSS_ADDR:
		return set_tss_addr(kvm, uarg);
	case KVM_SET_IDENTITY_MAP_ADDR:
		return set_identity_map_addr(kvm, uarg);
	}
	return -ENOTTY;
}
