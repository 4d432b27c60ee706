/* Guest MTRRs: stored per vcpu and validated like the hardware does (no effect
 * on the host mapping: guest memory is always write-back for now). */
#ifndef EMUL_MTRR_H
#define EMUL_MTRR_H

#include "emul/msr_state.h"

#define MSR_MTRRCAP		0xFE
#define MSR_MTRR_PHYSBASE0	0x200		/* ..0x20F: base/mask pairs */
#define MSR_MTRR_FIX64K_00000	0x250
#define MSR_MTRR_FIX16K_80000	0x258
#define MSR_MTRR_FIX16K_A0000	0x259
#define MSR_MTRR_FIX4K_C0000	0x268		/* ..0x26F */
#define MSR_MTRR_DEF_TYPE	0x2FF

/* VCNT = 8, fixed-range MTRRs and write-combining supported, no SMRR. */
#define MTRRCAP_VALUE		(MTRR_NR_VAR | (1u << 8) | (1u << 10))

/* true when @index is an MTRR MSR handled here. */
bool mtrr_msr_known(uint32_t index);
/* 0, or -EINVAL for an unknown MSR or a value the CPU would #GP on.
 * @maxphyaddr: the guest's physical address width (bits above are reserved). */
int mtrr_get(const struct vcpu_msr_state *s, uint32_t index, uint64_t *value);
int mtrr_set(struct vcpu_msr_state *s, uint32_t index, uint64_t value, unsigned int maxphyaddr);

#endif
