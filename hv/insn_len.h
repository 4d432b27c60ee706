/*
 * Lengths of the few instructions that cause exits the core completes, for
 * when the hardware did not report one (SVM without NRIP save), and the
 * prefix scan string I/O needs for its segment override. Pure: works on bytes
 * already fetched from CS:RIP.
 */
#ifndef HV_INSN_LEN_H
#define HV_INSN_LEN_H

#include "hv/types.h"
#include "hv/vcpu_exit.h"

#define INSN_MAX_LEN	15

struct insn_prefixes {
	unsigned int len;	/* bytes of legacy prefixes and REX */
	int seg;		/* enum seg_reg of a segment override, -1 if none */
	bool opsize, addrsize, rep, repne, lock;
	uint8_t rex;		/* 0 if none (64-bit code only) */
};

/* Scans the prefixes of the instruction in @b[0..n). @code64: 64-bit code
 * segment (REX exists). Stops at the first non-prefix byte. */
void insn_scan_prefixes(const uint8_t *b, unsigned int n, bool code64, struct insn_prefixes *p);

/*
 * The length of the instruction in @b[0..n) if it is one that causes @reason
 * (CPUID, RDMSR/WRMSR, HLT, VMCALL/VMMCALL, XSETBV, IN/OUT/INS/OUTS);
 * 0 when the bytes are something else or truncated.
 */
unsigned int insn_exit_length(enum exit_reason reason, const uint8_t *b, unsigned int n,
			      bool code64);

/* true when @b[0..n) is exactly VMCALL (0F 01 C1) or VMMCALL (0F 01 D9). */
bool insn_is_hypercall(const uint8_t *b, unsigned int n);

#endif
