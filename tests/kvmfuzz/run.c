// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: vcpus run briefly on random guest memory: real mode (the reset
 * state) at a random IP in slot 0 or with mutated registers, a few KVM_RUNs
 * whatever the exits are (I/O and MMIO are simply resumed, as a device with
 * no registers would), and immediate_exit set at random. A guest that spins
 * is kicked out by the watchdog (kvm_fuzz.c).
 */
#include <string.h>

#include "fuzz.h"

uint64_t fz_guest_exits;

static void random_entry(int fd)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (fz_chance(60)) {
		memset(&regs, 0, sizeof(regs));
		regs.rip = fz_below(0x10000);
		regs.rsp = fz_below(0x10000);
		regs.rflags = 2;
		if (fz_chance(20))
			fz_mutate(&regs, sizeof(regs));
		fz_ioctl("KVM_SET_REGS", fd, KVM_SET_REGS, (uint64_t)&regs);
	}
	if (fz_chance(30) && fz_ioctl("KVM_GET_SREGS", fd, KVM_GET_SREGS, (uint64_t)&sregs) == 0) {
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
		if (fz_chance(30))
			fz_mutate(&sregs, sizeof(sregs));
		fz_ioctl("KVM_SET_SREGS", fd, KVM_SET_SREGS, (uint64_t)&sregs);
	}
}

void fz_op_run(void)
{
	struct fz_entry *e = fz_pool_lock(FZ_VCPU);
	unsigned int i, n;
	uint64_t off;
	int r;

	if (!e)
		return;
	if (!e->run) {
		pthread_mutex_unlock(&e->lock);
		return;
	}
	/* New random code somewhere in guest memory now and then. */
	if (fz_chance(20)) {
		off = fz_below(FZ_GUEST_LEN / FZ_PAGE) * FZ_PAGE;
		fz_fill(fz_guest + off, FZ_PAGE);
	}
	random_entry(e->fd);
	n = 1 + (unsigned int)fz_below(8);
	for (i = 0; i < n && !fz_stop; i++) {
		e->run->immediate_exit = fz_chance(5);
		r = fz_ioctl("KVM_RUN", e->fd, KVM_RUN, 0);
		if (r < 0)
			break;
		__atomic_add_fetch(&fz_guest_exits, 1, __ATOMIC_RELAXED);
		/* Resuming after these needs nothing from the device model. */
		if (e->run->exit_reason != KVM_EXIT_IO && e->run->exit_reason != KVM_EXIT_MMIO &&
		    e->run->exit_reason != KVM_EXIT_HLT && e->run->exit_reason != KVM_EXIT_DEBUG)
			break;
	}
	e->run->immediate_exit = 0;
	pthread_mutex_unlock(&e->lock);
}
