/* A virtual CPU and the generic run loop around the backend's vcpu_run. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"
#include "emul/msr_state.h"
#include "hv/vcpu_kvm_state.h"

struct vm;
struct vcpu;
struct cpuid_policy;

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
	/* Polled before every entry when set: true leaves vcpu_run_loop (the
	 * KVM_RUN path gives the CPU to the scheduler, or returns -EINTR). */
	bool (*stop_check)(struct vcpu *v);
	/* The owner wants EXIT_INTR_WINDOW as soon as the guest can take an
	 * interrupt, with none queued in the core (request_interrupt_window). */
	bool want_irq_window;
	uint64_t deadline_tsc;		/* run loop returns after this TSC (0: none) */

	/*
	 * An IN/INS the owner has not answered yet (it returned false from the
	 * exit callback, as the KVM_RUN path will): the next vcpu_run_loop
	 * takes the data from pio_data and completes the instruction before it
	 * enters the guest (api.txt: "the operation completes on the next
	 * KVM_RUN"). The registers have not moved since that exit.
	 */
	struct {
		bool active;
		struct vcpu_exit exit;	/* the io exit, count = elements asked for */
	} pio_pending;

	/* Events the guest could not take yet (vcpu_queue_interrupt/nmi):
	 * injected before an entry once allowed, with the window exits asked
	 * for meanwhile. One bit per vector, like the LAPIC's IRR. */
	uint64_t irq_pending[4];
	bool nmi_pending;
	bool window_irq, window_nmi;	/* what was last asked of the backend */

	const struct cpuid_policy *cpuid;	/* CPUID answers (emul/cpuid.h) */
	struct vcpu_msr_state msrs;		/* MSRs the core emulates (emul/msr.c) */
	/* Guest XCR0 (reset value 1). It is switched around entries only once
	 * the guest has written it with XSETBV, which keeps two XSETBVs off
	 * every exit of guests that never do. Until then the guest runs with
	 * the host's XCR0: visible only to a guest that sets CR4.OSXSAVE and
	 * uses XGETBV, XSAVE or AVX without ever writing XCR0. */
	uint64_t xcr0;
	bool xcr0_written;
	void *host_fpu;				/* host FPU state while the loop runs */

	struct vcpu_kvm_state kvm;		/* KVM ABI state (hv/kvm_vcpu_ioctl*.c) */
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

/* Lets every CPU's timer tick kick CPUs that stay in a guest too long (NMI). */
void vcpu_watchdog_init(void);

/* Queue an exception for the guest (#GP(0), #UD, ...). */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

/*
 * Queue external interrupt @vector (32..255) / an NMI: injected at the next
 * entry when the guest can take it (RFLAGS.IF, no interrupt shadow, no other
 * event), otherwise the backend's interrupt/NMI window exit is requested and
 * it goes in at the first entry after that. Pending vectors are kept like
 * an IRR (one bit each, the highest delivered first). HLT is not emulated in
 * the core yet: the owner that sees EXIT_HLT decides when to resume.
 * @pre: called on the vcpu's own thread (from the owner callback or between
 * vcpu_run_loop calls).
 */
void vcpu_queue_interrupt(struct vcpu *v, uint8_t vector);
void vcpu_queue_nmi(struct vcpu *v);

#endif
