/*
 * The layout table of tern's own KVM UAPI header (abi/include/), for
 * test_kvm_abi.c. This file must not see any system header: the header set
 * is meant to work freestanding, and the host's <linux/kvm.h> uses the same
 * struct names. Its companions are included by relative path, so -I. alone
 * finds the whole set.
 */
#include "abi/include/linux/kvm.h"

/* Fail loudly if any host UAPI header slipped in through the include path. */
#if defined(__LINUX_KVM_H) || defined(_ASM_X86_KVM_H) || defined(_LINUX_TYPES_H) || \
	defined(_UAPI_LINUX_TYPES_H) || defined(_ASM_GENERIC_IOCTL_H) || defined(_LINUX_IOCTL_H)
#error "a host UAPI header was included into the project side of the KVM ABI test"
#endif

#define KVM_ABI_TABLE_FN kvm_abi_project_table
#include "kvm_abi_gen.h"
