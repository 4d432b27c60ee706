/*
 * Filling struct kvm_run for the exits a device model handles (hv/kvm_run.c
 * runs the loop, hv/kvm_run_exit.c translates exits).
 */
#ifndef HV_KVM_RUN_EXIT_H
#define HV_KVM_RUN_EXIT_H

#include "hv/kvm_obj.h"

/*
 * The owner callback of KVM_RUN (vcpu_exit_fn, ctx = the struct kvm_vcpu):
 * completes what the core can (dirty-log write faults) and returns true;
 * otherwise fills kv->run for the device model and returns false.
 */
bool kvm_run_exit(struct vcpu *v, struct vcpu_exit *e, void *ctx);

/* The fields every KVM_RUN return carries: ready_for_interrupt_injection,
 * if_flag, cr8, apic_base. @pre the vcpu is loaded here or not at all. */
void kvm_run_fill_common(struct kvm_vcpu *kv);

#endif
