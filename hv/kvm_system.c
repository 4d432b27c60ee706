/*
 * The /dev/kvm ioctls the core answers for the service domain
 * (TERN_SYS_KVM_SYSTEM): capabilities, the CPUID the core can give guests,
 * the MSR lists and the feature MSRs, with Linux 6.1's protocol and errno.
 * Anything else is -EINVAL, Linux's x86 answer on /dev/kvm.
 */
#include "hv/kvm_obj.h"
#include "hv/kvm_cpuid2.h"
#include "hv/kvm_msr_index.h"
#include "hv/kvm_vcpu_args.h"
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/errno.h"
#include "hv/heap.h"
#include "hv/string.h"
#include "hv/uaccess.h"
#include "emul/cpuid.h"
#include "abi/include/linux/kvm.h"

/* The most entries KVM_GET_SUPPORTED/EMULATED_CPUID look at (Linux's
 * KVM_MAX_CPUID_ENTRIES): a larger nent is cut down to this. */
#define CPUID_QUERY_MAX		256u

/*
 * KVM_GET_EMULATED_CPUID lists the features the hypervisor emulates beyond
 * what the CPU has (Linux: MOVBE, RDPID). tern emulates none: the table is
 * the leaves where such bits would be, leaf 0 giving the highest, all empty.
 */
static const struct kvm_cpuid_entry2 emulated_cpuid[] = {
	{ .function = 0, .eax = 1 },
	{ .function = 1 },
};

/* Linux wants the padding of every entry the caller offers zeroed for
 * KVM_GET_EMULATED_CPUID (to give it a meaning later); a fault reading
 * it is -EINVAL there, not -EFAULT. */
static int emulated_padding_ok(uintptr_t uentries, uint32_t nent)
{
	for (uint32_t i = 0; i < nent; i++) {
		struct kvm_cpuid_entry2 e;

		if (copy_from_user(&e, uentries + (uint64_t)i * sizeof(e), sizeof(e)))
			return -EINVAL;
		if (e.padding[0] || e.padding[1] || e.padding[2])
			return -EINVAL;
	}
	return 0;
}

/*
 * KVM_GET_SUPPORTED_CPUID / KVM_GET_EMULATED_CPUID: the caller offers nent
 * entries; too few is -E2BIG with nent left alone (the caller retries with
 * more), else the entries and the real nent are written back.
 */
static int64_t get_cpuid(uint32_t cmd, uintptr_t uarg)
{
	uintptr_t uentries = uarg + offsetof(struct kvm_cpuid2, entries);
	const struct kvm_cpuid_entry2 *src = emulated_cpuid;
	struct kvm_cpuid_entry2 *table = NULL;
	struct kvm_cpuid2 hdr;
	uint32_t n = ARRAY_SIZE(emulated_cpuid);
	int err;

	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	if (hdr.nent < 1)
		return -E2BIG;
	hdr.nent = MIN(hdr.nent, CPUID_QUERY_MAX);
	if (cmd == KVM_GET_EMULATED_CPUID) {
		err = emulated_padding_ok(uentries, hdr.nent);
		if (err)
			return err;
	} else {
		const struct cpuid_policy *p;

		if (cpuid_init())
			return -EIO;
		p = cpuid_default_policy();
		n = p->nr;
		table = kmalloc((size_t)n * sizeof(*table));
		if (!table)
			return -ENOMEM;
		kvm_cpuid2_from_policy(p, table);
		src = table;
	}
	if (hdr.nent < n) {
		err = -E2BIG;
	} else {
		hdr.nent = n;
		err = copy_to_user(uentries, src, (size_t)n * sizeof(*src));
		if (!err)
			err = copy_to_user(uarg, &hdr, sizeof(hdr));
	}
	kfree(table);
	return err;
}

/*
 * KVM_GET_MSR_INDEX_LIST / KVM_GET_MSR_FEATURE_INDEX_LIST: nmsrs is always
 * written back with the real count; -E2BIG when the caller's room was less.
 */
static int64_t get_msr_list(uint32_t cmd, uintptr_t uarg)
{
	struct kvm_msr_list hdr;
	const uint32_t *list;
	uint32_t n, room;
	int err;

	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	list = cmd == KVM_GET_MSR_INDEX_LIST ? kvm_msr_index_list(&n) : kvm_msr_feature_list(&n);
	room = hdr.nmsrs;
	hdr.nmsrs = n;
	err = copy_to_user(uarg, &hdr, sizeof(hdr));
	if (err)
		return err;
	if (room < n)
		return -E2BIG;
	return copy_to_user(uarg + offsetof(struct kvm_msr_list, indices), list,
			    (size_t)n * sizeof(*list));
}

static int get_feature(void *ctx, struct kvm_msr_entry *e)
{
	uint64_t value;
	int err = kvm_msr_feature_get(e->index, &value);

	(void)ctx;
	/* Linux clears the data of an MSR it does not know before giving up. */
	e->data = err ? 0 : value;
	return err;
}

/* KVM_GET_MSRS on /dev/kvm: the feature MSRs' values; the result is how many
 * entries were read before the first that is not one. */
static int64_t get_feature_msrs(uintptr_t uarg)
{
	return kvm_msrs_user_io(uarg, get_feature, NULL, true);
}

int64_t kvm_system_ioctl(uint32_t cmd, uintptr_t uarg)
{
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(uarg);
	case KVM_GET_SUPPORTED_CPUID:
	case KVM_GET_EMULATED_CPUID:
		return get_cpuid(cmd, uarg);
	case KVM_GET_MSR_INDEX_LIST:
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return get_msr_list(cmd, uarg);
	case KVM_GET_MSRS:
		return get_feature_msrs(uarg);
	}
	return -EINVAL;
}
