/*
 * The arithmetic of the ALU forms an MMIO access can take part in (ADD, OR,
 * ADC, SBB, AND, SUB, XOR, CMP, TEST): the result and the six status flags,
 * computed the way the CPU does at 8, 16, 32 and 64 bits. Pure code.
 */
#ifndef EMUL_INSN_ALU_H
#define EMUL_INSN_ALU_H

#include "hv/types.h"

#define X86_EFLAGS_CF	(1UL << 0)
#define X86_EFLAGS_PF	(1UL << 2)
#define X86_EFLAGS_AF	(1UL << 4)
#define X86_EFLAGS_ZF	(1UL << 6)
#define X86_EFLAGS_SF	(1UL << 7)
#define X86_EFLAGS_DF	(1UL << 10)
#define X86_EFLAGS_OF	(1UL << 11)
#define X86_EFLAGS_RF	(1UL << 16)
#define X86_EFLAGS_STATUS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/*
 * @alu (enum insn_alu) of @a and @b at @size bytes (1, 2, 4, 8). Replaces
 * the status flags in *@rflags (ADC/SBB also read CF from it; the logical
 * operations leave AF clear, where the CPU leaves it undefined) and returns
 * the result masked to @size. CMP and TEST return what SUB and AND would.
 */
uint64_t insn_alu_compute(unsigned int alu, uint64_t a, uint64_t b, unsigned int size,
			  uint64_t *rflags);

#endif
