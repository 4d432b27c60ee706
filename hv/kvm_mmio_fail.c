/* KVM_INTERNAL_ERROR_EMULATION exits (see hv/kvm_mmio.h). */
#include "hv/kvm_mmio.h"
#include "hv/string.h"
#include "abi/include/linux/kvm.h"

/* Exit information words after the flags (Linux: get_exit_info's five). */
#define EXIT_INFO_WORDS		5

void kvm_mmio_emulation_failure(struct kvm_vcpu *kv, const struct vcpu_exit *e,
				const uint8_t *bytes, unsigned int n)
{
	struct kvm_run *run = kv->run;
	unsigned int info = 1;		/* data[0] is always the flags */

	memset(&run->internal, 0, sizeof(run->internal));
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->emulation_failure.suberror = KVM_INTERNAL_ERROR_EMULATION;
	if (n) {
		n = MIN(n, (unsigned int)sizeof(run->emulation_failure.insn_bytes));
		run->emulation_failure.flags = KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES;
		run->emulation_failure.insn_size = n;
		/* Linux pads the unused bytes with NOPs. */
		memset(run->emulation_failure.insn_bytes, 0x90,
		       sizeof(run->emulation_failure.insn_bytes));
		memcpy(run->emulation_failure.insn_bytes, bytes, n);
		info += 2;
	}
	run->internal.data[info] = e->hw_reason;
	run->internal.data[info + 1] = e->hw_qual;
	run->internal.data[info + 2] = e->mmio.gpa;
	run->internal.ndata = info + EXIT_INFO_WORDS;
}
