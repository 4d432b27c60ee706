/*
 * KVM_SET_GUEST_DEBUG's effects on KVM_RUN: the #DB and #BP the debugger
 * intercepts become KVM_EXIT_DEBUG, and USE_HW_BP puts the debugger's
 * breakpoints in the guest's debug registers.
 */
#ifndef HV_KVM_DEBUG_H
#define HV_KVM_DEBUG_H

#include "hv/kvm_obj.h"

/*
 * From the KVM_RUN exit callback: when @e is a #DB (SINGLESTEP, USE_HW_BP)
 * or #BP (USE_SW_BP) the debugger asked for, fills KVM_EXIT_DEBUG (exception,
 * pc = linear RIP, dr6, dr7) and returns true. The guest does not see the
 * exception; RIP is where the CPU left it (after the stepped instruction,
 * on the INT3).
 */
bool kvm_debug_exit(struct kvm_vcpu *kv, const struct vcpu_exit *e);

/*
 * USE_HW_BP on or off: on loads debugreg[0..3] and debugreg[7] as the
 * guest's DR0-3/DR7, keeping the guest's own values aside; off puts them
 * back. The guest's MOV DR is not intercepted meanwhile, and KVM_GET_DEBUGREGS
 * shows the debugger's values while it is on (Linux shows the guest's).
 */
void kvm_debug_set_hw_bp(struct vcpu *v, bool on);

#endif
