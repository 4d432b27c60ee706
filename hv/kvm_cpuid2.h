/*
 * KVM_SET_CPUID2 / KVM_GET_CPUID2 tables <-> the core's CPUID policy
 * (emul/cpuid_policy.h), which answers the guest's CPUID exits. Pure logic,
 * host-tested.
 */
#ifndef HV_KVM_CPUID2_H
#define HV_KVM_CPUID2_H

#include "hv/types.h"
#include "emul/cpuid_policy.h"
#include "abi/include/linux/kvm.h"

/* The most entries KVM_SET_CPUID2 takes (the policy's capacity; more is -E2BIG). */
#define KVM_CPUID2_MAX_ENTRIES	CPUID_MAX_ENTRIES

/*
 * Fills @p from @nent entries, kept in order (duplicates included, the first
 * one answers, as in KVM). @supported_xcr0: the XCR0 bits the core can switch;
 * the guest may set those its leaf 0xD.0 lists (x87 always).
 * 0, -E2BIG (too many entries) or -EINVAL (leaf 0x80000008 gives a linear
 * address width other than 48 or 57 bits, as KVM refuses).
 */
int kvm_cpuid2_to_policy(const struct kvm_cpuid_entry2 *e, uint32_t nent,
			 uint64_t supported_xcr0, struct cpuid_policy *p);

/* Writes the policy's p->nr entries to @out (room for p->nr). */
void kvm_cpuid2_from_policy(const struct cpuid_policy *p, struct kvm_cpuid_entry2 *out);

/* Whether @e[0..nent) is exactly the table in @p (KVM allows only that once
 * the vcpu has run). */
bool kvm_cpuid2_equal(const struct cpuid_policy *p, const struct kvm_cpuid_entry2 *e,
		      uint32_t nent);

#endif
