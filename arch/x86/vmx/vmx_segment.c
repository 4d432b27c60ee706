/*
 * VMX segment access rights <-> struct vcpu_segment (kvm_segment). Pure
 * functions, host-tested: the VMCS holds byte-granular limits already, and
 * bit 16 of the access rights marks an unusable (null-loaded) segment.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"

uint32_t vmx_segment_to_ar(const struct vcpu_segment *s)
{
	uint32_t ar = (s->type & 15) | ((s->s & 1) << 4) | ((s->dpl & 3) << 5) |
		      ((s->present & 1) << 7) | ((s->avl & 1) << 12) | ((s->l & 1) << 13) |
		      ((s->db & 1) << 14) | ((s->g & 1) << 15);

	/*
	 * VM entry requires usable segments to be present; KVM users clear
	 * `present` for null segments without always setting `unusable`.
	 */
	if (s->unusable || !s->present)
		ar |= VMX_AR_UNUSABLE;
	return ar;
}

void vmx_ar_to_segment(uint32_t ar, struct vcpu_segment *s)
{
	s->type = ar & 15;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
	s->unusable = (ar >> 16) & 1;
	/* The CPU may leave P set in an unusable segment's rights. */
	s->present = !s->unusable && ((ar >> 7) & 1);
	s->padding = 0;
}
