/*
 * KVM hypercalls (kvm-docs/hypercalls.txt): number in RAX, arguments in RBX,
 * RCX, RDX, RSI, result in RAX. VMCALL and VMMCALL both work on both vendors
 * (the other vendor's instruction arrives as #UD; see hv/vcpu_run.c).
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/types.h"

struct vcpu;

#define KVM_HC_VAPIC_POLL_IRQ	1
#define KVM_HC_MMU_OP		2
#define KVM_HC_FEATURES		3
#define KVM_HC_PPC_MAP_MAGIC_PAGE 4
#define KVM_HC_KICK_CPU		5
#define KVM_HC_CLOCK_PAIRING	9
#define KVM_HC_SEND_IPI		10
#define KVM_HC_SCHED_YIELD	11

/* The error values hypercalls return, negated (kvm_para.h). */
#define KVM_ENOSYS		1000
#define KVM_EFAULT		14
#define KVM_EINVAL		22
#define KVM_E2BIG		7
#define KVM_EPERM		1
#define KVM_EOPNOTSUPP		95

/* Pure: the result of hypercall @nr with @args from privilege level @cpl. */
int64_t hypercall_result(unsigned int cpl, uint64_t nr, const uint64_t args[4]);

/*
 * Performs the hypercall in @v's registers and writes RAX (truncated to 32
 * bits outside 64-bit mode, where the inputs are also 32-bit). Does not move RIP.
 */
void hypercall_emulate(struct vcpu *v);

#endif
