/*
 * Notification objects. The counter rules are in notify_counter.c; this file
 * adds the lock (irqsave: the core signals from interrupt handlers) and the
 * waiting. Waiters for READ and WRITE share one queue: wake-ups are rare
 * enough that telling them apart is not worth a second queue.
 */
#include "hv/notify.h"
#include "hv/notify_counter.h"
#include "hv/errno.h"
#include "hv/heap.h"

static void notify_release(struct kobj *o)
{
	kfree(container_of(o, struct notify, obj));
}

static unsigned int notify_poll(struct kobj *o)
{
	struct notify *nf = container_of(o, struct notify, obj);
	uint64_t flags = spin_lock_irqsave(&nf->lock);
	unsigned int bits = notify_poll_bits(nf->count);

	spin_unlock_irqrestore(&nf->lock, flags);
	return bits;
}

static struct waitq *notify_waitq(struct kobj *o)
{
	return &container_of(o, struct notify, obj)->wq;
}

static const struct kobj_ops notify_ops = {
	.type = TERN_KOBJ_NOTIFY,
	.release = notify_release,
	.poll = notify_poll,
	.waitq = notify_waitq,
};

struct notify *notify_create(uint64_t initial, uint32_t flags)
{
	struct notify *nf = kzalloc(sizeof(*nf));

	if (!nf)
		return NULL;
	kobj_init(&nf->obj, &notify_ops);
	nf->lock = (spinlock_t)SPINLOCK_INIT;
	nf->count = initial;
	nf->flags = flags;
	waitq_init(&nf->wq);
	return nf;
}

int notify_signal(struct notify *nf, uint64_t n)
{
	uint64_t flags = spin_lock_irqsave(&nf->lock);
	int r = notify_try_add(&nf->count, n);

	spin_unlock_irqrestore(&nf->lock, flags);
	if (r == 0 && n > 0)
		waitq_wake_all(&nf->wq);
	return r;
}

/* One attempt; wakes writers when the counter leaves TERN_NOTIFY_MAX (the
 * only change that makes WRITE ready again). */
static bool notify_take(struct notify *nf, uint64_t *value)
{
	uint64_t flags = spin_lock_irqsave(&nf->lock);
	bool was_full = nf->count == TERN_NOTIFY_MAX;
	bool taken = notify_try_take(&nf->count, nf->flags, value);

	spin_unlock_irqrestore(&nf->lock, flags);
	if (taken && was_full)
		waitq_wake_all(&nf->wq);
	return taken;
}

int notify_wait(struct notify *nf, uint64_t *value, uint64_t timeout_ns)
{
	if (notify_take(nf, value))
		return 0;
	if (timeout_ns == 0)
		return -EAGAIN;

	uint64_t deadline = deadline_after(timeout_ns);
	struct wait_entry e;
	int r;

	waitq_add(&nf->wq, &e);
	for (;;) {
		thread_prepare_block();
		if (notify_take(nf, value)) {
			r = 0;
			break;
		}
		r = thread_block(deadline, true);
		if (r)
			break;
	}
	waitq_remove(&e);
	return r;
}
