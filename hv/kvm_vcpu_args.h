/*
 * Validation of vcpu ioctl payloads that needs no vcpu, with Linux's errno
 * for each rule, and the KVM_GET/SET_MSRS loop. Pure logic, host-tested:
 * hv/kvm_vcpu_ioctl*.c call these on the kernel copy of a request.
 */
#ifndef HV_KVM_VCPU_ARGS_H
#define HV_KVM_VCPU_ARGS_H

#include "hv/types.h"
#include "abi/include/linux/kvm.h"

/* KVM_GET/SET_MSRS carry fewer than this many entries (Linux's MAX_IO_MSRS). */
#define KVM_MSRS_MAX		256
/* KVM_SET_SIGNAL_MASK: sizeof(sigset_t) of the x86-64 kernel ABI. */
#define KVM_SIGSET_SIZE		8

/* 0, or -E2BIG for @nmsrs >= KVM_MSRS_MAX. */
int kvm_msrs_check(uint32_t nmsrs);

/*
 * Applies @fn to @e[0..n) in order and stops at the first entry it fails
 * (nonzero): returns how many succeeded, the value KVM_GET/SET_MSRS return.
 */
typedef int (*kvm_msr_fn)(void *ctx, struct kvm_msr_entry *e);
uint32_t kvm_msrs_apply(struct kvm_msr_entry *e, uint32_t n, kvm_msr_fn fn, void *ctx);

/*
 * KVM_SET_VCPU_EVENTS: 0 or -EINVAL for unknown flags, flags whose
 * capability tern does not offer (payload, triple fault: KVM refuses them
 * unless enabled), an SMM state other than "not in SMM, nothing pending"
 * (tern has no SMM), or an injected exception on vector 2 or above 31.
 */
int kvm_vcpu_events_check(const struct kvm_vcpu_events *ev);

/* KVM_SET_DEBUGREGS: 0, or -EINVAL for flags or bits 63:32 of DR6/DR7. */
int kvm_debugregs_check(const struct kvm_debugregs *d);

/* KVM_SET_GUEST_DEBUG: 0, or -EINVAL for control bits KVM does not define. */
int kvm_guest_debug_check(const struct kvm_guest_debug *g);

/* KVM_INTERRUPT: 0, or -EINVAL for a vector >= KVM_NR_INTERRUPTS. */
int kvm_interrupt_check(const struct kvm_interrupt *irq);

#endif
