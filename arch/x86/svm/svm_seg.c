/*
 * Segment registers between the VMCB's packed attribute format (descriptor
 * bits 47:40 and 55:52 in a 12-bit field) and kvm_segment's unpacked fields.
 * Pure conversions, host-tested.
 */
#include "arch/x86/svm/svm.h"

void svm_seg_get(const struct vmcb_seg *in, struct vcpu_segment *out)
{
	uint16_t a = in->attrib;

	out->base = in->base;
	out->limit = in->limit;
	out->selector = in->selector;
	out->type = a & SVM_ATTR_TYPE_MASK;
	out->s = !!(a & SVM_ATTR_S);
	out->dpl = (a >> SVM_ATTR_DPL_SHIFT) & 3;
	out->present = !!(a & SVM_ATTR_P);
	out->avl = !!(a & SVM_ATTR_AVL);
	out->l = !!(a & SVM_ATTR_L);
	out->db = !!(a & SVM_ATTR_DB);
	out->g = !!(a & SVM_ATTR_G);
	/* SVM has no "unusable" bit: a null-selector load clears P, and KVM's
	 * ABI reports exactly that as unusable. */
	out->unusable = !out->present;
	out->padding = 0;
}

void svm_seg_set(struct vmcb_seg *out, const struct vcpu_segment *in)
{
	out->base = in->base;
	out->limit = in->limit;
	out->selector = in->selector;
	if (in->unusable) {
		/* Keep the type and DPL (SS.DPL still gives the CPL), but
		 * not present, which is how the CPU marks a null segment. */
		out->attrib = (in->type & SVM_ATTR_TYPE_MASK) |
			      (in->s ? SVM_ATTR_S : 0) |
			      ((in->dpl & 3) << SVM_ATTR_DPL_SHIFT);
		return;
	}
	out->attrib = (in->type & SVM_ATTR_TYPE_MASK) |
		      (in->s ? SVM_ATTR_S : 0) |
		      ((in->dpl & 3) << SVM_ATTR_DPL_SHIFT) |
		      (in->present ? SVM_ATTR_P : 0) |
		      (in->avl ? SVM_ATTR_AVL : 0) |
		      (in->l ? SVM_ATTR_L : 0) |
		      (in->db ? SVM_ATTR_DB : 0) |
		      (in->g ? SVM_ATTR_G : 0);
}

void svm_dtable_get(const struct vmcb_seg *in, struct vcpu_dtable *out)
{
	out->base = in->base;
	out->limit = (uint16_t)in->limit;
	out->padding[0] = out->padding[1] = out->padding[2] = 0;
}

void svm_dtable_set(struct vmcb_seg *out, const struct vcpu_dtable *in)
{
	out->selector = 0;
	out->attrib = 0;
	out->base = in->base;
	out->limit = in->limit;
}
