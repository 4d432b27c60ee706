/*
 * Decoding the instruction behind an MMIO exit (a guest access to a GPA that
 * is not RAM). The hardware says only which GPA was touched; to complete the
 * access the core needs to know how wide it was, which way it went and which
 * register or immediate is on the other side. This decoder covers the forms
 * guests use for device registers: every MOV that touches memory, MOVZX,
 * MOVSX/MOVSXD, MOVNTI, STOS/LODS/MOVS (with REP), and the ALU forms
 * ADD/OR/ADC/SBB/AND/SUB/XOR/CMP/TEST with a memory operand. Anything else is
 * refused, never guessed at. emul/mmio_emul.h completes a decoded
 * instruction. Pure code over bytes already fetched from CS:RIP: host-tested
 * and fuzzed.
 */
#ifndef EMUL_INSN_DECODE_H
#define EMUL_INSN_DECODE_H

#include "hv/types.h"
#include "hv/vcpu_state.h"

/* Default operand/address size of the code segment the instruction runs in. */
enum insn_mode {
	INSN_MODE_16,	/* real mode, virtual-8086 mode, protected mode with CS.D = 0 */
	INSN_MODE_32,	/* protected or compatibility mode with CS.D = 1 */
	INSN_MODE_64,	/* 64-bit mode: EFER.LMA and CS.L */
};

enum insn_kind {
	INSN_MOV,	/* 88/89/8A/8B/C6/C7/A0-A3, 0F C3 (MOVNTI) */
	INSN_MOVZX,	/* 0F B6/B7 */
	INSN_MOVSX,	/* 0F BE/BF, 63 (MOVSXD, 64-bit mode) */
	INSN_ALU,	/* 00-3B, 80-83, 84/85, F6/F7 /0 /1: @alu says which */
	INSN_STOS,	/* AA/AB: [ES:rDI] <- rAX */
	INSN_LODS,	/* AC/AD: rAX <- [seg:rSI] */
	INSN_MOVS,	/* A4/A5: [ES:rDI] <- [seg:rSI] */
};

/* The group-1 order of the encoding (ModRM.reg of 80-83), then TEST. */
enum insn_alu { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

/* What the instruction does to a memory operand. */
#define INSN_MEM_READ	1
#define INSN_MEM_WRITE	2

/*
 * A memory operand: seg:(base + index * scale + disp), the offset masked to
 * the address size. RIP-relative operands count from the next instruction.
 */
struct insn_mem {
	uint8_t access;		/* INSN_MEM_READ | INSN_MEM_WRITE */
	int8_t seg;		/* enum seg_reg: override or default (DS, SS for rBP/rSP bases) */
	int8_t base;		/* enum gpr, -1 if none */
	int8_t index;		/* enum gpr, -1 if none */
	uint8_t scale;		/* 1, 2, 4 or 8 */
	bool rip_rel;
	int64_t disp;		/* sign-extended; moffs forms: the offset, zero-extended */
};

/* Where the register-or-immediate side of the instruction is. */
enum insn_src { INSN_SRC_NONE, INSN_SRC_REG, INSN_SRC_IMM };

struct insn {
	uint8_t len;		/* total length, prefixes included */
	uint8_t kind;		/* enum insn_kind */
	uint8_t alu;		/* enum insn_alu, INSN_ALU only */
	uint8_t mode;		/* enum insn_mode the bytes were decoded in */
	uint8_t mem_size;	/* bytes moved per memory access: 1, 2, 4 or 8 */
	uint8_t op_size;	/* width of the register/immediate operand (movzx/movsx: the destination) */
	uint8_t addr_size;	/* 2, 4 or 8 */
	uint8_t nr_mem;		/* 1, or 2 for MOVS */
	/*
	 * mem[0] is the operand; for MOVS mem[0] is the source [seg:rSI] and
	 * mem[1] the destination [ES:rDI]. STOS: mem[0] = [ES:rDI]; LODS:
	 * mem[0] = [seg:rSI].
	 */
	struct insn_mem mem[2];
	uint8_t src;		/* enum insn_src: the non-memory operand */
	int8_t reg;		/* enum gpr of the register operand, -1 if none */
	bool reg_high8;		/* the register is AH/CH/DH/BH (reg = 0..3 names RAX..RBX) */
	bool sign_extend;	/* MOVSX: the value read is sign-extended to op_size */
	bool mem_first;		/* INSN_ALU: memory is the left (destination) operand */
	bool rep;		/* F3 on a string instruction */
	bool lock;
	uint64_t imm;		/* INSN_SRC_IMM: extended to op_size and masked to it */
};

/* The mode from the guest's CR0.PE, EFLAGS.VM, EFER.LMA and CS.L/CS.D. */
enum insn_mode insn_mode_of(const struct vcpu_sregs *s, uint64_t rflags);

/*
 * Decodes the instruction in @b[0..n) (n may exceed the instruction; at most
 * 15 bytes are looked at) into @in. 0 on success;
 *   -EFAULT     the bytes end before the instruction does (fetch more),
 *   -EINVAL     an invalid encoding (the CPU raises #UD or #GP on it),
 *   -EOPNOTSUPP a valid instruction this decoder does not emulate, or one
 *               that cannot touch memory (register-only ModRM).
 * The caller reports the last two as KVM_INTERNAL_ERROR_EMULATION.
 */
int insn_decode(const uint8_t *b, unsigned int n, enum insn_mode mode, struct insn *in);

/* Offset of memory operand @i within its segment, masked to the address size. */
uint64_t insn_mem_offset(const struct insn *in, unsigned int i, const struct vcpu_regs *r);

/* Linear address of memory operand @i given its segment's base (the caller's
 * guest_seg_base(sregs, in->mem[i].seg)): 32-bit wrap outside 64-bit mode. */
uint64_t insn_mem_linear(const struct insn *in, unsigned int i, const struct vcpu_regs *r,
			 uint64_t seg_base);

#endif
