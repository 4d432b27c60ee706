/*
 * <linux/ioctl.h> of tern's UAPI header set: the request number encoding.
 * x86-64 uses the generic layout, which lives in <asm/ioctl.h>.
 */
#ifndef TERN_UAPI_LINUX_IOCTL_H
#define TERN_UAPI_LINUX_IOCTL_H

/*
 * Companions are included by path relative to this file, never through the
 * include search path, so that a program (or the core) that also sees the
 * host's /usr/include can never mix the two header sets.
 */
#include "../asm/ioctl.h"

#endif /* TERN_UAPI_LINUX_IOCTL_H */
