/*
 * Deliberate faults (crashtest=): each kind executes the smallest thing that
 * must raise that exception, so tests can check the whole report path.
 */
#include "hv/crashtest.h"
#include "hv/log.h"
#include "arch/x86/backtrace.h"

/*
 * Candidates for "surely unmapped": just below the top of the lower half and
 * an odd spot in the upper half. Checked against the live page tables first,
 * since the memory code may map more in the future.
 */
static const uintptr_t pf_candidates[] = {
	0x00007fffdead0000UL,
	0xffffdeadbeef0000UL,
	0x0000400000000000UL,
};

/* Out of line and opaque to the optimiser, so every kind really executes its instruction. */
static __attribute__((noinline)) void crash_pf(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(pf_candidates); i++) {
		if (kernel_va_mapped(pf_candidates[i]))
			continue;
		*(volatile uint64_t *)pf_candidates[i] = 0x7e57;
		return;
	}
	pr_err("crashtest: every candidate address is mapped; no page fault to trigger\n");
}

static __attribute__((noinline)) void crash_gp(void)
{
	/* Bits 63:47 disagree: not canonical, so any access is #GP (not #PF). */
	volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000UL;

	(void)*p;
}

static __attribute__((noinline)) void crash_ud(void)
{
	__asm__ volatile("ud2");
}

static __attribute__((noinline)) void crash_de(void)
{
	/* Read through volatile, so the compiler cannot know the divisor is zero. */
	static volatile uint32_t zero;
	uint32_t divisor = zero, quotient, remainder;

	__asm__ volatile("divl %[d]"
			 : "=a"(quotient), "=d"(remainder)
			 : [d] "r"(divisor), "a"(1), "d"(0));
	(void)quotient;
	(void)remainder;
}

void crashtest_run(const char *kind)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} kinds[] = {
		{ "pf", crash_pf }, { "gp", crash_gp }, { "ud", crash_ud }, { "de", crash_de },
	};

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strcmp(kind, kinds[i].name))
			continue;
		pr_info("crashtest: triggering %s\n", kind);
		kinds[i].fn();
		pr_err("crashtest: %s did not fault\n", kind);
		return;
	}
	pr_warn("crashtest: unknown kind '%s' ignored (pf, gp, ud or de)\n", kind);
}
