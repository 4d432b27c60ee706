// SPDX-License-Identifier: MIT
/*
 * conformance system: the ioctls of the /dev/kvm fd (api.txt 4.1-4.4, 4.8,
 * 4.41, 4.46, 4.106) and their error cases.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/unmapped.h"
#include "lib/vmkit.h"

#define MAX_ENTRIES 256

static void check_versions(int kvm)
{
	int size;

	ct_eq(ioctl(kvm, KVM_GET_API_VERSION, 0), KVM_API_VERSION, "KVM_GET_API_VERSION is 12");
	CT_ERRNO(ioctl(kvm, KVM_GET_API_VERSION, 1), EINVAL,
		 "KVM_GET_API_VERSION with a non-zero argument: EINVAL");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	ct_check(size >= (int)sizeof(struct kvm_run) && size % CT_PAGE_SIZE == 0,
		 "KVM_GET_VCPU_MMAP_SIZE (%d) is whole pages holding struct kvm_run", size);
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) > 0)
		ct_check(size >= (int)((KVM_COALESCED_MMIO_PAGE_OFFSET + 1) * CT_PAGE_SIZE),
			 "the vcpu mapping reaches the coalesced MMIO page");
	CT_ERRNO(ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 1), EINVAL,
		 "KVM_GET_VCPU_MMAP_SIZE with a non-zero argument: EINVAL");
}

static void check_extensions(int kvm)
{
	ct_eq(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), 1,
	      "KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) is 1");
	ct_check(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS) > 0,
		 "KVM_CHECK_EXTENSION(KVM_CAP_NR_MEMSLOTS) is positive");
	ct_check(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID) > 0,
		 "KVM_CHECK_EXTENSION(KVM_CAP_MAX_VCPU_ID) is positive");
	ct_eq(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_EXT_CPUID), 1,
	      "KVM_CHECK_EXTENSION(KVM_CAP_EXT_CPUID) is 1");
	ct_eq(ioctl(kvm, KVM_CHECK_EXTENSION, 0x7fffffff), 0,
	      "KVM_CHECK_EXTENSION of an unknown capability is 0");
}

static void check_msr_list(int kvm, unsigned long req, const char *name)
{
	struct kvm_msr_list probe = { .nmsrs = 0 };
	struct kvm_msr_list *list;
	char what[128];
	uint32_t n;

	snprintf(what, sizeof(what), "%s with nmsrs 0: E2BIG", name);
	CT_ERRNO(ioctl(kvm, req, &probe), E2BIG, what);
	n = probe.nmsrs;
	ct_check(n > 0, "%s: E2BIG gives the number of MSRs (%u)", name, n);
	list = calloc(1, sizeof(*list) + (n + 1) * sizeof(list->indices[0]));
	if (!list)
		ct_fatal("calloc");
	list->nmsrs = n + 1;
	snprintf(what, sizeof(what), "%s with room for every MSR", name);
	if (CT_OK(ioctl(kvm, req, list), what))
		ct_eq(list->nmsrs, n, "the list's nmsrs is the number E2BIG gave");
	snprintf(what, sizeof(what), "%s into unmapped memory: EFAULT", name);
	CT_ERRNO(ioctl(kvm, req, ct_unmapped_address()), EFAULT, what);
	free(list);
}

static int has_leaf(const struct kvm_cpuid2 *cpuid, uint32_t function)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == function)
			return 1;
	return 0;
}

static void check_cpuid(int kvm, unsigned long req, const char *name)
{
	struct kvm_cpuid2 *cpuid;
	char what[128];

	cpuid = calloc(1, sizeof(*cpuid) + MAX_ENTRIES * sizeof(cpuid->entries[0]));
	if (!cpuid)
		ct_fatal("calloc");
	cpuid->nent = 1;
	snprintf(what, sizeof(what), "%s with nent 1: E2BIG", name);
	CT_ERRNO(ioctl(kvm, req, cpuid), E2BIG, what);
	cpuid->nent = MAX_ENTRIES;
	snprintf(what, sizeof(what), "%s with %u entries", name, MAX_ENTRIES);
	if (CT_OK(ioctl(kvm, req, cpuid), what) && req == KVM_GET_SUPPORTED_CPUID) {
		ct_check(cpuid->nent > 1 && cpuid->nent <= MAX_ENTRIES,
			 "%s: nent (%u) updated", name, cpuid->nent);
		ct_check(has_leaf(cpuid, 0) && has_leaf(cpuid, 1) && has_leaf(cpuid, 0x80000001),
			 "%s has leaves 0, 1 and 0x80000001", name);
	}
	snprintf(what, sizeof(what), "%s from unmapped memory: EFAULT", name);
	CT_ERRNO(ioctl(kvm, req, ct_unmapped_address()), EFAULT, what);
	free(cpuid);
}

static void check_bad_fds(int kvm)
{
	int fd;

	CT_ERRNO(ioctl(-1, KVM_GET_API_VERSION, 0), EBADF, "KVM_GET_API_VERSION on fd -1: EBADF");
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0)
		ct_fatal("second open of /dev/kvm");
	ct_eq(ioctl(fd, KVM_GET_API_VERSION, 0), KVM_API_VERSION,
	      "a second /dev/kvm fd answers on its own");
	close(fd);
	CT_ERRNO(ioctl(fd, KVM_GET_API_VERSION, 0), EBADF,
		 "KVM_GET_API_VERSION on a closed fd: EBADF");
	/* stdout is the console, a tty or a file: not a KVM fd. */
	CT_ERRNO(ioctl(1, KVM_CREATE_VM, 0), ENOTTY, "KVM_CREATE_VM on a non-KVM fd: ENOTTY");
	ct_eq(ioctl(kvm, KVM_GET_API_VERSION, 0), KVM_API_VERSION,
	      "the first /dev/kvm fd still answers");
}

static void check_bad_requests(int kvm)
{
	/* Linux's x86 /dev/kvm answers EINVAL, not ENOTTY, to an ioctl it does not know. */
	CT_ERRNO(ioctl(kvm, _IO(KVMIO, 0xef), 0), EINVAL, "unknown ioctl on /dev/kvm: EINVAL");
	CT_ERRNO(ioctl(kvm, KVM_RUN, 0), EINVAL, "KVM_RUN on /dev/kvm: EINVAL");
	CT_ERRNO(ioctl(kvm, KVM_CREATE_VM, 0x7f), EINVAL, "KVM_CREATE_VM of an unknown type: EINVAL");
}

int main(void)
{
	int kvm;

	ct_init("system");
	kvm = ct_open_kvm();
	check_versions(kvm);
	check_extensions(kvm);
	check_msr_list(kvm, KVM_GET_MSR_INDEX_LIST, "KVM_GET_MSR_INDEX_LIST");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) > 0)
		check_msr_list(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, "KVM_GET_MSR_FEATURE_INDEX_LIST");
	else
		ct_fail("KVM_CAP_GET_MSR_FEATURES", "not offered");
	check_cpuid(kvm, KVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID");
	check_cpuid(kvm, KVM_GET_EMULATED_CPUID, "KVM_GET_EMULATED_CPUID");
	check_bad_fds(kvm);
	check_bad_requests(kvm);
	close(kvm);
	return ct_finish();
}
