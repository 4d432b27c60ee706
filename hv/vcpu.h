/* A virtual CPU and the generic run loop around the backend's vcpu_run. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"

struct vm;
struct vcpu;

/*
 * What the vcpu's owner handles: exits the core cannot complete itself (port
 * I/O and MMIO that no in-core device claims, shutdown, ...). In test mode
 * this is the guest test harness; later the KVM_RUN path to a device model.
 * Returns true to resume the guest, false to return from vcpu_run_loop.
 */
typedef bool (*vcpu_exit_fn)(struct vcpu *v, struct vcpu_exit *exit, void *ctx);

struct vcpu {
	struct vcpu_regs regs;		/* authoritative GPRs/RIP/RFLAGS (see virt.h) */
	struct vm *vm;
	uint32_t id;
	int cpu;			/* physical CPU it is loaded on, -1 if none */
	void *arch;			/* backend data (VMCS / VMCB and friends) */
	void *fpu;			/* guest XSAVE/FXSAVE area (64-byte aligned) */

	struct vcpu_exit exit;		/* the last exit */
	uint64_t exit_count[EXIT_REASON_COUNT];	/* per-vcpu exit statistics */

	/* For string I/O emulated in the core: element index within the
	 * current REP instruction, and a bounce buffer to the owner. */
	uint8_t pio_data[4096];

	volatile bool kick;		/* asked to return to its owner */
	uint64_t deadline_tsc;		/* run loop returns after this TSC (0: none) */
};

/* Creates vcpu @id of @vm in the reset state; NULL when out of memory. */
struct vcpu *vcpu_create(struct vm *vm, uint32_t id);
void vcpu_destroy(struct vcpu *v);

/*
 * Runs @v on this CPU until @owner returns false, the deadline passes or the
 * vcpu is kicked. Exits the core can handle (CPUID, MSRs, hypercalls, HLT,
 * string I/O element copying, windows, host interrupts) never reach @owner.
 * Returns the reason of the last exit.
 */
enum exit_reason vcpu_run_loop(struct vcpu *v, vcpu_exit_fn owner, void *ctx);

/* Queue an exception for the guest (#GP(0), #UD, ...). */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
/* Queue external interrupt @vector: delivered as soon as the guest can take it
 * (RFLAGS.IF, no interrupt shadow), waking it from HLT. */
void vcpu_queue_interrupt(struct vcpu *v, uint8_t vector);

#endif
