/*
 * The vcpu run loop: enter the guest, count the exit, dispatch it through a
 * table indexed by exit reason. Handlers complete what the core can (CPUID,
 * MSRs, hypercalls, string-I/O copying, event windows) and hand the rest to
 * the vcpu's owner.
 */
#include "hv/vcpu.h"
#include "hv/vcpu_run.h"
#include "hv/pio.h"
#include "hv/fpu.h"
#include "hv/hypercall.h"
#include "hv/guest_access.h"
#include "hv/insn_len.h"
#include "hv/log.h"
#include "hv/percpu.h"
#include "hv/sched.h"
#include "hv/errno.h"
#include "emul/cpuid.h"
#include "emul/msr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/nmi_tick.h"
#include "arch/x86/tsc.h"

/*
 * Before the scheduler runs on a CPU (test mode, the CPUID benchmark) the loop
 * arms this one-shot itself, so a guest that never exits still comes back and
 * deadline_tsc is seen (host timer interrupt -> EXIT_EXTINT). Once the
 * scheduler runs, its own one-shot is always armed at most a slice ahead
 * (sched_timer.c) and its tick sets need_resched, which stop_check sees: the
 * loop then leaves the LAPIC timer alone, sparing three LAPIC writes per
 * KVM_RUN and keeping sleepers' deadlines on this CPU on time.
 */
#define PREEMPT_NS	(4 * 1000 * 1000)

/* Hardware exit codes of XSETBV, for backends that report it as unhandled. */
#define VMX_EXIT_XSETBV	55
#define SVM_EXIT_XSETBV	0x8D

/* XCR0 bits: x87, SSE, AVX, MPX (2), AVX-512 (3). */
#define XCR0_X87	(1ULL << 0)
#define XCR0_SSE	(1ULL << 1)
#define XCR0_AVX	(1ULL << 2)
#define XCR0_MPX	(3ULL << 3)
#define XCR0_AVX512	(7ULL << 5)

typedef bool (*exit_handler_fn)(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner,
				void *ctx);

static const char *guest_mode_name(const struct vcpu *v, const struct vcpu_sregs *s)
{
	if (!(s->cr0 & CR0_PE))
		return "real";
	if (v->regs.rflags & X86_EFLAGS_VM)
		return "v8086";
	if (s->efer & EFER_LMA)
		return s->cs.l ? "long" : "compat";
	return s->cs.db ? "prot32" : "prot16";
}

static void log_exit(struct vcpu *v, const struct vcpu_exit *e, const char *what)
{
	struct vcpu_sregs s;

	virt->get_sregs(v, &s);
	pr_err_ratelimited("vcpu%u: %s: %s (hw %#lx qual %#lx) at rip %#lx, %s mode, cs %#x\n",
			   v->id, exit_reason_name(e->reason), what, (unsigned long)e->hw_reason,
			   (unsigned long)e->hw_qual, (unsigned long)v->regs.rip,
			   guest_mode_name(v, &s), s.cs.selector);
}

bool vcpu_skip_insn(struct vcpu *v, const struct vcpu_exit *e)
{
	/* The backend's length (VMX exit instruction length, SVM NRIP or IOIO's
	 * EXITINFO2) spares the call on the port-I/O hot path. */
	unsigned int len = e->insn_len ? e->insn_len : guest_insn_length(v, e);

	if (!len) {
		log_exit(v, e, "cannot determine the instruction length");
		return false;
	}
	virt->skip_instruction(v, len);
	return true;
}

bool vcpu_exit_failed(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx,
		      const char *why)
{
	log_exit(v, e, why);
	e->reason = EXIT_UNHANDLED;
	e->fail.code = 0;
	e->fail.why = why;
	return owner(v, e, ctx);
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct vcpu_event ev = {
		.valid = true, .type = EVENT_EXCEPTION, .vector = vector,
		.has_error_code = has_error, .error_code = error,
	};

	if (virt->inject_event(v, &ev))
		pr_warn_ratelimited("vcpu%u: exception %u dropped: another event is queued\n", v->id,
				    vector);
}

void vcpu_queue_interrupt(struct vcpu *v, uint8_t vector)
{
	if (vector < 32) {
		pr_warn_ratelimited("vcpu%u: interrupt vector %u is an exception vector; dropped\n", v->id,
			vector);
		return;
	}
	v->irq_pending[vector / 64] |= 1ULL << (vector % 64);
}

