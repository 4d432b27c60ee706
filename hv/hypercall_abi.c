/* Which hypercalls exist and what they return (pure; see hv/hypercall.h). */
#include "hv/hypercall.h"

int64_t hypercall_result(unsigned int cpl, uint64_t nr, const uint64_t args[4])
{
	(void)args;
	/* Only the guest kernel may call the hypervisor. */
	if (cpl != 0)
		return -KVM_EPERM;
	switch (nr) {
	case KVM_HC_VAPIC_POLL_IRQ:
		/* Its point is the exit itself: pending interrupts are looked
		 * at before the next entry anyway. */
		return 0;
	default:
		return -KVM_ENOSYS;
	}
}
