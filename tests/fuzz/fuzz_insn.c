/*
 * libFuzzer target for the MMIO instruction decoder and its completion
 * (`make fuzz`, then build/fuzz/fuzz_insn [-max_total_time=N] [CORPUS_DIR]).
 * Input: one byte choosing the mode, 16 bytes seeding the registers, then the
 * instruction bytes. Besides the sanitizers, every accepted instruction is
 * checked against properties the core relies on, independent of the decoder:
 * sane sizes, the same result from exactly its own bytes, a shorter copy
 * asking for more bytes, and completion touching only what it may.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emul/mmio_emul.h"
#include "emul/insn_alu.h"
#include "hv/errno.h"
#include "hv/pio_string.h"

#define CHECK(cond)	do { if (!(cond)) abort(); } while (0)

static bool valid_size(unsigned int s)
{
	return s == 1 || s == 2 || s == 4 || s == 8;
}

static void check_accepted(const struct insn *in, const uint8_t *b, unsigned int n)
{
	struct insn again;

	CHECK(in->len >= 1 && in->len <= n && in->len <= 15);
	CHECK(valid_size(in->mem_size) && valid_size(in->op_size));
	CHECK(in->addr_size == 2 || in->addr_size == 4 || in->addr_size == 8);
	CHECK(in->nr_mem == 1 || (in->nr_mem == 2 && in->kind == INSN_MOVS));
	CHECK(in->reg >= -1 && in->reg <= 15);
	CHECK(in->src != INSN_SRC_REG || in->reg >= 0);
	for (unsigned int i = 0; i < in->nr_mem; i++) {
		CHECK(in->mem[i].access);
		CHECK(in->mem[i].seg >= SEG_ES && in->mem[i].seg <= SEG_GS);
		CHECK(in->mem[i].base >= -1 && in->mem[i].base <= 15);
		CHECK(in->mem[i].index >= -1 && in->mem[i].index <= 15);
	}
	CHECK(insn_decode(b, in->len, in->mode, &again) == 0 && again.len == in->len &&
	      again.kind == in->kind && again.mem_size == in->mem_size);
	CHECK(insn_decode(b, in->len - 1, in->mode, &again) == -EFAULT);
}

static void exercise(const struct insn *in, const struct vcpu_regs *start, uint64_t val)
{
	struct vcpu_regs r = *start;
	uint64_t w = 0, v;
	bool writes = in->mem[in->nr_mem - 1].access & INSN_MEM_WRITE;
	int ret;

	CHECK(insn_mem_linear(in, 0, &r, val) == insn_mem_linear(in, 0, &r, val));
	if (in->mode != INSN_MODE_64)
		CHECK(insn_mem_linear(in, in->nr_mem - 1, &r, val) <= 0xffffffffULL);
	ret = mmio_store_value(in, &r, &v);
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret == 0)
		CHECK(writes && (v & ~pio_addr_mask(in->mem_size)) == 0);
	ret = mmio_complete_read(in, &r, val, &w);
	CHECK(ret == 0 || ret == 1 || ret == -EINVAL);
	if (ret == 1)
		CHECK(writes && (w & ~pio_addr_mask(in->mem_size)) == 0);
	/* Only ALU forms change flags, and only the status flags. */
	if (in->kind != INSN_ALU)
		CHECK(r.rflags == start->rflags);
	CHECK((r.rflags & ~X86_EFLAGS_STATUS) == (start->rflags & ~X86_EFLAGS_STATUS));
	mmio_retire(in, &r);
	CHECK((r.rflags & ~(X86_EFLAGS_STATUS | X86_EFLAGS_RF)) ==
	      (start->rflags & ~(X86_EFLAGS_STATUS | X86_EFLAGS_RF)));
	if (in->kind != INSN_STOS && in->kind != INSN_LODS && in->kind != INSN_MOVS)
		CHECK(r.rip != start->rip || in->mode != INSN_MODE_64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum insn_mode modes[] = { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };
	struct vcpu_regs r;
	uint64_t seed[2];
	struct insn in;
	uint8_t *copy;
	size_t n;
	int ret;

	if (size < 17)
		return 0;
	memcpy(seed, data + 1, sizeof(seed));
	/* Every register from the seed, so addresses and values vary. */
	for (unsigned int i = 0; i < sizeof(r) / 8; i++)
		((uint64_t *)&r)[i] = seed[i & 1] * (i + 1) ^ (seed[1] >> i);
	r.rflags = 0x2 | (seed[0] & (X86_EFLAGS_STATUS | X86_EFLAGS_DF | X86_EFLAGS_RF));
	n = size - 17;
	/* An exact-size copy: libFuzzer's own buffer may have slack after it. */
	copy = malloc(n ? n : 1);
	memcpy(copy, data + 17, n);
	ret = insn_decode(copy, n, modes[data[0] % 3], &in);
	CHECK(ret == 0 || ret == -EFAULT || ret == -EINVAL || ret == -EOPNOTSUPP);
	if (ret == 0) {
		check_accepted(&in, copy, n);
		exercise(&in, &r, seed[1]);
	}
	free(copy);
	return 0;
}
