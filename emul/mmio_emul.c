/* Completing MMIO instructions (see emul/mmio_emul.h). */
#include "emul/mmio_emul.h"
#include "emul/insn_alu.h"
#include "hv/pio_string.h"
#include "hv/errno.h"

static uint64_t mask_of(unsigned int size)
{
	return pio_addr_mask(size);
}

uint64_t mmio_reg_read(const struct vcpu_regs *r, unsigned int reg, bool high8,
		       unsigned int size)
{
	/* vcpu_regs_gpr() hands out a writable pointer; this only reads. */
	uint64_t v = *vcpu_regs_gpr((struct vcpu_regs *)r, reg);

	if (high8)
		return (v >> 8) & 0xFF;
	return v & mask_of(size);
}

void mmio_reg_write(struct vcpu_regs *r, unsigned int reg, bool high8, unsigned int size,
		    uint64_t val)
{
	uint64_t *p = vcpu_regs_gpr(r, reg);

	if (high8)
		*p = (*p & ~0xFF00ULL) | ((val & 0xFF) << 8);
	else if (size == 4)
		*p = (uint32_t)val;
	else
		*p = (*p & ~mask_of(size)) | (val & mask_of(size));
}

/* The register or immediate operand at op_size. */
static uint64_t src_value(const struct insn *in, const struct vcpu_regs *r)
{
	if (in->src == INSN_SRC_IMM)
		return in->imm;
	return mmio_reg_read(r, in->reg, in->reg_high8, in->op_size);
}

int mmio_store_value(const struct insn *in, const struct vcpu_regs *r, uint64_t *val)
{
	if (in->kind != INSN_MOV && in->kind != INSN_STOS)
		return -EINVAL;
	if (!(in->mem[0].access & INSN_MEM_WRITE))
		return -EINVAL;
	*val = src_value(in, r) & mask_of(in->mem_size);
	return 0;
}

static int complete_alu(const struct insn *in, struct vcpu_regs *r, uint64_t val,
			uint64_t *wval)
{
	uint64_t other = src_value(in, r);
	uint64_t res;

	if (in->mem_first)
		res = insn_alu_compute(in->alu, val, other, in->op_size, &r->rflags);
	else
		res = insn_alu_compute(in->alu, other, val, in->op_size, &r->rflags);
	if (in->alu == ALU_CMP || in->alu == ALU_TEST)
		return 0;
	if (in->mem_first) {
		*wval = res;
		return 1;
	}
	mmio_reg_write(r, in->reg, in->reg_high8, in->op_size, res);
	return 0;
}

int mmio_complete_read(const struct insn *in, struct vcpu_regs *r, uint64_t val, uint64_t *wval)
{
	unsigned int shift = 64 - 8 * in->mem_size;

	if (!(in->mem[0].access & INSN_MEM_READ))
		return -EINVAL;
	val &= mask_of(in->mem_size);
	switch (in->kind) {
	case INSN_MOV:
	case INSN_MOVZX:
	case INSN_LODS:
		mmio_reg_write(r, in->reg, in->reg_high8, in->op_size, val);
		return 0;
	case INSN_MOVSX:
		val = (uint64_t)((int64_t)(val << shift) >> shift);
		mmio_reg_write(r, in->reg, in->reg_high8, in->op_size, val);
		return 0;
	case INSN_MOVS:
		*wval = val;
		return 1;
	case INSN_ALU:
		return complete_alu(in, r, val, wval);
	default:
		return -EINVAL;
	}
}

static bool is_string(const struct insn *in)
{
	return in->kind == INSN_STOS || in->kind == INSN_LODS || in->kind == INSN_MOVS;
}

uint64_t mmio_rep_count(const struct insn *in, const struct vcpu_regs *r)
{
	if (!is_string(in) || !in->rep)
		return 1;
	return r->rcx & mask_of(in->addr_size);
}

/* Moves index register @reg one element on, wrapping at the address size. */
static void step_index(const struct insn *in, struct vcpu_regs *r, unsigned int reg)
{
	uint64_t v = mmio_reg_read(r, reg, false, 8);

	v = r->rflags & X86_EFLAGS_DF ? v - in->mem_size : v + in->mem_size;
	mmio_reg_write(r, reg, false, in->addr_size, v);
}

static void advance_rip(const struct insn *in, struct vcpu_regs *r)
{
	uint64_t rip = r->rip + in->len;

	/* Outside 64-bit mode EIP is 32 bits. */
	r->rip = in->mode == INSN_MODE_64 ? rip : (uint32_t)rip;
	r->rflags &= ~X86_EFLAGS_RF;
}

void mmio_retire(const struct insn *in, struct vcpu_regs *r)
{
	if (!is_string(in)) {
		advance_rip(in, r);
		return;
	}
	if (mmio_rep_count(in, r) == 0) {
		advance_rip(in, r);
		return;
	}
	if (in->kind != INSN_STOS)
		step_index(in, r, GPR_RSI);
	if (in->kind != INSN_LODS)
		step_index(in, r, GPR_RDI);
	if (in->rep) {
		mmio_reg_write(r, GPR_RCX, false, in->addr_size, r->rcx - 1);
		if (mmio_rep_count(in, r) != 0)
			return;
	}
	advance_rip(in, r);
}