/* The highest pending vector, -1 if none. */
static int highest_pending_irq(const struct vcpu *v)
{
	for (int i = 3; i >= 0; i--)
		if (v->irq_pending[i])
			return i * 64 + 63 - __builtin_clzll(v->irq_pending[i]);
	return -1;
}

void vcpu_queue_nmi(struct vcpu *v)
{
	v->nmi_pending = true;
}

/* Injects what the guest can take now; asks for a window exit for the rest. */
static void deliver_pending_events(struct vcpu *v)
{
	int irq = highest_pending_irq(v);
	bool want_irq, want_nmi;

	if (v->nmi_pending && virt->nmi_allowed(v)) {
		struct vcpu_event ev = { .valid = true, .type = EVENT_NMI, .vector = X86_NMI };

		if (!virt->inject_event(v, &ev))
			v->nmi_pending = false;
	}
	if (irq >= 0 && virt->interrupt_allowed(v)) {
		struct vcpu_event ev = { .valid = true, .type = EVENT_EXTINT, .vector = (uint8_t)irq };

		if (!virt->inject_event(v, &ev)) {
			v->irq_pending[irq / 64] &= ~(1ULL << (irq % 64));
			irq = highest_pending_irq(v);
		}
	}
	want_irq = irq >= 0 || v->want_irq_window;
	want_nmi = v->nmi_pending;
	if (want_irq != v->window_irq || want_nmi != v->window_nmi) {
		virt->request_window(v, want_irq, want_nmi);
		v->window_irq = want_irq;
		v->window_nmi = want_nmi;
	}
}

/* ---- exit handlers: true resumes the guest, false leaves the loop ---- */

static bool to_owner(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	return owner(v, e, ctx);
}

static bool resume(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	(void)v;
	(void)e;
	(void)owner;
	(void)ctx;
	return true;
}

/* The window the owner asked for opens: its turn, unless the core has an
 * interrupt of its own to inject there. */
static bool handle_intr_window(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	if (v->want_irq_window && highest_pending_irq(v) < 0)
		return owner(v, e, ctx);
	return true;
}

static bool skip_or_fail(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	return vcpu_skip_insn(v, e) ||
	       vcpu_exit_failed(v, e, owner, ctx, "instruction length unknown");
}

static bool handle_cpuid(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	cpuid_emulate(v);
	return skip_or_fail(v, e, owner, ctx);
}

static bool handle_rdmsr(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	uint32_t index = (uint32_t)v->regs.rcx;
	uint64_t value;

	if (msr_read(v, index, &value)) {
		pr_debug("vcpu%u: rdmsr %#x: #GP\n", v->id, index);
		vcpu_inject_exception(v, X86_GP, true, 0);
		return true;
	}
	v->regs.rax = (uint32_t)value;
	v->regs.rdx = value >> 32;
	return skip_or_fail(v, e, owner, ctx);
}

static bool handle_wrmsr(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	uint32_t index = (uint32_t)v->regs.rcx;
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;

	if (msr_write(v, index, value)) {
		pr_debug("vcpu%u: wrmsr %#x <- %#lx: #GP\n", v->id, index, (unsigned long)value);
		vcpu_inject_exception(v, X86_GP, true, 0);
		return true;
	}
	return skip_or_fail(v, e, owner, ctx);
}

/*
 * No in-core irqchip yet: a halt the guest means goes to the owner, which
 * decides when to resume (KVM_EXIT_HLT). But a CPU with a deliverable event
 * pending does not stay halted (STI; HLT with a queued interrupt, or an NMI):
 * resume, and the event goes in before the next entry, returning after HLT.
 */
static bool handle_hlt(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	bool irq_wakes = highest_pending_irq(v) >= 0 && (v->regs.rflags & X86_EFLAGS_IF);

	if (!vcpu_skip_insn(v, e))
		return vcpu_exit_failed(v, e, owner, ctx, "instruction length unknown");
	if (irq_wakes || v->nmi_pending)
		return true;
	return owner(v, e, ctx);
}

static bool handle_hypercall(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	hypercall_emulate(v);
	return skip_or_fail(v, e, owner, ctx);
}

