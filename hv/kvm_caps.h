/*
 * KVM_CHECK_EXTENSION answers, the same on /dev/kvm (TERN_SYS_KVM_SYSTEM) and
 * on a VM fd (TERN_SYS_VM_IOCTL). Truthful: nonzero only for what tern does.
 * Pure logic, host-tested: the facts that depend on the machine come in
 * struct kvm_cap_env.
 */
#ifndef HV_KVM_CAPS_H
#define HV_KVM_CAPS_H

#include "hv/types.h"
#include "abi/include/linux/kvm.h"

/* The kvm_clock_data flags KVM_GET_CLOCK reports (KVM_CAP_ADJUST_CLOCK): the
 * core's clock is the TSC, the same on every CPU, and host_tsc is filled in. */
#define KVM_CLOCK_TERN_FLAGS	(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_HOST_TSC)

struct kvm_cap_env {
	unsigned int cpus;	/* CPUs online */
	bool xsave;		/* the core runs with XSAVE (XCR0 is switched) */
};

/* The value KVM_CHECK_EXTENSION(@cap) returns: 0 for anything tern lacks or
 * does not know. */
int64_t kvm_cap_value(uint64_t cap, const struct kvm_cap_env *env);

#endif
