/*
 * INT3 as an INTn intercept. AMD intercepts INT3 through the #BP exception
 * bit, but QEMU's SVM checks only the INTn intercept for INT3, INTO and INT n
 * (they raise no exception of their own there), so a debugger's #BP would
 * never be seen. While #BP is intercepted, svm.c intercepts INTn as well and
 * this sorts the instructions out again.
 */
#include "arch/x86/svm/svm.h"
#include "arch/x86/virt.h"
#include "hv/guest_access.h"
#include "hv/log.h"

#define X86_EFLAGS_OF	(1UL << 11)

static void deliver_soft(struct vcpu *v, uint8_t type, uint8_t vector, uint8_t len)
{
	struct vcpu_event ev = { .valid = true, .type = type, .vector = vector, .insn_len = len };

	if (virt->inject_event(v, &ev))
		pr_warn("vcpu%u: INT %#x lost: another event is queued\n", v->id, vector);
}

bool svm_swint_exit(struct vcpu *v, struct vcpu_exit *exit)
{
	struct vcpu_sregs s;
	uint8_t b[2];
	int n;

	virt->get_sregs(v, &s);
	n = guest_fetch_insn(v, &s, b, sizeof(b));
	if (n >= 1 && b[0] == 0xcc) {
		/* What the #BP exception intercept reports: RIP on the INT3. */
		exit->reason = EXIT_EXCEPTION;
		exit->exception.vector = X86_BP;
		exit->exception.has_error_code = false;
		exit->exception.error_code = 0;
		exit->exception.cr2 = 0;
		exit->exception.dr6 = 0;
		return true;
	}
	if (n >= 2 && b[0] == 0xcd) {
		deliver_soft(v, EVENT_SOFT_INT, b[1], 2);
		return false;
	}
	if (n >= 1 && b[0] == 0xce) {
		if (v->regs.rflags & X86_EFLAGS_OF)
			deliver_soft(v, EVENT_SOFT_EXCEPTION, X86_OF, 1);
		else
			virt->skip_instruction(v, 1);
		return false;
	}
	/* A prefixed or unreadable INT: the generic code reports it. */
	exit->reason = EXIT_UNHANDLED;
	return true;
}