/* The other vendor's hypercall instruction is #UD here: do the hypercall. */
static bool handle_ud(struct vcpu *v)
{
	struct vcpu_sregs s;
	uint8_t b[3];

	int n;

	virt->get_sregs(v, &s);
	n = guest_fetch_insn(v, &s, b, sizeof(b));
	if (n == 3 && insn_is_hypercall(b, 3)) {
		v->exit_count[EXIT_HYPERCALL]++;
		hypercall_emulate(v);
		virt->skip_instruction(v, 3);
		return true;
	}
	vcpu_inject_exception(v, X86_UD, false, 0);
	return true;
}

static bool handle_exception(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	if (e->exception.vector == X86_UD)
		return handle_ud(v);
	return owner(v, e, ctx);
}

static bool handle_virt_insn(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	(void)owner;
	(void)ctx;
	pr_debug("vcpu%u: VMX/SVM instruction (hw %#lx) at %#lx: #UD\n", v->id,
		 (unsigned long)e->hw_reason, (unsigned long)v->regs.rip);
	vcpu_inject_exception(v, X86_UD, false, 0);
	return true;
}

/* XSETBV: only values the CPU itself would accept and the core switches. */
static bool xcr0_valid(const struct cpuid_policy *p, uint64_t value)
{
	if (!(value & XCR0_X87) || (value & ~p->xcr0_mask))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if ((value & XCR0_MPX) && (value & XCR0_MPX) != XCR0_MPX)
		return false;
	if (value & XCR0_AVX512)
		return (value & XCR0_AVX512) == XCR0_AVX512 && (value & XCR0_AVX);
	return true;
}

static bool handle_xsetbv(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
	struct vcpu_sregs s;

	virt->get_sregs(v, &s);
	if (!fpu_host_xcr0() || !(s.cr4 & CR4_OSXSAVE)) {
		vcpu_inject_exception(v, X86_UD, false, 0);
		return true;
	}
	if (guest_cpl(v, &s) != 0 || (uint32_t)v->regs.rcx != 0 ||
	    !xcr0_valid(v->cpuid, value)) {
		vcpu_inject_exception(v, X86_GP, true, 0);
		return true;
	}
	v->xcr0 = value;
	v->xcr0_written = true;
	return skip_or_fail(v, e, owner, ctx);
}

static bool handle_entry_failed(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner,
				void *ctx)
{
	log_exit(v, e, e->fail.why ? e->fail.why : "VM entry failed");
	pr_err_ratelimited("vcpu%u: entry failure code %#x\n", v->id, e->fail.code);
	return owner(v, e, ctx);
}

static bool handle_unhandled(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	/* Backends that do not know EXIT_XSETBV report it by its hardware code. */
	if ((virt == &vmx_ops && e->hw_reason == VMX_EXIT_XSETBV) ||
	    (virt == &svm_ops && e->hw_reason == SVM_EXIT_XSETBV)) {
		e->reason = EXIT_XSETBV;
		return handle_xsetbv(v, e, owner, ctx);
	}
	log_exit(v, e, "no handler in the core");
	return owner(v, e, ctx);
}

static const exit_handler_fn exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = handle_unhandled,
	[EXIT_IO] = pio_exit,
	[EXIT_MMIO] = to_owner,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_RDMSR] = handle_rdmsr,
	[EXIT_WRMSR] = handle_wrmsr,
	[EXIT_HLT] = handle_hlt,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_SHUTDOWN] = to_owner,
	[EXIT_EXTINT] = resume,
	[EXIT_INTR_WINDOW] = handle_intr_window,
	[EXIT_NMI_WINDOW] = resume,
	[EXIT_EXCEPTION] = handle_exception,
	[EXIT_VIRT_INSN] = handle_virt_insn,
	[EXIT_NPF_PROTECTION] = to_owner,
	[EXIT_ENTRY_FAILED] = handle_entry_failed,
	[EXIT_UNHANDLED] = handle_unhandled,
	[EXIT_XSETBV] = handle_xsetbv,
	[EXIT_EMULATED] = resume,
};

/* ---- the loop ---- */

static bool must_stop(struct vcpu *v, uint64_t now)
{
	return v->kick || (v->deadline_tsc && now >= v->deadline_tsc) ||
	       (v->stop_check && v->stop_check(v));
}

