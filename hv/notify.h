/*
 * Notification objects: eventfd semantics. A 64-bit counter; signal adds to
 * it (never past TERN_NOTIFY_MAX), wait takes it (all of it, or 1 in
 * semaphore mode) once it is non-zero. Waitable in TERN_SYS_WAIT_ANY.
 * The core signals them too (later: irqfd, ioeventfd, ring doorbells).
 */
#ifndef HV_NOTIFY_H
#define HV_NOTIFY_H

#include "hv/kobj.h"
#include "hv/waitq.h"

struct notify {
	struct kobj obj;
	spinlock_t lock;
	uint64_t count;
	uint32_t flags;		/* TERN_NOTIFY_* */
	struct waitq wq;
};

/* A notification with one reference; NULL when out of memory.
 * @pre @initial <= TERN_NOTIFY_MAX, @flags only TERN_NOTIFY_* (the syscall checks). */
struct notify *notify_create(uint64_t initial, uint32_t flags);
/* Adds @n: 0 or -EAGAIN (would pass TERN_NOTIFY_MAX), -EINVAL for an @n
 * past TERN_NOTIFY_MAX that could never be added. Callable from interrupts. */
int notify_signal(struct notify *nf, uint64_t n);
/* 0 with *@value, -EAGAIN (@timeout_ns 0 and counter 0), -ETIMEDOUT, -EINTR. */
int notify_wait(struct notify *nf, uint64_t *value, uint64_t timeout_ns);

#endif
