/*
 * Access to ring-3 memory from syscalls. Every pointer from ring 3 goes
 * through these: the range must lie in the user half, and a fault on an
 * unmapped or protected page is caught (exception-table fixup in the #PF
 * handler) and turned into -EFAULT. With SMAP the copy opens the window with
 * stac/clac; nothing else in the core touches user memory.
 */
#ifndef HV_UACCESS_H
#define HV_UACCESS_H

#include "hv/types.h"

struct trap_frame;

bool user_range_ok(uintptr_t addr, size_t len);
/* 0 or -EFAULT. */
int copy_from_user(void *dst, uintptr_t src, size_t len);
int copy_to_user(uintptr_t dst, const void *src, size_t len);
/* Copies a NUL-terminated string of at most @max - 1 chars: its length, -EFAULT,
 * or -ENAMETOOLONG. */
int64_t strncpy_from_user(char *dst, uintptr_t src, size_t max);
/* Atomic 32-bit read (for futexes): 0 or -EFAULT. */
int get_user_u32(uint32_t *val, uintptr_t addr);
int put_user_u32(uintptr_t addr, uint32_t val);

/* Called by the #PF handler for faults in ring 0: true when @tf's RIP is a
 * user-access instruction, after pointing RIP at its fixup. */
bool uaccess_fixup(struct trap_frame *tf);

#endif
