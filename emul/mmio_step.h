/*
 * One MMIO instruction as a sequence of device accesses, the way KVM_RUN
 * hands them to a device model: each access that is not RAM becomes one
 * exit, and a read waits in struct mmio_state until the next KVM_RUN brings
 * its data. Operands that are RAM (the other side of a MOVS, the read of a
 * read-modify-write on a read-only slot) are copied here without an exit.
 *
 * Linux's order is kept: a write exit leaves with the instruction (or the
 * string element) already retired, a read exit leaves with RIP still on the
 * instruction and retires it when the data comes (seed 000: without entering
 * the guest in between). Pure: guest memory is reached through callbacks,
 * so the sequences are host-tested.
 */
#ifndef EMUL_MMIO_STEP_H
#define EMUL_MMIO_STEP_H

#include "emul/insn_decode.h"

/* How the caller reaches the guest's memory. */
struct mmio_env {
	void *ctx;
	/* Base of segment @seg (enum seg_reg) for a data access. */
	uint64_t (*seg_base)(void *ctx, int seg);
	/* Linear -> guest-physical for a data access: 0, 1 when the guest took
	 * a fault instead (already injected: the instruction is abandoned), or
	 * -EFAULT when its page tables are not in RAM. */
	int (*translate)(void *ctx, uint64_t lin, bool write, uint64_t *gpa);
	/* RAM at @gpa (writable RAM for ram_write): 0, or -EFAULT when it is
	 * not, so the access goes to the device model. */
	int (*ram_read)(void *ctx, uint64_t gpa, void *buf, unsigned int len);
	int (*ram_write)(void *ctx, uint64_t gpa, const void *buf, unsigned int len);
};

/* The device access an exit asks for. */
struct mmio_request {
	uint64_t gpa;
	uint8_t len;		/* 1, 2, 4 or 8 */
	bool write;
	uint64_t data;		/* write: the value, little-endian in the low bytes */
};

/* A read handed to the device model, completed by mmio_step_finish(). */
struct mmio_state {
	bool pending;
	struct insn in;
	struct mmio_request req;
};

enum mmio_step_result {
	MMIO_STEP_RESUME,	/* done (or a guest fault injected): enter the guest */
	MMIO_STEP_EXIT,		/* *req is for the device model */
};

/*
 * Starts the decoded instruction @in against the registers @r: MMIO_STEP_EXIT
 * with *@req (a read leaves @st pending), MMIO_STEP_RESUME, or a negative
 * errno when it cannot be emulated: -EOPNOTSUPP (an access that crosses a
 * page, an instruction that touches no memory), -EFAULT (guest tables not in
 * RAM). @st must not be pending.
 */
int mmio_step_start(struct mmio_state *st, const struct insn *in, struct vcpu_regs *r,
		    const struct mmio_env *env, struct mmio_request *req);

/*
 * Completes the pending read with @data (the device model's bytes, @st->req.len
 * of them in the low bits) on the registers as they are now (KVM_SET_REGS may
 * have changed them since the exit). Returns MMIO_STEP_RESUME, MMIO_STEP_EXIT
 * when a write follows (read-modify-write ALU, MOVS to MMIO), or a negative
 * errno as mmio_step_start(). @st is no longer pending afterwards.
 */
int mmio_step_finish(struct mmio_state *st, struct vcpu_regs *r, uint64_t data,
		     const struct mmio_env *env, struct mmio_request *req);

#endif
