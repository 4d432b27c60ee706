/* Decoding MMIO instructions (see emul/insn_decode.h). */
#include "emul/insn_decode.h"
#include "hv/insn_len.h"
#include "hv/pio_string.h"
#include "hv/errno.h"
#include "arch/x86/cpu.h"

#define REX_W	0x08
#define REX_R	0x04
#define REX_X	0x02
#define REX_B	0x01

/* The bytes being decoded and what the prefixes said about them. */
struct decoder {
	const uint8_t *b;
	unsigned int n;		/* bytes available, at most INSN_MAX_LEN */
	unsigned int pos;	/* next byte to consume */
	struct insn_prefixes p;
};

enum insn_mode insn_mode_of(const struct vcpu_sregs *s, uint64_t rflags)
{
	if (!(s->cr0 & CR0_PE) || (rflags & X86_EFLAGS_VM))
		return INSN_MODE_16;
	if ((s->efer & EFER_LMA) && s->cs.l)
		return INSN_MODE_64;
	return s->cs.db ? INSN_MODE_32 : INSN_MODE_16;
}

/*
 * Consumes @size bytes as a little-endian value. An instruction longer than
 * 15 bytes is #GP on the CPU, so that is an invalid encoding whatever @n is;
 * running out of bytes before that only means the caller fetched too few.
 */
static int fetch(struct decoder *d, unsigned int size, uint64_t *val)
{
	uint64_t v = 0;

	if (d->pos + size > INSN_MAX_LEN)
		return -EINVAL;
	if (d->pos + size > d->n)
		return -EFAULT;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)d->b[d->pos + i] << (8 * i);
	d->pos += size;
	*val = v;
	return 0;
}

static int64_t sign_extend(uint64_t v, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	return (int64_t)(v << shift) >> shift;
}

static uint64_t size_mask(unsigned int bytes)
{
	return pio_addr_mask(bytes);
}

static bool has_rex(const struct decoder *d, uint8_t bit)
{
	return d->p.rex & bit;
}

/* The register operand of ModRM.reg (or a fixed one) at @size bytes. */
static void set_reg(const struct decoder *d, struct insn *in, unsigned int reg)
{
	in->src = INSN_SRC_REG;
	in->reg = reg;
	/* Byte registers 4..7 are AH..BH unless any REX is present. */
	if (in->op_size == 1 && !d->p.rex && reg >= 4 && reg <= 7) {
		in->reg = reg - 4;
		in->reg_high8 = true;
	}
}

/* The default segment of @m, then the override prefix if any. */
static void set_seg(const struct decoder *d, struct insn_mem *m, bool stack)
{
	m->seg = d->p.seg >= 0 ? d->p.seg : stack ? SEG_SS : SEG_DS;
}

static int decode_disp(struct decoder *d, struct insn_mem *m, unsigned int size)
{
	uint64_t v;
	int ret = fetch(d, size, &v);

	if (ret)
		return ret;
	m->disp = sign_extend(v, size);
	return 0;
}

/* 16-bit addressing: the base/index pairs ModRM.rm names. */
static int decode_modrm16(struct decoder *d, struct insn_mem *m, unsigned int mod,
			  unsigned int rm)
{
	static const int8_t base16[8] = { GPR_RBX, GPR_RBX, GPR_RBP, GPR_RBP, -1, -1, GPR_RBP,
					  GPR_RBX };
	static const int8_t index16[8] = { GPR_RSI, GPR_RDI, GPR_RSI, GPR_RDI, GPR_RSI,
					   GPR_RDI, -1, -1 };

	if (mod == 0 && rm == 6) {
		set_seg(d, m, false);
		return decode_disp(d, m, 2);
	}
	/* [SI] and [DI] are encoded as index-only; store them as bases. */
	m->base = rm == 4 || rm == 5 ? index16[rm] : base16[rm];
	m->index = rm == 4 || rm == 5 ? -1 : index16[rm];
	set_seg(d, m, m->base == GPR_RBP);
	if (mod == 1)
		return decode_disp(d, m, 1);
	if (mod == 2)
		return decode_disp(d, m, 2);
	return 0;
}

