/*
 * Wait queues and blocking (the pattern is in hv/waitq.h). A wake-up sets
 * t->wake_pending before looking at the thread's state, and the sleeper
 * checks wake_pending under its run-queue lock before it blocks, so a
 * wake-up between the sleeper's condition check and its block is never lost.
 */
#include "hv/waitq.h"
#include "hv/sched_priv.h"
#include "hv/clock.h"
#include "hv/errno.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "abi/include/tern/syscall.h"
#include "arch/x86/cpu.h"

#define RFLAGS_IF	(1UL << 9)

void waitq_init(struct waitq *q)
{
	q->lock = (spinlock_t)SPINLOCK_INIT;
	list_init(&q->waiters);
}

void waitq_add(struct waitq *q, struct wait_entry *e)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);

	e->thread = current_thread();
	e->q = q;
	list_add_tail(&q->waiters, &e->node);
	spin_unlock_irqrestore(&q->lock, flags);
}

void waitq_remove(struct wait_entry *e)
{
	/* Taking the lock also waits for a waker still using e->thread. */
	uint64_t flags = spin_lock_irqsave(&e->q->lock);

	list_del(&e->node);
	spin_unlock_irqrestore(&e->q->lock, flags);
}

void waitq_wake_all(struct waitq *q)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);
	struct list_node *pos;

	list_for_each(pos, &q->waiters)
		thread_wake(list_entry(pos, struct wait_entry, node)->thread);
	spin_unlock_irqrestore(&q->lock, flags);
}

unsigned int waitq_wake_one(struct waitq *q)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);
	struct list_node *pos;
	unsigned int n = 0;

	/*
	 * The first waiter not already woken: entries stay queued until their
	 * thread removes them, so without the check a second wake_one could land
	 * on the same thread and the next waiter would never hear of it.
	 */
	list_for_each(pos, &q->waiters) {
		struct thread *t = list_entry(pos, struct wait_entry, node)->thread;

		if (!__atomic_load_n(&t->wake_pending, __ATOMIC_ACQUIRE)) {
			thread_wake(t);
			n = 1;
			break;
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

void thread_prepare_block(void)
{
	struct thread *t = current_thread();

	__atomic_store_n(&t->wake_pending, false, __ATOMIC_RELAXED);
	/* The caller's condition check must not be done before the clear is visible. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void thread_wake(struct thread *t)
{
	__atomic_store_n(&t->wake_pending, true, __ATOMIC_SEQ_CST);
	sched_unblock(t);
}

/* Why a block ends now, or 1 when it must (go on) waiting. @pre rq locked. */
static int block_result(struct thread *t, uint64_t deadline_ns, bool interruptible)
{
	if (__atomic_load_n(&t->wake_pending, __ATOMIC_ACQUIRE))
		return 0;
	if (interruptible && t->kill_pending)
		return -EINTR;
	if (interruptible && __atomic_exchange_n(&t->interrupt_pending, false, __ATOMIC_ACQ_REL))
		return -EINTR;
	if (deadline_ns != DEADLINE_NONE && clock_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return 1;
}

int thread_block(uint64_t deadline_ns, bool interruptible)
{
	struct thread *t = current_thread();
	uint64_t flags = read_rflags();
	struct percpu *pc;
	int r;

	irq_disable();
	pc = this_cpu();
	ASSERT(pc->sched_running && t != pc->idle);
	for (;;) {
		struct runqueue *rq = pc->rq;

		spin_lock(&rq->lock);
		r = block_result(t, deadline_ns, interruptible);
		if (r <= 0) {
			spin_unlock(&rq->lock);
			break;
		}
		t->state = THREAD_BLOCKED;
		t->deadline_ns = deadline_ns;
		if (deadline_ns != DEADLINE_NONE)
			runqueue_add_sleeper(rq, t);
		sched_switch_locked(rq);
		/* Woken, timed out, or interrupted: block_result() tells which. */
		pc = this_cpu();
	}
	if (flags & RFLAGS_IF)
		irq_enable();
	return r;
}

uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t now = clock_ns();

	if (timeout_ns == TERN_WAIT_FOREVER || timeout_ns >= DEADLINE_NONE - now)
		return DEADLINE_NONE;
	return now + timeout_ns;
}
