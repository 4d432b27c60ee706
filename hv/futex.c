/*
 * Futexes, in a global hash of (process, user address). A waiter queues an
 * entry on its own stack after reading the word under the bucket lock; a
 * waker takes entries off under the same lock, so a wake that follows a
 * change of the word cannot miss a waiter that saw the old value.
 */
#include "hv/futex.h"
#include "hv/sys_handlers.h"
#include "hv/errno.h"
#include "hv/list.h"
#include "hv/process.h"
#include "hv/spinlock.h"
#include "hv/thread.h"
#include "hv/uaccess.h"
#include "hv/waitq.h"

#define FUTEX_BUCKETS	64

struct futex_waiter {
	struct list_node node;
	struct process *proc;
	uintptr_t uaddr;
	struct thread *thread;
	volatile bool woken;
};

struct futex_bucket {
	spinlock_t lock;
	struct list_node waiters;
};

static struct futex_bucket buckets[FUTEX_BUCKETS];
static bool buckets_ready;
static spinlock_t init_lock = SPINLOCK_INIT;

static struct futex_bucket *bucket_of(struct process *p, uintptr_t uaddr)
{
	uint64_t h = ((uintptr_t)p >> 4) ^ (uaddr >> 2);

	if (!__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE)) {
		spin_lock(&init_lock);
		if (!buckets_ready) {
			for (unsigned int i = 0; i < FUTEX_BUCKETS; i++) {
				buckets[i].lock = (spinlock_t)SPINLOCK_INIT;
				list_init(&buckets[i].waiters);
			}
			__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
		}
		spin_unlock(&init_lock);
	}
	h *= 0x9E3779B97F4A7C15ULL;	/* spread neighbouring words over the buckets */
	return &buckets[h >> 58];
}

static int check_uaddr(uintptr_t uaddr)
{
	if (!IS_ALIGNED(uaddr, sizeof(uint32_t)))
		return -EINVAL;
	if (!user_range_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	return 0;
}

int futex_wait(struct process *p, uintptr_t uaddr, uint32_t expected, uint64_t timeout_ns)
{
	struct futex_waiter w = { .proc = p, .uaddr = uaddr, .thread = current_thread() };
	uint64_t deadline = deadline_after(timeout_ns), flags;
	struct futex_bucket *b;
	uint32_t val;
	int r = check_uaddr(uaddr);

	if (r)
		return r;
	b = bucket_of(p, uaddr);
	flags = spin_lock_irqsave(&b->lock);
	r = get_user_u32(&val, uaddr);
	if (!r && val != expected)
		r = -EAGAIN;
	if (r) {
		spin_unlock_irqrestore(&b->lock, flags);
		return r;
	}
	list_add_tail(&b->waiters, &w.node);
	spin_unlock_irqrestore(&b->lock, flags);

	for (;;) {
		thread_prepare_block();
		if (w.woken) {
			r = 0;
			break;
		}
		r = thread_block(deadline, true);
		if (r)
			break;
	}

	/* The lock also waits out a waker still touching w. */
	flags = spin_lock_irqsave(&b->lock);
	if (w.woken) {
		/* Woken and timed out/interrupted at once: report the wake (it is
		 * gone from the queue), keep the interrupt for the next call. */
		if (r == -EINTR)
			__atomic_store_n(&w.thread->interrupt_pending, true, __ATOMIC_RELEASE);
		r = 0;
	} else {
		list_del(&w.node);
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return r;
}

int futex_wake(struct process *p, uintptr_t uaddr, uint32_t count)
{
	struct list_node *pos, *tmp;
	struct futex_bucket *b;
	uint64_t flags;
	int r = check_uaddr(uaddr), n = 0;

	if (r)
		return r;
	b = bucket_of(p, uaddr);
	flags = spin_lock_irqsave(&b->lock);
	list_for_each_safe(pos, tmp, &b->waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, node);

		if ((uint32_t)n >= count || n == INT32_MAX)
			break;
		if (w->proc != p || w->uaddr != uaddr)
			continue;
		list_del(&w->node);
		__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
		thread_wake(w->thread);
		n++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return n;
}

int64_t sys_futex_wait(const struct syscall_args *a)
{
	struct process *p = current_process();

	if (!p)
		return -EPERM;
	return futex_wait(p, a->a[0], (uint32_t)a->a[1], a->a[2]);
}

int64_t sys_futex_wake(const struct syscall_args *a)
{
	struct process *p = current_process();

	if (!p)
		return -EPERM;
	return futex_wake(p, a->a[0], (uint32_t)a->a[1]);
}
