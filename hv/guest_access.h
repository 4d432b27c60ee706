/*
 * Reaching guest memory the way the guest's own instruction would: linear
 * addresses through the guest page tables (mmu/gwalk.h), then guest RAM
 * (vm_read_gpa/vm_write_gpa). Used by exit handlers that emulate part of an
 * instruction (string I/O) or need its bytes (#UD hypercalls, lengths).
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include "hv/types.h"
#include "hv/vcpu_state.h"
#include "hv/vcpu_exit.h"

struct vcpu;

/* Current privilege level from the state: 0 in real mode, 3 in v8086 mode, else SS.DPL. */
unsigned int guest_cpl(const struct vcpu *v, const struct vcpu_sregs *s);
/* 64-bit code: EFER.LMA and CS.L. */
bool guest_code64(const struct vcpu_sregs *s);
/* Base of segment @seg (enum seg_reg) for data accesses: 0 for ES/CS/SS/DS in
 * 64-bit mode. */
uint64_t guest_seg_base(const struct vcpu_sregs *s, int seg);

/*
 * Translates linear address @gva for an access of kind @access (GWALK_*; the
 * user bit is added from the CPL). 0 with *gpa set; 1 when the guest takes a
 * #PF (already injected, CR2 set); -EFAULT when its page tables are not in RAM.
 */
int guest_translate(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		    unsigned int access, uint64_t *gpa);

/* Copy @len bytes between @buf and linear address @gva, across pages.
 * 0, 1 (#PF injected, nothing copied) or -EFAULT (not RAM). */
int guest_read_linear(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		      void *buf, size_t len);
int guest_write_linear(struct vcpu *v, const struct vcpu_sregs *s, uint64_t gva,
		       const void *buf, size_t len);

/* Reads up to @len bytes of the instruction at CS:RIP without faulting the
 * guest (a second page that is not mapped just shortens the result).
 * The number of bytes read, or -EFAULT when none could be. */
int guest_fetch_insn(struct vcpu *v, const struct vcpu_sregs *s, uint8_t *buf, size_t len);

/* Length of the instruction behind exit @e: e->insn_len when the hardware
 * gave one, else decoded at CS:RIP. 0 when it cannot be determined. */
unsigned int guest_insn_length(struct vcpu *v, const struct vcpu_exit *e);

#endif