/* 32/64-bit addressing: SIB, disp32 without base, RIP-relative in 64-bit mode. */
static int decode_modrm32(struct decoder *d, struct insn *in, struct insn_mem *m,
			  unsigned int mod, unsigned int rm)
{
	bool no_base = false;
	uint64_t sib;
	int ret;

	if (rm == 4) {
		unsigned int idx, base;

		ret = fetch(d, 1, &sib);
		if (ret)
			return ret;
		idx = ((sib >> 3) & 7) | (has_rex(d, REX_X) ? 8 : 0);
		base = sib & 7;
		/* Index 4 without REX.X is "none"; with it, R12 is a real index. */
		if (idx != GPR_RSP) {
			m->index = idx;
			m->scale = 1 << (sib >> 6);
		}
		/* Base 5 with mod 0 is "disp32, no base", whatever REX.B says. */
		if (base == 5 && mod == 0)
			no_base = true;
		else
			m->base = base | (has_rex(d, REX_B) ? 8 : 0);
	} else if (rm == 5 && mod == 0) {
		no_base = true;
		m->rip_rel = in->mode == INSN_MODE_64;
	} else {
		m->base = rm | (has_rex(d, REX_B) ? 8 : 0);
	}
	/* Only rSP and rBP themselves (not R12/R13) make the stack the default. */
	set_seg(d, m, m->base == GPR_RSP || m->base == GPR_RBP);
	if (no_base || mod == 2)
		return decode_disp(d, m, 4);
	if (mod == 1)
		return decode_disp(d, m, 1);
	return 0;
}

/*
 * Decodes ModRM (and SIB/displacement) into mem[0]; *reg gets ModRM.reg with
 * REX.R. A register-only ModRM cannot be an MMIO access.
 */
static int decode_modrm(struct decoder *d, struct insn *in, unsigned int *reg)
{
	struct insn_mem *m = &in->mem[0];
	unsigned int mod, rm;
	uint64_t modrm;
	int ret;

	ret = fetch(d, 1, &modrm);
	if (ret)
		return ret;
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg = ((modrm >> 3) & 7) | (has_rex(d, REX_R) ? 8 : 0);
	if (mod == 3)
		return -EOPNOTSUPP;
	in->nr_mem = 1;
	m->base = m->index = -1;
	m->scale = 1;
	if (in->addr_size == 2)
		return decode_modrm16(d, m, mod, rm);
	return decode_modrm32(d, in, m, mod, rm);
}

/* An immediate of min(op_size, 4) bytes (or @size8: one byte), sign-extended. */
static int decode_imm(struct decoder *d, struct insn *in, bool size8)
{
	unsigned int size = size8 ? 1 : MIN(in->op_size, 4u);
	uint64_t v;
	int ret = fetch(d, size, &v);

	if (ret)
		return ret;
	in->src = INSN_SRC_IMM;
	in->imm = (uint64_t)sign_extend(v, size) & size_mask(in->op_size);
	return 0;
}

/* MOV between ModRM memory and a register: 88/89 store, 8A/8B load. */
static int decode_mov_modrm(struct decoder *d, struct insn *in, uint8_t op)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	in->kind = INSN_MOV;
	in->mem[0].access = op & 2 ? INSN_MEM_READ : INSN_MEM_WRITE;
	set_reg(d, in, reg);
	return 0;
}

/* C6 /0 ib, C7 /0 iw/id: MOV memory, immediate. */
static int decode_mov_imm(struct decoder *d, struct insn *in)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	if ((reg & 7) != 0)	/* /7 is XABORT/XBEGIN, register forms only */
		return -EINVAL;
	in->kind = INSN_MOV;
	in->mem[0].access = INSN_MEM_WRITE;
	return decode_imm(d, in, false);
}

/* A0-A3: MOV between AL/rAX and a memory offset of address-size bytes. */
static int decode_mov_moffs(struct decoder *d, struct insn *in, uint8_t op)
{
	struct insn_mem *m = &in->mem[0];
	uint64_t off;
	int ret = fetch(d, in->addr_size, &off);

	if (ret)
		return ret;
	in->kind = INSN_MOV;
	in->nr_mem = 1;
	*m = (struct insn_mem){
		.access = op & 2 ? INSN_MEM_WRITE : INSN_MEM_READ,
		.base = -1, .index = -1, .scale = 1, .disp = (int64_t)off,
	};
	set_seg(d, m, false);
	set_reg(d, in, GPR_RAX);
	return 0;
}

/* 0F B6/B7 MOVZX, 0F BE/BF MOVSX: a narrower memory source into a register. */
static int decode_movx(struct decoder *d, struct insn *in, uint8_t op2)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	in->kind = op2 & 8 ? INSN_MOVSX : INSN_MOVZX;
	in->sign_extend = op2 & 8;
	in->mem_size = op2 & 1 ? 2 : 1;
	in->mem[0].access = INSN_MEM_READ;
	set_reg(d, in, reg);
	return 0;
}