/*
 * The timer interrupt is the normal way a spinning guest comes back, at the
 * latest one slice after its entry. An NMI is the backstop: every CPU's timer
 * tick looks at the others, and one that has been inside a guest for two
 * slices gets an NMI, which always exits (a late one is harmless: the host
 * counts it and the loop enters again).
 * Bochs' VMX needs it: after a VM entry that loads RFLAGS.IF=0 it stops
 * delivering LAPIC interrupts to the guest (no external-interrupt exit), and
 * its CPU models have no VMX-preemption timer. When every CPU is in such a
 * guest no tick runs at all: the NMI tick (arch/x86/nmi_tick.c) brings the
 * boot CPU back, and its timer tick then runs this watchdog.
 */
#define WATCHDOG_NS	(2 * SCHED_SLICE_NS)

static void guest_watchdog(void)
{
	uint64_t now = rdtsc(), limit = tsc_ns_to_ticks(WATCHDOG_NS);

	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		struct percpu *pc = percpu_by_id[i];
		uint64_t since;

		if (!pc || pc == this_cpu())
			continue;
		since = pc->guest_entered_tsc;
		/* Restart its clock first, so only one CPU sends one NMI per period. */
		if (since && now - since > limit &&
		    __atomic_compare_exchange_n(&pc->guest_entered_tsc, &since, now, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			lapic_send_nmi(pc->apic_id);
	}
}

void vcpu_watchdog_init(void)
{
	lapic_timer_hook = guest_watchdog;
	/* Without it the watchdog still covers all but the every-CPU case. */
	if (!nmi_tick_start())
		pr_warn("vcpu: no NMI tick: a guest spinning with interrupts off on every CPU of an "
			"emulator that does not exit on the timer there would stop the machine\n");
}

static void enter_guest(struct vcpu *v, struct vcpu_exit *e)
{
	uint64_t host_xcr0 = 0;
	bool switch_xcr0 = v->xcr0_written && v->xcr0 != (host_xcr0 = fpu_host_xcr0());

	if (switch_xcr0)
		xsetbv(0, v->xcr0);
	this_cpu()->guest_entered_tsc = rdtsc();
	virt->vcpu_run(v, e);
	this_cpu()->guest_entered_tsc = 0;
	if (switch_xcr0)
		xsetbv(0, host_xcr0);
}

enum exit_reason vcpu_run_loop(struct vcpu *v, vcpu_exit_fn owner, void *ctx)
{
	struct vcpu_exit *e = &v->exit;
	uint64_t preempt_at = 0;	/* TSC when the armed timer fires */
	bool irqs_were_on = read_rflags() & X86_EFLAGS_IF;
	bool own_timer = !this_cpu()->sched_running;
	bool go = true;

	/* The preemption timer must reach the CPU while the guest runs; SVM
	 * masks physical interrupts in guest mode by the host's RFLAGS.IF at
	 * VMRUN (V_INTR_MASKING), so the loop runs with them on. */
	irq_enable();
	virt->vcpu_load(v);
	/* The guest's FPU state stays in the registers while the loop runs. */
	fpu_save(v->host_fpu);
	fpu_restore(v->fpu);
	/* An IN the owner answered since the last call (the KVM_RUN way). */
	pio_complete_pending(v);
	e->reason = EXIT_NONE;

	while (go) {
		uint64_t now = rdtsc();
		exit_handler_fn h;

		if (must_stop(v, now))
			break;
		if (own_timer && now >= preempt_at) {
			lapic_timer_oneshot_ns(PREEMPT_NS);
			preempt_at = now + tsc_ns_to_ticks(PREEMPT_NS);
		}
		deliver_pending_events(v);
		enter_guest(v, e);

		if ((unsigned int)e->reason >= EXIT_REASON_COUNT) {
			log_exit(v, e, "backend returned an unknown exit reason");
			e->reason = EXIT_UNHANDLED;
		}
		v->exit_count[e->reason]++;
		h = exit_handlers[e->reason];
		go = h(v, e, owner, ctx);
	}

	if (own_timer)
		lapic_timer_stop();
	fpu_save(v->fpu);
	fpu_restore(v->host_fpu);
	virt->vcpu_put(v);
	if (!irqs_were_on)
		irq_disable();
	return e->reason;
}
