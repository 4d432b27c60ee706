/*
 * The LAPIC timer. Its input clock is unspecified (bus or crystal clock), so
 * it is measured against the calibrated TSC. One-shot timers use TSC-deadline
 * mode when the CPU has it: no conversion error and no 32-bit count limit.
 */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/traps.h"
#include "arch/x86/tsc.h"
#include "hv/log.h"
#include "hv/percpu.h"

#define CALIBRATE_US		10000
#define CALIBRATE_RUNS		3
#define CHECK_PERIOD_NS		1000000ULL	/* 1 kHz while checking that ticks arrive */
#define CHECK_US		20000
#define NS_SHIFT		24
#define NSEC_PER_SEC		1000000000ULL

static uint64_t timer_hz;		/* input clock, before the divider */
static uint64_t count_mult;		/* ns -> counts, << NS_SHIFT */
static bool deadline;
static volatile uint64_t ticks[MAX_CPUS];

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

bool lapic_timer_has_deadline(void)
{
	return deadline;
}

uint64_t lapic_timer_ticks(void)
{
	return ticks[this_cpu()->cpu_id];
}

void (*lapic_timer_hook)(void);

static void timer_irq(struct trap_frame *tf)
{
	(void)tf;
	ticks[this_cpu()->cpu_id]++;
	lapic_eoi();
	if (lapic_timer_hook)
		lapic_timer_hook();
}

/* Counter value for @ns, clamped to what the 32-bit register can hold (at least 1). */
static uint32_t ns_to_count(uint64_t ns)
{
	unsigned __int128 c = ((unsigned __int128)ns * count_mult) >> NS_SHIFT;

	if (c > UINT32_MAX)
		return UINT32_MAX;
	return c ? (uint32_t)c : 1;
}

void lapic_timer_oneshot_ns(uint64_t ns)
{
	if (deadline) {
		uint64_t delta = tsc_ns_to_ticks(ns);

		lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_DEADLINE | LAPIC_TIMER_VECTOR);
		/* SDM 10.5.4.1: the LVT write must be done before the deadline write. */
		__asm__ volatile("mfence; lfence" ::: "memory");
		wrmsr(MSR_TSC_DEADLINE, rdtsc() + (delta ? delta : 1));
		return;
	}
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, ns_to_count(ns));
}

void lapic_timer_periodic_ns(uint64_t ns)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, ns_to_count(ns));
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (deadline)
		wrmsr(MSR_TSC_DEADLINE, 0);
}

/* Input clock of the LAPIC timer from CALIBRATE_RUNS windows of CALIBRATE_US. */
static uint64_t measure_timer_hz(void)
{
	uint64_t window = tsc_ns_to_ticks(CALIBRATE_US * 1000ULL);
	uint64_t best = 0;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t t0, t1, t2, counted, hz;
		uint32_t cur;

		lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_ONESHOT |
			    LAPIC_TIMER_VECTOR);
		lapic_write(LAPIC_TIMER_INIT, UINT32_MAX);
		t0 = rdtsc();
		while (rdtsc() - t0 < window)
			cpu_relax();
		t1 = rdtsc();
		cur = lapic_read(LAPIC_TIMER_CURRENT);
		t2 = rdtsc();
		lapic_write(LAPIC_TIMER_INIT, 0);
		counted = UINT32_MAX - cur;
		if (cur == 0 || counted == 0)
			continue;	/* ran out or never moved: no information */
		/* The register was read somewhere between t1 and t2. */
		hz = counted * LAPIC_TIMER_DIVISOR * tsc_hz() / ((t1 + t2) / 2 - t0);
		/* Interference only makes the TSC window look longer: keep the highest rate. */
		if (hz > best)
			best = hz;
	}
	return best;
}

/* Counts timer interrupts for a moment with interrupts on: proves the vector,
 * the handler and the EOI path work, not just the counter. */
static void check_ticks(void)
{
	uint64_t before = lapic_timer_ticks(), periodic, oneshot;

	lapic_timer_periodic_ns(CHECK_PERIOD_NS);
	irq_enable();
	tsc_delay_us(CHECK_US);
	irq_disable();
	lapic_timer_stop();
	periodic = lapic_timer_ticks() - before;

	before = lapic_timer_ticks();
	lapic_timer_oneshot_ns(CHECK_PERIOD_NS);
	irq_enable();
	tsc_delay_us(CHECK_US / 4);
	irq_disable();
	lapic_timer_stop();
	oneshot = lapic_timer_ticks() - before;

	pr_debug("timer: %lu periodic ticks in %u us (expected ~%llu), %lu one-shot (expected 1)\n",
		 periodic, CHECK_US, CHECK_US * 1000ULL / CHECK_PERIOD_NS, oneshot);
	if (periodic == 0)
		pr_warn("timer: no periodic LAPIC timer interrupt arrived\n");
	if (oneshot != 1)
		pr_warn("timer: one-shot %s timer fired %lu times, expected once\n",
			deadline ? "TSC-deadline" : "LAPIC", oneshot);
}

void lapic_timer_init(void)
{
	deadline = cpu_features.tsc_deadline;
	irq_set_handler(LAPIC_TIMER_VECTOR, timer_irq);

	timer_hz = measure_timer_hz();
	if (!timer_hz)
		pr_warn("timer: the LAPIC timer does not count; only TSC-deadline timers can work\n");
	count_mult = ((timer_hz / LAPIC_TIMER_DIVISOR) << NS_SHIFT) / NSEC_PER_SEC;
	if (timer_hz || deadline)
		check_ticks();

	pr_info("timer: tsc %lu MHz, lapic %lu MHz, %s, %s\n", (tsc_hz() + 500000) / 1000000,
		(timer_hz + 500000) / 1000000, lapic_is_x2apic() ? "x2apic" : "xapic",
		deadline ? "deadline" : "oneshot");
}
