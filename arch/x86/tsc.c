/*
 * TSC frequency. CPUID leaf 0x15 (crystal ratio) or 0x16 (base MHz) give it
 * on recent Intel CPUs; emulators and hypervisors sometimes report values
 * that do not match the TSC they actually run, so a CPUID answer is kept only
 * if the PIT roughly agrees with it.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/pit.h"
#include "hv/log.h"
#include "hv/panic.h"

#define CALIBRATE_MS		10
#define CALIBRATE_RUNS		3
/* CPUID and PIT must agree within 1/CPUID_TOLERANCE (10 %). */
#define CPUID_TOLERANCE		10
/* ns -> ticks as (ns * mult) >> SHIFT; 24 bits keep tsc_hz << SHIFT in 64 bits up to 1 THz. */
#define NS_SHIFT		24
#define NSEC_PER_SEC		1000000000ULL

static uint64_t tsc_freq;
static uint64_t ns_mult;

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

/* The frequency CPUID states, or 0 when it does not state one. */
static uint64_t tsc_hz_from_cpuid(void)
{
	uint32_t max = cpu_features.max_leaf;
	struct cpuid_regs r;

	if (max < 0x15)
		return 0;
	r = cpuid(0x15, 0);	/* EAX denominator, EBX numerator, ECX crystal Hz */
	if (r.eax && r.ebx && r.ecx)
		return (uint64_t)r.ecx * r.ebx / r.eax;
	/* Without a crystal frequency the TSC runs at the base frequency. */
	if (max >= 0x16 && (cpuid(0x16, 0).eax & 0xFFFF))
		return (uint64_t)(cpuid(0x16, 0).eax & 0xFFFF) * 1000000;
	return 0;
}

/* Shortest of a few PIT measurements: SMIs and emulator hiccups only lengthen one. */
static uint64_t tsc_hz_from_pit(void)
{
	uint64_t best = 0;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t ticks;

		if (!pit_measure_tsc(CALIBRATE_MS, &ticks))
			return 0;
		if (!best || ticks < best)
			best = ticks;
	}
	/* The PIT counted PIT_HZ * ms / 1000 whole periods, not exactly ms. */
	return best * PIT_HZ / ((uint64_t)PIT_HZ * CALIBRATE_MS / 1000);
}

void tsc_init(void)
{
	uint64_t from_cpuid = tsc_hz_from_cpuid();
	uint64_t from_pit = tsc_hz_from_pit();
	uint64_t hz;

	if (from_cpuid && from_pit) {
		uint64_t diff = MAX(from_cpuid, from_pit) - MIN(from_cpuid, from_pit);

		if (diff * CPUID_TOLERANCE <= from_pit) {
			hz = from_cpuid;
		} else {
			/* Typical of emulators: not worth a warning on every boot. */
			pr_debug("tsc: CPUID says %lu kHz but the PIT measures %lu kHz; "
				 "using the PIT\n", from_cpuid / 1000, from_pit / 1000);
			hz = from_pit;
		}
	} else {
		hz = from_cpuid ? from_cpuid : from_pit;
	}
	if (!hz)
		panic("tsc: no frequency from CPUID and no working PIT to measure it");
	pr_debug("tsc: CPUID %lu Hz, PIT %lu Hz\n", from_cpuid, from_pit);
	if (!cpu_features.invariant_tsc)
		pr_debug("tsc: not invariant (may change with power states)\n");
	tsc_freq = hz;
	ns_mult = (hz << NS_SHIFT) / NSEC_PER_SEC;
}

uint64_t tsc_ns_to_ticks(uint64_t ns)
{
	unsigned __int128 t = ((unsigned __int128)ns * ns_mult) >> NS_SHIFT;

	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

void tsc_delay_us(uint64_t us)
{
	uint64_t start, ticks;

	if (!tsc_freq) {
		/* Writes to the POST port take about a microsecond on any PC. */
		while (us--)
			outb(0x80, 0);
		return;
	}
	ticks = tsc_ns_to_ticks(us > UINT64_MAX / 1000 ? UINT64_MAX : us * 1000);
	start = rdtsc();
	while (rdtsc() - start < ticks)
		cpu_relax();
}
