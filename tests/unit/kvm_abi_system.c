/*
 * The layout table of the host's <linux/kvm.h> (Debian's linux-libc-dev),
 * the reference tern's header must match, for test_kvm_abi.c.
 */
#include <linux/kvm.h>

#ifdef TERN_UAPI_LINUX_KVM_H
#error "tern's own KVM header was included into the system side of the KVM ABI test"
#endif

/*
 * Linux spells KVM_COALESCED_MMIO_MAX in terms of the kernel's PAGE_SIZE,
 * which user space does not get from the UAPI headers; x86-64 pages are 4 KiB.
 */
#ifndef PAGE_SIZE
#define PAGE_SIZE 4096
#endif

#define KVM_ABI_TABLE_FN kvm_abi_system_table
#include "kvm_abi_gen.h"
