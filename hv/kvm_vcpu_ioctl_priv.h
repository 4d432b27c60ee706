/* Shared by the hv/kvm_vcpu_ioctl*.c files: one handler per vcpu ioctl. */
#ifndef HV_KVM_VCPU_IOCTL_PRIV_H
#define HV_KVM_VCPU_IOCTL_PRIV_H

#include "hv/types.h"
#include "abi/include/linux/kvm.h"
#include "hv/kvm_vcpu_args.h"

struct vcpu;

typedef int64_t (*kvm_vcpu_ioctl_fn)(struct vcpu *v, uintptr_t uarg);

/* kvm_vcpu_ioctl_regs.c */
int64_t kvm_vcpu_get_regs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_regs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_sregs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_sregs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_debugregs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_debugregs(struct vcpu *v, uintptr_t uarg);

/* The same state on kernel copies (sync regs in kvm_run, hv/kvm_sync_regs.c).
 * The writers return 0 or -EINVAL and change nothing on error. */
void kvm_vcpu_regs_read(struct vcpu *v, struct kvm_regs *r);
void kvm_vcpu_regs_write(struct vcpu *v, const struct kvm_regs *r);
void kvm_vcpu_sregs_read(struct vcpu *v, struct kvm_sregs *s);
int kvm_vcpu_sregs_write(struct vcpu *v, const struct kvm_sregs *s);
void kvm_vcpu_events_read(struct vcpu *v, struct kvm_vcpu_events *ev);
int kvm_vcpu_events_write(struct vcpu *v, const struct kvm_vcpu_events *ev);

/* kvm_vcpu_ioctl_fpu.c */
int64_t kvm_vcpu_get_fpu(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_fpu(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_xsave(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_xsave(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_xcrs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_xcrs(struct vcpu *v, uintptr_t uarg);

/* kvm_vcpu_ioctl_msr.c */
/* A struct kvm_msrs in user memory at @uarg: @fn on each entry until one
 * fails, entries copied back if @copy_back; the count done or -errno. */
int64_t kvm_msrs_user_io(uintptr_t uarg, kvm_msr_fn fn, void *ctx, bool copy_back);
int64_t kvm_vcpu_get_msrs(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_msrs(struct vcpu *v, uintptr_t uarg);

/* kvm_vcpu_ioctl_cpuid.c */
int64_t kvm_vcpu_set_cpuid2(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_cpuid2(struct vcpu *v, uintptr_t uarg);

/* kvm_vcpu_ioctl_events.c */
int64_t kvm_vcpu_interrupt(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_nmi(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_mp_state(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_mp_state(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_get_events(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_events(struct vcpu *v, uintptr_t uarg);
/* The external interrupt waiting to go in (injected by the backend or
 * queued), not a soft one: its vector, or -1 (kvm_sregs.interrupt_bitmap). */
int kvm_vcpu_pending_irq(struct vcpu *v);
/* Makes @vector the only pending external interrupt (-1: none). */
void kvm_vcpu_replace_pending_irq(struct vcpu *v, int vector);

/* kvm_vcpu_ioctl_misc.c */
int64_t kvm_vcpu_translate(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_signal_mask(struct vcpu *v, uintptr_t uarg);
int64_t kvm_vcpu_set_guest_debug(struct vcpu *v, uintptr_t uarg);

#endif
