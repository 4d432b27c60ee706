/* MMIO instructions as device accesses (see emul/mmio_step.h). */
#include "emul/mmio_step.h"
#include "emul/mmio_emul.h"
#include "hv/errno.h"

#define STEP_PAGE_SIZE	4096u

static bool is_string(const struct insn *in)
{
	return in->kind == INSN_STOS || in->kind == INSN_LODS || in->kind == INSN_MOVS;
}

/*
 * The guest-physical address of memory operand @i. The device model gets one
 * address and up to 8 bytes per exit, so an access split over two guest pages
 * (which may map to two unrelated GPAs) is refused rather than half done.
 */
static int operand_gpa(const struct insn *in, unsigned int i, const struct vcpu_regs *r,
		       const struct mmio_env *env, bool write, uint64_t *gpa)
{
	uint64_t lin = insn_mem_linear(in, i, r, env->seg_base(env->ctx, in->mem[i].seg));

	if ((lin & (STEP_PAGE_SIZE - 1)) + in->mem_size > STEP_PAGE_SIZE)
		return -EOPNOTSUPP;
	return env->translate(env->ctx, lin, write, gpa);
}

/* Stores @val to operand @i: RAM directly, else a write exit. Linux retires
 * the instruction before a write exit, so KVM_GET_REGS there shows it done. */
static int write_operand(const struct insn *in, unsigned int i, struct vcpu_regs *r,
			 uint64_t val, const struct mmio_env *env, struct mmio_request *req)
{
	uint64_t gpa;
	int err = operand_gpa(in, i, r, env, true, &gpa);

	if (err < 0)
		return err;
	if (err)	/* the guest took a #PF */
		return MMIO_STEP_RESUME;
	if (!env->ram_write(env->ctx, gpa, &val, in->mem_size)) {
		mmio_retire(in, r);
		return MMIO_STEP_RESUME;
	}
	*req = (struct mmio_request){ .gpa = gpa, .len = in->mem_size, .write = true,
				      .data = val };
	mmio_retire(in, r);
	return MMIO_STEP_EXIT;
}

/* The read is done: registers and flags, then the write that may follow. */
static int complete(const struct insn *in, struct vcpu_regs *r, uint64_t data,
		    const struct mmio_env *env, struct mmio_request *req)
{
	uint64_t wval = 0;
	int ret = mmio_complete_read(in, r, data, &wval);

	if (ret < 0)
		return -EOPNOTSUPP;
	if (ret == 0) {
		mmio_retire(in, r);
		return MMIO_STEP_RESUME;
	}
	/* MOVS stores to [ES:rDI], a read-modify-write back to its operand. */
	return write_operand(in, in->kind == INSN_MOVS ? 1 : 0, r, wval, env, req);
}

static int read_operand(struct mmio_state *st, const struct insn *in, struct vcpu_regs *r,
			const struct mmio_env *env, struct mmio_request *req)
{
	uint64_t gpa, val = 0;
	int err = operand_gpa(in, 0, r, env, false, &gpa);

	if (err < 0)
		return err;
	if (err)
		return MMIO_STEP_RESUME;
	/* RAM that faulted only for the write half (a read-only slot, or the
	 * RAM source of a MOVS whose destination is the device). */
	if (!env->ram_read(env->ctx, gpa, &val, in->mem_size))
		return complete(in, r, val, env, req);
	st->in = *in;
	st->req = (struct mmio_request){ .gpa = gpa, .len = in->mem_size };
	st->pending = true;
	*req = st->req;
	return MMIO_STEP_EXIT;
}

int mmio_step_start(struct mmio_state *st, const struct insn *in, struct vcpu_regs *r,
		    const struct mmio_env *env, struct mmio_request *req)
{
	uint64_t val;

	if (st->pending || !in->nr_mem)
		return -EINVAL;
	/* REP with rCX = 0 moves nothing (the CPU would not have faulted). */
	if (is_string(in) && mmio_rep_count(in, r) == 0) {
		mmio_retire(in, r);
		return MMIO_STEP_RESUME;
	}
	if (in->mem[0].access & INSN_MEM_READ)
		return read_operand(st, in, r, env, req);
	if (mmio_store_value(in, r, &val))
		return -EOPNOTSUPP;
	return write_operand(in, 0, r, val, env, req);
}

int mmio_step_finish(struct mmio_state *st, struct vcpu_regs *r, uint64_t data,
		     const struct mmio_env *env, struct mmio_request *req)
{
	struct insn in = st->in;

	if (!st->pending)
		return -EINVAL;
	st->pending = false;
	return complete(&in, r, data, env, req);
}
