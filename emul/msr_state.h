/* The per-vcpu MSR values the core emulates itself (emul/msr.c). */
#ifndef EMUL_MSR_STATE_H
#define EMUL_MSR_STATE_H

#include "hv/types.h"

#define MTRR_NR_VAR		8	/* MTRRcap.VCNT */
#define MTRR_NR_FIXED		11	/* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */

struct vcpu_msr_state {
	uint64_t apic_base;
	uint64_t misc_enable;
	int64_t tsc_offset;		/* guest TSC = host TSC + tsc_offset */
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[MTRR_NR_FIXED];
	uint64_t mtrr_var[2 * MTRR_NR_VAR];	/* PHYSBASE0, PHYSMASK0, PHYSBASE1, ... */
};

#endif
