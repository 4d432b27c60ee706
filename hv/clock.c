/*
 * The monotonic clock: the TSC scaled to nanoseconds. The TSCs of all CPUs
 * run in step on the platforms tern supports, but a CPU whose TSC lags by a
 * few ticks must still never see time go back after another CPU has seen it
 * later: the last value handed out is kept and never undercut.
 */
#include "hv/clock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"

#define MULT_SHIFT	32
#define NSEC_PER_SEC	1000000000ULL

static uint64_t ns_mult;	/* ns per tick << MULT_SHIFT */
static uint64_t last_ns;

static uint64_t tsc_to_ns(uint64_t tsc)
{
	uint64_t mult = __atomic_load_n(&ns_mult, __ATOMIC_RELAXED);

	if (!mult) {
		uint64_t hz = tsc_hz();

		if (!hz)
			return 0;	/* before tsc_init(): no clock yet */
		/* 1e9 << 32 fits in 64 bits: no 128-bit division (no libgcc here). */
		mult = (NSEC_PER_SEC << MULT_SHIFT) / hz;
		__atomic_store_n(&ns_mult, mult, __ATOMIC_RELAXED);
	}
	return (uint64_t)(((unsigned __int128)tsc * mult) >> MULT_SHIFT);
}

uint64_t clock_ns(void)
{
	uint64_t now = tsc_to_ns(rdtsc());
	uint64_t last = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);

	while (now > last)
		if (__atomic_compare_exchange_n(&last_ns, &last, now, true, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return now;
	return last;
}
