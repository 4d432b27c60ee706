/* Guest MTRR registers (see emul/mtrr.h). */
#include "emul/mtrr.h"
#include "hv/errno.h"

#define DEF_TYPE_FE	(1u << 10)
#define DEF_TYPE_E	(1u << 11)
#define PHYSMASK_VALID	(1u << 11)

/* UC, WC, WT, WP, WB; 2, 3 and 7+ are reserved. */
static bool type_valid(uint8_t t)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

/* Index into mtrr_fixed[] for a fixed-range MSR, -1 otherwise. */
static int fixed_slot(uint32_t index)
{
	if (index == MSR_MTRR_FIX64K_00000)
		return 0;
	if (index == MSR_MTRR_FIX16K_80000)
		return 1;
	if (index == MSR_MTRR_FIX16K_A0000)
		return 2;
	if (index >= MSR_MTRR_FIX4K_C0000 && index < MSR_MTRR_FIX4K_C0000 + 8)
		return 3 + (int)(index - MSR_MTRR_FIX4K_C0000);
	return -1;
}

static bool var_msr(uint32_t index)
{
	return index >= MSR_MTRR_PHYSBASE0 && index < MSR_MTRR_PHYSBASE0 + 2 * MTRR_NR_VAR;
}

bool mtrr_msr_known(uint32_t index)
{
	return index == MSR_MTRRCAP || index == MSR_MTRR_DEF_TYPE || var_msr(index) ||
	       fixed_slot(index) >= 0;
}

int mtrr_get(const struct vcpu_msr_state *s, uint32_t index, uint64_t *value)
{
	int slot = fixed_slot(index);

	if (index == MSR_MTRRCAP)
		*value = MTRRCAP_VALUE;
	else if (index == MSR_MTRR_DEF_TYPE)
		*value = s->mtrr_def_type;
	else if (var_msr(index))
		*value = s->mtrr_var[index - MSR_MTRR_PHYSBASE0];
	else if (slot >= 0)
		*value = s->mtrr_fixed[slot];
	else
		return -EINVAL;
	return 0;
}

int mtrr_set(struct vcpu_msr_state *s, uint32_t index, uint64_t value, unsigned int maxphyaddr)
{
	uint64_t above_phys = maxphyaddr >= 64 ? 0 : ~0ULL << maxphyaddr;
	int slot = fixed_slot(index);

	if (index == MSR_MTRR_DEF_TYPE) {
		if ((value & ~(uint64_t)(0xFF | DEF_TYPE_FE | DEF_TYPE_E)) ||
		    !type_valid(value & 0xFF))
			return -EINVAL;
		s->mtrr_def_type = value;
		return 0;
	}
	if (var_msr(index)) {
		bool is_mask = (index - MSR_MTRR_PHYSBASE0) & 1;

		if (value & above_phys)
			return -EINVAL;
		if (is_mask ? (value & 0x7FF) : ((value & 0xF00) || !type_valid(value & 0xFF)))
			return -EINVAL;
		s->mtrr_var[index - MSR_MTRR_PHYSBASE0] = value;
		return 0;
	}
	if (slot >= 0) {
		/* Eight one-byte memory types, one per sub-range. */
		for (int i = 0; i < 8; i++)
			if (!type_valid((value >> (8 * i)) & 0xFF))
				return -EINVAL;
		s->mtrr_fixed[slot] = value;
		return 0;
	}
	/* MTRRcap is read-only. */
	return -EINVAL;
}
