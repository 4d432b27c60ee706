/* unit-sources: hv/insn_len.c emul/mtrr.c hv/hypercall_abi.c hv/format.c */
/* Pure parts of the exit handlers: instruction lengths, MTRR checks, hypercall results. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/insn_len.h"
#include "hv/vcpu_state.h"
#include "hv/hypercall.h"
#include "emul/mtrr.h"

#define LEN(reason, code64, ...)						\
	({ const uint8_t b_[] = { __VA_ARGS__ };				\
	   insn_exit_length(reason, b_, sizeof(b_), code64); })

static void lengths(void **state)
{
	(void)state;
	assert_int_equal(LEN(EXIT_CPUID, true, 0x0f, 0xa2, 0x90), 2);
	assert_int_equal(LEN(EXIT_RDMSR, false, 0x0f, 0x32), 2);
	assert_int_equal(LEN(EXIT_WRMSR, true, 0x0f, 0x30), 2);
	assert_int_equal(LEN(EXIT_HLT, false, 0xf4, 0x00), 1);
	assert_int_equal(LEN(EXIT_HYPERCALL, true, 0x0f, 0x01, 0xc1), 3);
	assert_int_equal(LEN(EXIT_HYPERCALL, true, 0x0f, 0x01, 0xd9), 3);
	assert_int_equal(LEN(EXIT_XSETBV, true, 0x0f, 0x01, 0xd1), 3);
	assert_int_equal(LEN(EXIT_IO, false, 0xe6, 0x80), 2);		/* out 0x80, al */
	assert_int_equal(LEN(EXIT_IO, false, 0x66, 0xef), 2);		/* out dx, ax */
	assert_int_equal(LEN(EXIT_IO, true, 0xf3, 0x48, 0x6e), 3);	/* rep rex.w outsb */
	assert_int_equal(LEN(EXIT_IO, false, 0xf3, 0x26, 0x67, 0x6f), 4);
	/* Not the instruction the exit claims, or truncated. */
	assert_int_equal(LEN(EXIT_CPUID, true, 0x0f, 0x0b), 0);
	assert_int_equal(LEN(EXIT_IO, true, 0xe4), 0);
	assert_int_equal(LEN(EXIT_HYPERCALL, true, 0x0f, 0x01, 0xc8), 0);
	/* REX is a prefix only in 64-bit code (0x48 is DEC EAX elsewhere). */
	assert_int_equal(LEN(EXIT_IO, false, 0x48, 0x6e), 0);
	/* Fifteen bytes at most. */
	assert_int_equal(LEN(EXIT_HLT, false, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			     0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xf4), 0);
}

static void prefixes(void **state)
{
	const uint8_t b[] = { 0xf3, 0x64, 0x67, 0x6e };
	const uint8_t none[] = { 0x6e };
	struct insn_prefixes p;

	(void)state;
	insn_scan_prefixes(b, sizeof(b), true, &p);
	assert_int_equal(p.len, 3);
	assert_int_equal(p.seg, SEG_FS);
	assert_true(p.rep);
	assert_true(p.addrsize);
	insn_scan_prefixes(none, sizeof(none), true, &p);
	assert_int_equal(p.seg, -1);
	assert_int_equal(p.len, 0);
}

static void hypercall_bytes(void **state)
{
	const uint8_t vmcall[] = { 0x0f, 0x01, 0xc1 }, vmmcall[] = { 0x0f, 0x01, 0xd9 };
	const uint8_t other[] = { 0x0f, 0x01, 0xd8 };

	(void)state;
	assert_true(insn_is_hypercall(vmcall, 3));
	assert_true(insn_is_hypercall(vmmcall, 3));
	assert_false(insn_is_hypercall(other, 3));
	assert_false(insn_is_hypercall(vmcall, 2));
}

static void hypercall_results(void **state)
{
	const uint64_t args[4] = { 0 };

	(void)state;
	assert_int_equal(hypercall_result(0, KVM_HC_VAPIC_POLL_IRQ, args), 0);
	assert_int_equal(hypercall_result(0, 12345, args), -1000);
	assert_int_equal(hypercall_result(3, KVM_HC_VAPIC_POLL_IRQ, args), -KVM_EPERM);
	assert_int_equal(hypercall_result(1, 12345, args), -KVM_EPERM);
}

static void mtrrs(void **state)
{
	struct vcpu_msr_state s = { 0 };
	uint64_t v;

	(void)state;
	assert_true(mtrr_msr_known(MSR_MTRRCAP));
	assert_true(mtrr_msr_known(0x20f));
	assert_false(mtrr_msr_known(0x210));
	assert_true(mtrr_msr_known(0x26f));
	assert_false(mtrr_msr_known(0x25a));

	assert_int_equal(mtrr_get(&s, MSR_MTRRCAP, &v), 0);
	assert_int_equal(v, 0x508);
	assert_int_equal(mtrr_set(&s, MSR_MTRRCAP, 0, 40), -22);

	assert_int_equal(mtrr_set(&s, MSR_MTRR_DEF_TYPE, 0xc06, 40), 0);
	assert_int_equal(mtrr_get(&s, MSR_MTRR_DEF_TYPE, &v), 0);
	assert_int_equal(v, 0xc06);
	assert_int_equal(mtrr_set(&s, MSR_MTRR_DEF_TYPE, 0x2, 40), -22);	/* type 2 reserved */
	assert_int_equal(mtrr_set(&s, MSR_MTRR_DEF_TYPE, 0x1006, 40), -22);

	assert_int_equal(mtrr_set(&s, 0x200, 0x80000006, 40), 0);		/* base, WB */
	assert_int_equal(mtrr_set(&s, 0x201, 0xff80000800ULL, 40), 0);	/* mask, valid */
	assert_int_equal(mtrr_set(&s, 0x201, 0x10000000800ULL, 40), -22);	/* above MAXPHYADDR */
	assert_int_equal(mtrr_set(&s, 0x201, 0xff80000801ULL, 40), -22);	/* reserved low bits */
	assert_int_equal(mtrr_set(&s, 0x202, 0x80000106, 40), -22);		/* reserved base bits */
	assert_int_equal(mtrr_get(&s, 0x201, &v), 0);
	assert_int_equal(v, 0xff80000800ULL);

	assert_int_equal(mtrr_set(&s, MSR_MTRR_FIX4K_C0000 + 7, 0x0606060606060606ULL, 40), 0);
	assert_int_equal(mtrr_get(&s, MSR_MTRR_FIX4K_C0000 + 7, &v), 0);
	assert_int_equal(v, 0x0606060606060606ULL);
	assert_int_equal(mtrr_set(&s, MSR_MTRR_FIX64K_00000, 0x0706060606060606ULL, 40), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lengths),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(hypercall_bytes),
		cmocka_unit_test(hypercall_results),
		cmocka_unit_test(mtrrs),
	};
	return cmocka_run_group_tests_name("exit_emul", tests, NULL, NULL);
}
