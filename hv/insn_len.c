/* Instruction lengths for exits (see hv/insn_len.h). */
#include "hv/insn_len.h"
#include "hv/vcpu_state.h"

void insn_scan_prefixes(const uint8_t *b, unsigned int n, bool code64, struct insn_prefixes *p)
{
	unsigned int i;

	*p = (struct insn_prefixes){ .seg = -1 };
	for (i = 0; i < n && i < INSN_MAX_LEN; i++) {
		switch (b[i]) {
		case 0x26: p->seg = SEG_ES; break;
		case 0x2E: p->seg = SEG_CS; break;
		case 0x36: p->seg = SEG_SS; break;
		case 0x3E: p->seg = SEG_DS; break;
		case 0x64: p->seg = SEG_FS; break;
		case 0x65: p->seg = SEG_GS; break;
		case 0x66: p->opsize = true; break;
		case 0x67: p->addrsize = true; break;
		case 0xF0: p->lock = true; break;
		case 0xF2: p->repne = true; break;
		case 0xF3: p->rep = true; break;
		default:
			/* REX counts only right before the opcode: a legacy
			 * prefix after it clears it again (below), and of
			 * several REX bytes the last one counts. */
			if (code64 && (b[i] & 0xF0) == 0x40) {
				p->rex = b[i];
				continue;
			}
			p->len = i;
			return;
		}
		p->rex = 0;	/* a legacy prefix after REX cancels it */
	}
	p->len = i;
}

/* Length of the opcode (and immediate) at @op for @reason, 0 if it does not match. */
static unsigned int opcode_length(enum exit_reason reason, const uint8_t *op, unsigned int n)
{
	if (n == 0)
		return 0;
	switch (reason) {
	case EXIT_HLT:
		return op[0] == 0xF4 ? 1 : 0;
	case EXIT_CPUID:
		return n >= 2 && op[0] == 0x0F && op[1] == 0xA2 ? 2 : 0;
	case EXIT_RDMSR:
		return n >= 2 && op[0] == 0x0F && op[1] == 0x32 ? 2 : 0;
	case EXIT_WRMSR:
		return n >= 2 && op[0] == 0x0F && op[1] == 0x30 ? 2 : 0;
	case EXIT_HYPERCALL:
		return insn_is_hypercall(op, MIN(n, 3u)) ? 3 : 0;
	case EXIT_XSETBV:
		return n >= 3 && op[0] == 0x0F && op[1] == 0x01 && op[2] == 0xD1 ? 3 : 0;
	case EXIT_IO:
		if (op[0] >= 0xE4 && op[0] <= 0xE7)	/* IN/OUT imm8 */
			return n >= 2 ? 2 : 0;
		if ((op[0] >= 0xEC && op[0] <= 0xEF) ||	/* IN/OUT DX */
		    (op[0] >= 0x6C && op[0] <= 0x6F))	/* INS/OUTS */
			return 1;
		return 0;
	default:
		return 0;
	}
}

unsigned int insn_exit_length(enum exit_reason reason, const uint8_t *b, unsigned int n,
			      bool code64)
{
	struct insn_prefixes p;
	unsigned int op;

	insn_scan_prefixes(b, n, code64, &p);
	op = opcode_length(reason, b + p.len, n - p.len);
	if (!op || p.len + op > INSN_MAX_LEN)
		return 0;
	return p.len + op;
}

bool insn_is_hypercall(const uint8_t *b, unsigned int n)
{
	return n == 3 && b[0] == 0x0F && b[1] == 0x01 && (b[2] == 0xC1 || b[2] == 0xD9);
}