/* 63 in 64-bit mode: MOVSXD reg, r/m32 (r/m16 with 66 and no REX.W). */
static int decode_movsxd(struct decoder *d, struct insn *in)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	in->kind = INSN_MOVSX;
	in->sign_extend = true;
	in->mem_size = MIN(in->op_size, 4);
	in->mem[0].access = INSN_MEM_READ;
	set_reg(d, in, reg);
	return 0;
}

/* 0F C3: MOVNTI m32/m64, reg (a store with a non-temporal hint). */
static int decode_movnti(struct decoder *d, struct insn *in)
{
	unsigned int reg;
	int ret;

	if (d->p.opsize)
		return -EINVAL;	/* 66 0F C3 is undefined */
	ret = decode_modrm(d, in, &reg);
	if (ret)
		return ret;
	in->kind = INSN_MOV;
	in->mem[0].access = INSN_MEM_WRITE;
	set_reg(d, in, reg);
	return 0;
}

static void set_alu(struct insn *in, unsigned int alu, bool mem_first)
{
	in->kind = INSN_ALU;
	in->alu = alu;
	in->mem_first = mem_first;
	/* Only a memory destination of an operation with a result is written. */
	in->mem[0].access = INSN_MEM_READ;
	if (mem_first && alu != ALU_CMP && alu != ALU_TEST)
		in->mem[0].access |= INSN_MEM_WRITE;
}

/* 00-3B with (op & 7) < 4: ALU between ModRM memory and a register. */
static int decode_alu_modrm(struct decoder *d, struct insn *in, uint8_t op)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	set_alu(in, op >> 3, !(op & 2));
	set_reg(d, in, reg);
	return 0;
}

/* 80/81/83 (and 82 outside 64-bit mode): group 1, memory and an immediate. */
static int decode_alu_imm(struct decoder *d, struct insn *in, uint8_t op)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	set_alu(in, reg & 7, true);
	return decode_imm(d, in, op != 0x81);
}

/* 84/85: TEST memory, register. */
static int decode_test_reg(struct decoder *d, struct insn *in)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	set_alu(in, ALU_TEST, true);
	set_reg(d, in, reg);
	return 0;
}

/* F6/F7 /0 and /1 (an alias): TEST memory, immediate. NOT/NEG/MUL/DIV are not emulated. */
static int decode_group3(struct decoder *d, struct insn *in)
{
	unsigned int reg;
	int ret = decode_modrm(d, in, &reg);

	if (ret)
		return ret;
	if ((reg & 7) > 1)
		return -EOPNOTSUPP;
	set_alu(in, ALU_TEST, true);
	return decode_imm(d, in, false);
}

/* STOS AA/AB, LODS AC/AD, MOVS A4/A5: rSI/rDI at the address size. */
static void decode_string(struct decoder *d, struct insn *in, uint8_t op)
{
	struct insn_mem src = { .access = INSN_MEM_READ, .base = GPR_RSI, .index = -1,
				.scale = 1 };
	/* The destination is ES:rDI; no override applies to it. */
	struct insn_mem dst = { .access = INSN_MEM_WRITE, .seg = SEG_ES, .base = GPR_RDI,
				.index = -1, .scale = 1 };

	set_seg(d, &src, false);
	/* Without a compare, F2 repeats like F3 does. */
	in->rep = d->p.rep || d->p.repne;
	in->nr_mem = 1;
	switch (op & ~1) {
	case 0xAA:
		in->kind = INSN_STOS;
		in->mem[0] = dst;
		set_reg(d, in, GPR_RAX);
		break;
	case 0xAC:
		in->kind = INSN_LODS;
		in->mem[0] = src;
		set_reg(d, in, GPR_RAX);
		break;
	default:
		in->kind = INSN_MOVS;
		in->mem[0] = src;
		in->mem[1] = dst;
		in->nr_mem = 2;
		break;
	}
}

static int decode_0f(struct decoder *d, struct insn *in)
{
	uint64_t op2;
	int ret = fetch(d, 1, &op2);

	if (ret)
		return ret;
	switch (op2) {
	case 0xB6: case 0xB7: case 0xBE: case 0xBF:
		return decode_movx(d, in, op2);
	case 0xC3:
		return decode_movnti(d, in);
	default:
		return -EOPNOTSUPP;
	}
}

