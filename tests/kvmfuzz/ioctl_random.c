// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: random ioctls through libkvm: fully random numbers, random ones of
 * KVM's type (0xAE) with random nr, size and direction, and the real KVM
 * ioctl numbers, on /dev/kvm, VM and vcpu fds and on random fd numbers, with
 * an integer argument or a pointer (fz_pick_ptr) to random bytes.
 */
#include <sys/ioctl.h>

#include "fuzz.h"

static const unsigned long kvm_ioctls[] = {
	KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_GET_MSR_INDEX_LIST, KVM_CHECK_EXTENSION,
	KVM_GET_VCPU_MMAP_SIZE, KVM_GET_SUPPORTED_CPUID, KVM_GET_EMULATED_CPUID,
	KVM_GET_MSR_FEATURE_INDEX_LIST, KVM_CREATE_VCPU, KVM_GET_DIRTY_LOG,
	KVM_SET_NR_MMU_PAGES, KVM_GET_NR_MMU_PAGES, KVM_SET_USER_MEMORY_REGION,
	KVM_SET_TSS_ADDR, KVM_SET_IDENTITY_MAP_ADDR, KVM_CREATE_IRQCHIP, KVM_IRQ_LINE,
	KVM_GET_IRQCHIP, KVM_SET_IRQCHIP, KVM_CREATE_PIT, KVM_GET_PIT, KVM_SET_PIT,
	KVM_IRQ_LINE_STATUS, KVM_REGISTER_COALESCED_MMIO, KVM_UNREGISTER_COALESCED_MMIO,
	KVM_SET_GSI_ROUTING, KVM_REINJECT_CONTROL, KVM_IRQFD, KVM_CREATE_PIT2,
	KVM_SET_BOOT_CPU_ID, KVM_IOEVENTFD, KVM_SET_CLOCK, KVM_GET_CLOCK, KVM_GET_PIT2,
	KVM_SET_PIT2, KVM_SET_TSC_KHZ, KVM_GET_TSC_KHZ, KVM_SIGNAL_MSI, KVM_CLEAR_DIRTY_LOG,
	KVM_CREATE_DEVICE, KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR,
	KVM_RUN, KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS, KVM_SET_SREGS, KVM_TRANSLATE,
	KVM_INTERRUPT, KVM_GET_MSRS, KVM_SET_MSRS, KVM_SET_CPUID, KVM_SET_SIGNAL_MASK,
	KVM_GET_FPU, KVM_SET_FPU, KVM_GET_LAPIC, KVM_SET_LAPIC, KVM_SET_CPUID2,
	KVM_GET_CPUID2, KVM_TPR_ACCESS_REPORTING, KVM_SET_VAPIC_ADDR, KVM_GET_MP_STATE,
	KVM_SET_MP_STATE, KVM_NMI, KVM_SET_GUEST_DEBUG, KVM_X86_SETUP_MCE,
	KVM_X86_GET_MCE_CAP_SUPPORTED, KVM_X86_SET_MCE, KVM_GET_VCPU_EVENTS,
	KVM_SET_VCPU_EVENTS, KVM_GET_DEBUGREGS, KVM_SET_DEBUGREGS, KVM_ENABLE_CAP,
	KVM_GET_XSAVE, KVM_SET_XSAVE, KVM_GET_XCRS, KVM_SET_XCRS, KVM_GET_ONE_REG,
	KVM_SET_ONE_REG, KVM_KVMCLOCK_CTRL, KVM_GET_REG_LIST, KVM_SMI, KVM_GET_SREGS2,
	KVM_SET_SREGS2, KVM_GET_XSAVE2,
};
#define NR_KVM_IOCTLS (sizeof(kvm_ioctls) / sizeof(kvm_ioctls[0]))

static unsigned long pick_cmd(void)
{
	unsigned long cmd = kvm_ioctls[fz_below(NR_KVM_IOCTLS)];

	switch (fz_below(4)) {
	case 0:
		return (uint32_t)fz_rand();
	case 1:
		return _IOC(fz_below(4), KVMIO, fz_below(256), fz_below(1 << 14));
	case 2:	/* a real one with its direction or size changed */
		if (fz_chance(50))
			return (cmd & ~(3ul << _IOC_DIRSHIFT)) | (fz_below(4) << _IOC_DIRSHIFT);
		return (cmd & ~(0x3ffful << _IOC_SIZESHIFT)) | (fz_below(1 << 14) << _IOC_SIZESHIFT);
	default:
		return cmd;
	}
}

static int pick_fd(void)
{
	switch (fz_below(12)) {
	case 0: return (int)fz_below(48);	/* whatever is there, the console too */
	case 1: return (int)fz_interesting();
	case 2: return fz_kvm;
	case 3: return fz_pool_pick(FZ_SYS);
	case 4: case 5: case 6: return fz_pool_pick(FZ_VM);
	default: return fz_pool_pick(FZ_VCPU);
	}
}

static uint64_t pick_arg(void)
{
	uint64_t p;

	switch (fz_below(4)) {
	case 0:
		return fz_not_ours(fz_interesting());
	case 1:
		return fz_below(16);
	default:
		p = fz_pick_ptr();
		if (p >= (uint64_t)fz_scratch && p < (uint64_t)fz_scratch + FZ_SCRATCH_USE)
			fz_fill((void *)p, (uint64_t)fz_scratch + FZ_SCRATCH_LEN - p < 512 ?
				(uint64_t)fz_scratch + FZ_SCRATCH_LEN - p : 512);
		return p;
	}
}

/*
 * A new VM or vcpu fd from a random CREATE goes into the pool (or is closed),
 * so fds do not run out.
 */
static void adopt(unsigned long cmd, int fd, int r)
{
	if (r < 0 || fd < 0)
		return;
	if (cmd == KVM_CREATE_VM)
		fz_pool_add(r, FZ_VM);
	else if (cmd == KVM_CREATE_VCPU)
		fz_pool_add(r, FZ_VCPU);
}

void fz_op_random_ioctl(void)
{
	unsigned long cmd = pick_cmd();
	uint64_t arg = pick_arg();
	int fd = pick_fd(), r;

	/*
	 * A signal mask the fuzzer cannot control could block the watchdog's
	 * kick for good: only NULL (clear it) and bad pointers.
	 */
	if (cmd == KVM_SET_SIGNAL_MASK && arg >= (uint64_t)fz_scratch &&
	    arg < (uint64_t)fz_scratch + FZ_SCRATCH_LEN)
		arg = 0;
	r = fz_ioctl("a random ioctl", fd, cmd, arg);
	adopt(cmd, fd, r);
}
