/* CPUID exits: answered in the core from the vcpu's policy (emul/cpuid_policy.h). */
#ifndef EMUL_CPUID_H
#define EMUL_CPUID_H

#include "emul/cpuid_policy.h"

struct vcpu;

/* Builds the default policy from the calling CPU; idempotent. 0 or -E2BIG. */
int cpuid_init(void);
/* The policy vcpus get until their owner sets one (KVM_SET_CPUID2). */
const struct cpuid_policy *cpuid_default_policy(void);

/* Sets RAX/RBX/RCX/RDX to the answer for the guest's EAX/ECX. Does not move RIP. */
void cpuid_emulate(struct vcpu *v);

#endif
