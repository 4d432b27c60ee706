/*
 * The vcpu ioctls other than KVM_RUN, executed in the core on the state of
 * a vcpu (TERN_SYS_VCPU_IOCTL). Semantics and errno follow api.txt and
 * Linux's x86 KVM; every argument pointer is a ring-3 address reached only
 * through hv/uaccess.h (a bad one is -EFAULT).
 */
#ifndef HV_KVM_VCPU_IOCTL_H
#define HV_KVM_VCPU_IOCTL_H

#include "hv/types.h"

struct vcpu;

/*
 * Runs ioctl @cmd (a KVM_* vcpu ioctl number) with argument @uarg on @v:
 * its result (>= 0) or a negative errno; -ENOTTY for a command that is not
 * a vcpu ioctl the core implements (KVM_RUN is TERN_SYS_VCPU_RUN's).
 * @pre: the caller holds @v for exclusive use: no KVM_RUN or other ioctl on
 * it is in progress (KVM serializes vcpu ioctls on the vcpu mutex; the
 * TERN_SYS_VCPU_IOCTL handler must do the same or return -EBUSY).
 */
int64_t kvm_vcpu_ioctl(struct vcpu *v, uint32_t cmd, uintptr_t uarg);

#endif
