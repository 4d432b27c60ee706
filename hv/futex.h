/*
 * Futexes: threads of one process waiting on a 32-bit word of its memory,
 * keyed by (process, user address). TERN_SYS_FUTEX_WAIT/WAKE and thread exit
 * (clear_tid) use them.
 */
#ifndef HV_FUTEX_H
#define HV_FUTEX_H

#include "hv/types.h"

struct process;

/* Blocks while *@uaddr == @expected: 0 (woken), -EAGAIN (value differs),
 * -ETIMEDOUT, -EINTR, -EFAULT or -EINVAL (misaligned). */
int futex_wait(struct process *p, uintptr_t uaddr, uint32_t expected, uint64_t timeout_ns);
/* Wakes at most @count waiters on @uaddr; returns how many, or -EFAULT/-EINVAL. */
int futex_wake(struct process *p, uintptr_t uaddr, uint32_t count);

#endif
