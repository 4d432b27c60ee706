/*
 * Blocking. The pattern every sleeper follows, which cannot lose a wake-up:
 *
 *	struct wait_entry e;
 *	waitq_add(q, &e);			// once, possibly on several queues
 *	for (;;) {
 *		thread_prepare_block();
 *		if (condition) { r = 0; break; }
 *		r = thread_block(deadline_ns, true);
 *		if (r) break;			// -ETIMEDOUT or -EINTR
 *	}
 *	waitq_remove(&e);
 *
 * Wakers change the condition first, then call waitq_wake_all().
 */
#ifndef HV_WAITQ_H
#define HV_WAITQ_H

#include "hv/thread.h"

struct waitq {
	spinlock_t lock;
	struct list_node waiters;	/* of struct wait_entry */
};

struct wait_entry {
	struct list_node node;
	struct thread *thread;
	struct waitq *q;
};

#define WAITQ_INIT(name)	{ SPINLOCK_INIT, LIST_INIT((name).waiters) }
#define DEADLINE_NONE		UINT64_MAX

void waitq_init(struct waitq *q);
/* Queues the current thread on @q through @e (which lives on its stack). */
void waitq_add(struct waitq *q, struct wait_entry *e);
void waitq_remove(struct wait_entry *e);
/* Wakes every thread queued on @q. Callable from interrupt handlers. */
void waitq_wake_all(struct waitq *q);
/* Wakes at most one. Returns how many were woken (0 or 1). */
unsigned int waitq_wake_one(struct waitq *q);

/* Marks the current thread as about to block (clears wake_pending). */
void thread_prepare_block(void);
/*
 * Blocks the current thread until it is woken (thread_wake, waitq_wake_*),
 * the monotonic clock reaches @deadline_ns (DEADLINE_NONE: never), or, when
 * @interruptible, thread_interrupt()/thread_kill() hits it. Returns at once
 * if a wake-up came since thread_prepare_block(). Returns 0 (woken),
 * -ETIMEDOUT or -EINTR (consuming interrupt_pending; also for kill_pending).
 */
int thread_block(uint64_t deadline_ns, bool interruptible);
void thread_wake(struct thread *t);

/* @timeout_ns relative (TERN_WAIT_FOREVER = none) to an absolute deadline. */
uint64_t deadline_after(uint64_t timeout_ns);

#endif
