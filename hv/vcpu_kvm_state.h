/*
 * Per-vcpu state that only the KVM ABI gives meaning to (embedded in struct
 * vcpu as `kvm`): what the vcpu ioctls of hv/kvm_vcpu_ioctl*.c store for
 * later ioctls and for KVM_RUN.
 */
#ifndef HV_VCPU_KVM_STATE_H
#define HV_VCPU_KVM_STATE_H

#include "hv/types.h"
#include "hv/vcpu_state.h"

struct vcpu;
struct cpuid_policy;

struct vcpu_kvm_state {
	/* The table of the last KVM_SET_CPUID2, owned here; vcpu->cpuid points
	 * to it. NULL until then (vcpu->cpuid is the core's default policy and
	 * KVM_GET_CPUID2 reports no entries, as KVM's empty table). */
	struct cpuid_policy *cpuid;

	uint32_t mp_state;		/* KVM_MP_STATE_* */
	uint32_t sipi_vector;		/* KVM_SET_VCPU_EVENTS with VALID_SIPI_VECTOR */

	/* KVM_SET_SIGNAL_MASK: the signals blocked while in KVM_RUN. */
	bool sigmask_set;
	uint64_t sigmask;

	/*
	 * KVM_SET_GUEST_DEBUG. guest_debug is the control word in force (0 when
	 * not ENABLE). With SINGLESTEP the ioctl sets RFLAGS.TF (debug_tf) and
	 * KVM_GET_REGS hides it; with SINGLESTEP or USE_HW_BP, #DB is
	 * intercepted, with USE_SW_BP #BP: they reach the KVM_RUN owner as
	 * EXIT_EXCEPTION, which reports KVM_EXIT_DEBUG.
	 */
	uint32_t guest_debug;
	uint64_t debugreg[8];		/* kvm_guest_debug_arch: DR0-3, DR6 (4), DR7 (7) */
	bool debug_tf;
	/* USE_HW_BP in force: the guest's own debug registers wait here while
	 * debugreg[] is loaded (hv/kvm_debug.c). */
	bool hw_bp_loaded;
	struct vcpu_debugregs guest_dr;
};

/* Frees what the state owns; vcpu_destroy calls it. */
void vcpu_kvm_state_release(struct vcpu *v);

#endif
