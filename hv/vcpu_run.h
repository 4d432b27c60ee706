/* Helpers the in-core exit handlers share (hv/vcpu_run.c, hv/pio.c). */
#ifndef HV_VCPU_RUN_H
#define HV_VCPU_RUN_H

#include "hv/vcpu.h"

/* Advances RIP past the instruction behind @e (clearing the interrupt
 * shadow). false, logged, when its length cannot be determined. */
bool vcpu_skip_insn(struct vcpu *v, const struct vcpu_exit *e);

/*
 * The core could not complete the exit (instruction bytes unreadable, guest
 * tables outside RAM, ...): logs @why with the guest RIP and mode, turns @e
 * into EXIT_UNHANDLED and hands it to @owner. Returns the owner's answer.
 */
bool vcpu_exit_failed(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx,
		      const char *why);

#endif
