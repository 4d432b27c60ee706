/*
 * The KVM ring carries Linux errno values (tern/kvm_ring.h). The server
 * writes its own answers with this C library's E* names, which is right only
 * while they equal Linux's numbers: newlib and Linux agree up to ERANGE (34),
 * and the asserts catch any name used here that would not. Results the core
 * returns (raw tern_syscall values) are Linux values already and pass through
 * untouched.
 */
#ifndef SD_KVM_ERRNO_H
#define SD_KVM_ERRNO_H

#include <errno.h>

_Static_assert(ENOENT == 2 && E2BIG == 7 && EBADF == 9 && ENOMEM == 12 && EFAULT == 14 &&
	       EEXIST == 17 && ENODEV == 19 && EINVAL == 22 && EMFILE == 24 && ENOTTY == 25,
	       "the errno names the KVM server answers with have Linux's values");

#endif