static int decode_opcode(struct decoder *d, struct insn *in)
{
	uint64_t v;
	uint8_t op;
	int ret = fetch(d, 1, &v);

	if (ret)
		return ret;
	op = v;
	/* Opcodes with bit 0 clear in these rows are the byte forms. */
	if ((op < 0x40 && (op & 7) < 4) || (op >= 0x80 && op <= 0x8B) || op == 0xC6 ||
	    (op >= 0xA0 && op <= 0xAF) || op == 0xF6)
		in->op_size = op & 1 ? in->op_size : 1;
	in->mem_size = in->op_size;

	if (op < 0x40 && (op & 7) < 4)
		return decode_alu_modrm(d, in, op);
	switch (op) {
	case 0x0F:
		return decode_0f(d, in);
	case 0x63:
		/* ARPL outside 64-bit mode: a system instruction, not emulated. */
		return in->mode == INSN_MODE_64 ? decode_movsxd(d, in) : -EOPNOTSUPP;
	case 0x82:
		if (in->mode == INSN_MODE_64)
			return -EINVAL;
		return decode_alu_imm(d, in, op);
	case 0x80: case 0x81: case 0x83:
		return decode_alu_imm(d, in, op);
	case 0x84: case 0x85:
		return decode_test_reg(d, in);
	case 0x88: case 0x89: case 0x8A: case 0x8B:
		return decode_mov_modrm(d, in, op);
	case 0xA0: case 0xA1: case 0xA2: case 0xA3:
		return decode_mov_moffs(d, in, op);
	case 0xA4: case 0xA5: case 0xAA: case 0xAB: case 0xAC: case 0xAD:
		decode_string(d, in, op);
		return 0;
	case 0xC6: case 0xC7:
		return decode_mov_imm(d, in);
	case 0xF6: case 0xF7:
		return decode_group3(d, in);
	default:
		return -EOPNOTSUPP;
	}
}

/* LOCK is #UD except on a read-modify-write of memory. */
static bool lock_allowed(const struct insn *in)
{
	return in->kind == INSN_ALU && (in->mem[0].access & INSN_MEM_WRITE);
}

static void set_sizes(const struct decoder *d, struct insn *in)
{
	bool rex_w = has_rex(d, REX_W);

	switch (in->mode) {
	case INSN_MODE_64:
		in->op_size = rex_w ? 8 : d->p.opsize ? 2 : 4;
		in->addr_size = d->p.addrsize ? 4 : 8;
		break;
	case INSN_MODE_32:
		in->op_size = d->p.opsize ? 2 : 4;
		in->addr_size = d->p.addrsize ? 2 : 4;
		break;
	default:
		in->op_size = d->p.opsize ? 4 : 2;
		in->addr_size = d->p.addrsize ? 4 : 2;
		break;
	}
}

int insn_decode(const uint8_t *b, unsigned int n, enum insn_mode mode, struct insn *in)
{
	struct decoder d = { .b = b, .n = MIN(n, INSN_MAX_LEN) };
	int ret;

	*in = (struct insn){ .mode = mode, .reg = -1 };
	in->mem[0].base = in->mem[0].index = in->mem[1].base = in->mem[1].index = -1;
	insn_scan_prefixes(b, d.n, mode == INSN_MODE_64, &d.p);
	d.pos = d.p.len;
	if (d.pos >= INSN_MAX_LEN)
		return -EINVAL;
	set_sizes(&d, in);
	ret = decode_opcode(&d, in);
	if (ret)
		return ret;
	in->lock = d.p.lock;
	if (in->lock && !lock_allowed(in))
		return -EINVAL;
	in->len = d.pos;
	return 0;
}

/* vcpu_regs_gpr() hands out a writable pointer; this only reads through it. */
static uint64_t gpr_read(const struct vcpu_regs *r, unsigned int n)
{
	return *vcpu_regs_gpr((struct vcpu_regs *)r, n);
}

uint64_t insn_mem_offset(const struct insn *in, unsigned int i, const struct vcpu_regs *r)
{
	const struct insn_mem *m = &in->mem[i & 1];
	uint64_t ea = (uint64_t)m->disp;

	if (m->base >= 0)
		ea += gpr_read(r, m->base);
	if (m->index >= 0)
		ea += gpr_read(r, m->index) * m->scale;
	if (m->rip_rel)
		ea += r->rip + in->len;
	return ea & size_mask(in->addr_size);
}

uint64_t insn_mem_linear(const struct insn *in, unsigned int i, const struct vcpu_regs *r,
			 uint64_t seg_base)
{
	uint64_t lin = seg_base + insn_mem_offset(in, i, r);

	/* Outside 64-bit mode linear addresses are 32 bits and wrap. */
	return in->mode == INSN_MODE_64 ? lin : (uint32_t)lin;
}
