/*
 * Completing a decoded MMIO instruction (emul/insn_decode.h) against the
 * guest registers: the value a write stores, what a read's value does to the
 * registers and flags, and retiring the instruction (RIP, or one element of
 * a string instruction). The caller moves the bytes (KVM_EXIT_MMIO or an
 * in-core device) and calls these in order:
 *
 *   write:  mmio_store_value() -> device write -> mmio_retire()
 *   read:   device read -> mmio_complete_read() -> [device write of *wval]
 *           -> mmio_retire()
 *
 * Read-modify-write ALU forms and MOVS take both steps of the read path:
 * the second access is the write of mem[0] (ALU) or mem[1] (MOVS). Pure code.
 */
#ifndef EMUL_MMIO_EMUL_H
#define EMUL_MMIO_EMUL_H

#include "emul/insn_decode.h"

/*
 * The @in->mem_size bytes (in the low bits of *@val) a write stores when
 * they do not depend on a read: MOV/MOVNTI stores and STOS. -EINVAL for an
 * instruction that does not write memory, or whose stored value comes from
 * a read (read-modify-write ALU, MOVS: mmio_complete_read() gives it).
 */
int mmio_store_value(const struct insn *in, const struct vcpu_regs *r, uint64_t *val);

/*
 * Applies @val, the @in->mem_size bytes read from the memory operand that is
 * read (mem[0]), to @r: a register destination is written with the CPU's
 * partial-register rules (8- and 16-bit writes merge, AH..BH are bits 8-15,
 * 32-bit writes zero-extend), MOVZX/MOVSX extend, ALU forms update the
 * status flags. Returns 1 when a write must follow with *@wval (ALU with a
 * memory destination: the result; MOVS: the element), 0 when the read
 * completes the instruction, -EINVAL when @in reads no memory.
 */
int mmio_complete_read(const struct insn *in, struct vcpu_regs *r, uint64_t val, uint64_t *wval);

/* Elements a string instruction still moves: masked rCX with REP (0: the
 * instruction does nothing and only retires), else 1. */
uint64_t mmio_rep_count(const struct insn *in, const struct vcpu_regs *r);

/*
 * Retires one execution: for string forms rSI/rDI move by one element (down
 * with EFLAGS.DF) and REP decrements rCX, all at the address size; RIP moves
 * past the instruction unless REP elements remain, so the guest executes it
 * again for the next element (one element per exit, interrupts in between).
 * EFLAGS.RF is cleared as after any completed instruction.
 */
void mmio_retire(const struct insn *in, struct vcpu_regs *r);

/* Register @reg (enum gpr; @high8: AH..BH) at @size bytes, and its write
 * with the partial-register rules above. Exposed for the in-core devices. */
uint64_t mmio_reg_read(const struct vcpu_regs *r, unsigned int reg, bool high8,
		       unsigned int size);
void mmio_reg_write(struct vcpu_regs *r, unsigned int reg, bool high8, unsigned int size,
		    uint64_t val);

#endif
