// SPDX-License-Identifier: MIT
/*
 * conformance vm: the VM fd's own ioctls other than memory and vcpus
 * (KVM_CHECK_EXTENSION on the VM, KVM_SET_TSS_ADDR, KVM_SET_IDENTITY_MAP_ADDR,
 * KVM_GET_CLOCK/KVM_SET_CLOCK, KVM_(UN)REGISTER_COALESCED_MMIO) and their
 * error cases.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/unmapped.h"
#include "lib/vmkit.h"

static void check_vm_extensions(int kvm, int vm)
{
	ct_eq(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_CHECK_EXTENSION_VM), 1,
	      "KVM_CAP_CHECK_EXTENSION_VM is 1");
	ct_eq(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), 1,
	      "KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) on the VM fd is 1");
	ct_eq(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS),
	      ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS),
	      "KVM_CAP_NR_MEMSLOTS is the same on the VM fd and /dev/kvm");
	ct_eq(ioctl(vm, KVM_CHECK_EXTENSION, 0x7fffffff), 0,
	      "KVM_CHECK_EXTENSION of an unknown capability on the VM fd is 0");
}

static void check_clock(int vm)
{
	struct kvm_clock_data clock, later;

	memset(&clock, 0, sizeof(clock));
	if (!CT_OK(ioctl(vm, KVM_GET_CLOCK, &clock), "KVM_GET_CLOCK"))
		return;
	memset(&clock, 0, sizeof(clock));
	clock.clock = 5000000000ull;	/* 5 s of guest time */
	CT_OK(ioctl(vm, KVM_SET_CLOCK, &clock), "KVM_SET_CLOCK to 5 s");
	memset(&later, 0, sizeof(later));
	if (CT_OK(ioctl(vm, KVM_GET_CLOCK, &later), "KVM_GET_CLOCK after KVM_SET_CLOCK"))
		ct_check(later.clock >= clock.clock && later.clock < clock.clock + 60000000000ull,
			 "the clock goes on from the value set (%llu ns)",
			 (unsigned long long)later.clock);
	memset(&clock, 0, sizeof(clock));
	clock.flags = 0x80000000u;
	CT_ERRNO(ioctl(vm, KVM_SET_CLOCK, &clock), EINVAL, "KVM_SET_CLOCK with unknown flags: EINVAL");
	CT_ERRNO(ioctl(vm, KVM_GET_CLOCK, ct_unmapped_address()), EFAULT,
		 "KVM_GET_CLOCK into unmapped memory: EFAULT");
	CT_ERRNO(ioctl(vm, KVM_SET_CLOCK, ct_unmapped_address()), EFAULT,
		 "KVM_SET_CLOCK from unmapped memory: EFAULT");
}

static void check_coalesced(int kvm, int vm)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = 0xd0000000u, .size = 0x1000 };

	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) <= 0) {
		ct_fail("KVM_CAP_COALESCED_MMIO", "not offered");
		return;
	}
	CT_OK(ioctl(vm, KVM_REGISTER_COALESCED_MMIO, &zone), "KVM_REGISTER_COALESCED_MMIO");
	CT_OK(ioctl(vm, KVM_UNREGISTER_COALESCED_MMIO, &zone), "KVM_UNREGISTER_COALESCED_MMIO");
	zone.pio = 2;
	CT_ERRNO(ioctl(vm, KVM_REGISTER_COALESCED_MMIO, &zone), EINVAL,
		 "KVM_REGISTER_COALESCED_MMIO with pio 2: EINVAL");
	CT_ERRNO(ioctl(vm, KVM_REGISTER_COALESCED_MMIO, ct_unmapped_address()), EFAULT,
		 "KVM_REGISTER_COALESCED_MMIO from unmapped memory: EFAULT");
}

static void check_addresses(int kvm)
{
	uint64_t map_addr = 0xfffbc000ull;
	struct ct_vcpu vcpu;
	int vm;

	/* A fresh VM: the identity map must be placed before the first vcpu. */
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		ct_fatal("KVM_CREATE_VM: %s", strerror(errno));
	CT_OK(ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000ul), "KVM_SET_TSS_ADDR");
	ct_eq(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR), 1,
	      "KVM_CAP_SET_IDENTITY_MAP_ADDR is 1");
	CT_OK(ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &map_addr), "KVM_SET_IDENTITY_MAP_ADDR");
	CT_ERRNO(ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, ct_unmapped_address()), EFAULT,
		 "KVM_SET_IDENTITY_MAP_ADDR from unmapped memory: EFAULT");
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	CT_ERRNO(ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &map_addr), EINVAL,
		 "KVM_SET_IDENTITY_MAP_ADDR after KVM_CREATE_VCPU: EINVAL");
	close(vcpu.fd);
	close(vm);
}

static void check_bad_requests(int vm)
{
	/* The VM fd, unlike /dev/kvm and vcpu fds, answers ENOTTY (kvm_arch_vm_ioctl). */
	CT_ERRNO(ioctl(vm, _IO(KVMIO, 0xef), 0), ENOTTY, "unknown ioctl on the VM fd: ENOTTY");
	CT_ERRNO(ioctl(vm, KVM_RUN, 0), ENOTTY, "KVM_RUN on the VM fd: ENOTTY");
	CT_ERRNO(ioctl(vm, KVM_GET_API_VERSION, 0), ENOTTY,
		 "KVM_GET_API_VERSION on the VM fd: ENOTTY");
}

int main(void)
{
	int kvm, vm, vm2;

	ct_init("vm");
	kvm = ct_open_kvm();
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (!CT_OK(vm, "KVM_CREATE_VM"))
		return ct_finish();
	vm2 = ioctl(kvm, KVM_CREATE_VM, 0);
	if (CT_OK(vm2, "a second KVM_CREATE_VM"))
		ct_check(vm2 != vm, "the second VM has its own fd");
	check_vm_extensions(kvm, vm);
	check_clock(vm);
	check_coalesced(kvm, vm);
	check_addresses(kvm);
	check_bad_requests(vm);
	close(vm2);
	CT_ERRNO(ioctl(vm2, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), EBADF,
		 "KVM_CHECK_EXTENSION on a closed VM fd: EBADF");
	ct_eq(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), 1,
	      "the first VM still answers after the second is closed");
	close(vm);
	close(kvm);
	return ct_finish();
}
