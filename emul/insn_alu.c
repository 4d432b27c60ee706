/* ALU results and status flags (see emul/insn_alu.h). */
#include "emul/insn_alu.h"
#include "emul/insn_decode.h"

/* PF: set when the low byte of the result has an even number of ones.
 * Folded by hand: __builtin_popcount may call libgcc, which the core lacks. */
static bool parity_even(uint64_t v)
{
	v &= 0xFF;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return !(v & 1);
}

uint64_t insn_alu_compute(unsigned int alu, uint64_t a, uint64_t b, unsigned int size,
			  uint64_t *rflags)
{
	uint64_t mask = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	uint64_t sign = 1ULL << (8 * size - 1);
	uint64_t carry_in = *rflags & X86_EFLAGS_CF ? 1 : 0;
	uint64_t res, flags = 0;
	bool cf = false, of = false;

	a &= mask;
	b &= mask;
	switch (alu) {
	case ALU_ADD:
	case ALU_ADC:
		if (alu == ALU_ADD)
			carry_in = 0;
		res = (a + b + carry_in) & mask;
		/* Unsigned overflow: the result wrapped below an operand. */
		cf = res < a || (carry_in && res == a);
		/* Signed overflow: both operands' signs differ from the result's. */
		of = (a ^ res) & (b ^ res) & sign;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		if (alu != ALU_SBB)
			carry_in = 0;
		res = (a - b - carry_in) & mask;
		cf = a < b || (carry_in && a == b);
		of = (a ^ b) & (a ^ res) & sign;
		break;
	case ALU_OR:
		res = a | b;
		break;
	case ALU_XOR:
		res = a ^ b;
		break;
	default:	/* AND, TEST */
		res = a & b;
		break;
	}
	if (cf)
		flags |= X86_EFLAGS_CF;
	if (of)
		flags |= X86_EFLAGS_OF;
	/* Only the arithmetic operations define AF: the carry out of bit 3. */
	if (alu == ALU_ADD || alu == ALU_ADC || alu == ALU_SUB || alu == ALU_SBB ||
	    alu == ALU_CMP)
		flags |= (a ^ b ^ res) & X86_EFLAGS_AF;
	if (res == 0)
		flags |= X86_EFLAGS_ZF;
	if (res & sign)
		flags |= X86_EFLAGS_SF;
	if (parity_even(res))
		flags |= X86_EFLAGS_PF;
	*rflags = (*rflags & ~X86_EFLAGS_STATUS) | flags;
	return res;
}
