/* Port I/O and string I/O exits (see hv/pio.h). */
#include "hv/pio.h"
#include "hv/pio_string.h"
#include "hv/vcpu_run.h"
#include "hv/guest_access.h"
#include "hv/insn_len.h"
#include "hv/string.h"
#include "hv/log.h"
#include "mmu/gwalk.h"
#include "arch/x86/virt.h"

#define X86_EFLAGS_DF	(1UL << 10)

/* AL/AX keep the rest of RAX; a 32-bit IN zero-extends into RAX. */
static void in_merge(struct vcpu *v, uint8_t size)
{
	uint32_t val = 0;

	memcpy(&val, v->pio_data, size);
	if (size == 4)
		v->regs.rax = val;
	else if (size == 2)
		v->regs.rax = (v->regs.rax & ~0xFFFFULL) | val;
	else
		v->regs.rax = (v->regs.rax & ~0xFFULL) | val;
}

/*
 * Describes the string instruction of @e from the registers. Fills in what
 * the backend did not report (segment override, address size) from the
 * instruction bytes. false when they cannot be read.
 */
static bool string_op(struct vcpu *v, const struct vcpu_exit *e, struct vcpu_sregs *s,
		      struct pio_string_op *op)
{
	int seg = e->io.in ? SEG_ES : e->io.seg;
	uint8_t addr_size = e->io.addr_size;

	virt->get_sregs(v, s);
	if (seg < 0 || !addr_size) {
		uint8_t b[INSN_MAX_LEN];
		struct insn_prefixes p;
		int n = guest_fetch_insn(v, s, b, sizeof(b));

		if (n <= 0)
			return false;
		insn_scan_prefixes(b, (unsigned int)n, guest_code64(s), &p);
		if (seg < 0)
			seg = p.seg >= 0 ? p.seg : SEG_DS;	/* INS always uses ES */
		if (!addr_size) {
			addr_size = guest_code64(s) ? 8 : s->cs.db ? 4 : 2;
			if (p.addrsize)
				addr_size = addr_size == 8 ? 4 : addr_size == 4 ? 2 : 4;
		}
	}
	*op = (struct pio_string_op){
		.size = e->io.size, .addr_size = addr_size, .rep = e->io.rep,
		.df = v->regs.rflags & X86_EFLAGS_DF, .code64 = guest_code64(s),
		.seg_base = guest_seg_base(s, seg),
		.index = e->io.in ? v->regs.rdi : v->regs.rsi, .rcx = v->regs.rcx,
	};
	return true;
}

/* Registers after @n elements; the instruction ends when no element remains
 * (until then the guest re-executes it, taking interrupts in between). */
static bool string_advance(struct vcpu *v, const struct vcpu_exit *e, struct pio_string_op *op,
			   uint32_t n)
{
	pio_string_advance(op, n);
	if (e->io.in)
		v->regs.rdi = op->index;
	else
		v->regs.rsi = op->index;
	v->regs.rcx = op->rcx;
	if (!op->rep || pio_string_remaining(op) == 0)
		return vcpu_skip_insn(v, e);
	return true;
}

/* Stores the owner's INS data to ES:RDI and moves on. */
static void string_in_complete(struct vcpu *v, const struct vcpu_exit *e)
{
	struct vcpu_sregs s;
	struct pio_string_op op;
	uint32_t n = e->io.count;

	if (!string_op(v, e, &s, &op)) {
		pr_err("vcpu%u: INS completion: instruction unreadable\n", v->id);
		return;
	}
	if (op.df)
		pio_reverse_elements(v->pio_data, n, op.size);
	/* The destination was checked before the port was read. A fault now
	 * (the guest cannot have run since) has been injected; drop the data. */
	if (guest_write_linear(v, &s, pio_string_chunk_start(&op, n), v->pio_data,
			       (size_t)n * op.size))
		return;
	string_advance(v, e, &op, n);
}

static void in_complete(struct vcpu *v, const struct vcpu_exit *e)
{
	if (e->io.string) {
		string_in_complete(v, e);
	} else {
		in_merge(v, e->io.size);
		vcpu_skip_insn(v, e);
	}
}

void pio_complete_pending(struct vcpu *v)
{
	if (!v->pio_pending.active)
		return;
	v->pio_pending.active = false;
	in_complete(v, &v->pio_pending.exit);
}

/* Hands an IN to the owner: complete now if it answered synchronously. */
static bool in_to_owner(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	if (owner(v, e, ctx)) {
		in_complete(v, e);
		return true;
	}
	v->pio_pending.exit = *e;
	v->pio_pending.active = true;
	return false;
}

static bool string_exit(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	struct vcpu_sregs s;
	struct pio_string_op op;
	uint32_t n, bytes;
	uint64_t start, gpa;
	bool resume;
	int err;

	if (!string_op(v, e, &s, &op))
		return vcpu_exit_failed(v, e, owner, ctx, "string I/O: instruction unreadable");
	n = pio_string_chunk(&op, sizeof(v->pio_data) / op.size);
	if (n == 0)			/* REP with a zero count does nothing */
		return vcpu_skip_insn(v, e) ||
		       vcpu_exit_failed(v, e, owner, ctx, "string I/O: length unknown");
	bytes = n * op.size;
	start = pio_string_chunk_start(&op, n);
	e->io.count = n;

	if (e->io.in) {
		/* Fault before the port is read, as the CPU checks the
		 * destination first; also sets the guest's dirty bits. */
		err = guest_translate(v, &s, start, GWALK_WRITE, &gpa);
		if (!err && ((start ^ (start + bytes - 1)) & ~(PAGE_SIZE - 1)))
			err = guest_translate(v, &s, start + bytes - 1, GWALK_WRITE, &gpa);
		if (err == 1)
			return true;
		if (err)
			return vcpu_exit_failed(v, e, owner, ctx, "INS: guest tables not in RAM");
		return in_to_owner(v, e, owner, ctx);
	}

	err = guest_read_linear(v, &s, start, v->pio_data, bytes);
	if (err == 1)
		return true;
	if (err)
		return vcpu_exit_failed(v, e, owner, ctx, "OUTS: source not in RAM");
	if (op.df)
		pio_reverse_elements(v->pio_data, n, op.size);
	resume = owner(v, e, ctx);
	/* The owner has the data: the elements are done whatever it answered. */
	if (!string_advance(v, e, &op, n))
		return false;
	return resume;
}

bool pio_exit(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx)
{
	bool resume;

	if (e->io.size != 1 && e->io.size != 2 && e->io.size != 4)
		return vcpu_exit_failed(v, e, owner, ctx, "I/O exit with a bad size");
	if (e->io.string)
		return string_exit(v, e, owner, ctx);

	e->io.count = 1;
	if (e->io.in)
		return in_to_owner(v, e, owner, ctx);
	memcpy(v->pio_data, &v->regs.rax, e->io.size);
	resume = owner(v, e, ctx);
	if (!vcpu_skip_insn(v, e))
		return false;
	return resume;
}
