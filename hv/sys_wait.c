/*
 * TERN_SYS_WAIT_ANY: poll(2) over handles. The caller is queued on every
 * object's wait queue at once and rescans all of them after each wake-up;
 * object ops say what is ready (kobj_ops.poll) and where to wait (.waitq).
 */
#include "hv/sys_objects.h"
#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/heap.h"
#include "hv/uaccess.h"
#include "hv/waitq.h"

struct wait_set {
	struct tern_wait_item items[TERN_WAIT_MAX_ITEMS];
	/* NULL: a negative handle (ignored) or one that cannot be waited on (ERROR). */
	struct kobj *objs[TERN_WAIT_MAX_ITEMS];
	struct wait_entry entries[TERN_WAIT_MAX_ITEMS];
};

/* Waiting observes an object, so it needs the right that matches what is observed. */
static uint32_t wait_right(enum tern_kobj_type type)
{
	return type == TERN_KOBJ_CONSOLE ? TERN_RIGHT_READ : TERN_RIGHT_WAIT;
}

static struct kobj *wait_lookup(struct cap_table *t, int32_t handle)
{
	uint32_t rights;
	int err;

	if (handle < 0)
		return NULL;

	struct kobj *o = cap_get(t, handle, TERN_KOBJ_NONE, 0, &err, &rights);

	if (!o)
		return NULL;
	uint32_t need = wait_right(kobj_type(o));

	if (!o->ops->poll || !o->ops->waitq || (rights & need) != need) {
		kobj_put(o);
		return NULL;
	}
	return o;
}

/* Fills every revents; returns how many items are ready. */
static unsigned int wait_scan(struct wait_set *s, uint32_t n)
{
	unsigned int ready = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct tern_wait_item *it = &s->items[i];
		struct kobj *o = s->objs[i];

		if (o)
			it->revents = o->ops->poll(o) & it->events &
				      (TERN_WAIT_READ | TERN_WAIT_WRITE);
		else
			it->revents = it->handle < 0 ? 0 : TERN_WAIT_ERROR;
		if (it->revents)
			ready++;
	}
	return ready;
}

/* Scans until something is ready, the deadline passes or the thread is
 * interrupted: items ready, 0 on timeout, or -EINTR. */
static int64_t wait_loop(struct wait_set *s, uint32_t n, uint64_t timeout_ns)
{
	if (timeout_ns == 0)
		return wait_scan(s, n);

	uint64_t deadline = deadline_after(timeout_ns);
	int64_t r;

	for (uint32_t i = 0; i < n; i++) {
		if (s->objs[i])
			waitq_add(s->objs[i]->ops->waitq(s->objs[i]), &s->entries[i]);
	}
	for (;;) {
		thread_prepare_block();
		r = wait_scan(s, n);
		if (r)
			break;
		r = thread_block(deadline, true);
		if (r == -ETIMEDOUT) {
			r = 0;		/* the last scan left every revents 0 */
			break;
		}
		if (r)
			break;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (s->objs[i])
			waitq_remove(&s->entries[i]);
	}
	return r;
}

/* Writes only the revents fields back, as poll(2) does. */
static int copy_revents(uintptr_t uitems, const struct wait_set *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uintptr_t dst = uitems + i * sizeof(struct tern_wait_item) +
				offsetof(struct tern_wait_item, revents);

		if (copy_to_user(dst, &s->items[i].revents, sizeof(s->items[i].revents)))
			return -EFAULT;
	}
	return 0;
}

int64_t sys_wait_any(const struct syscall_args *args)
{
	uintptr_t uitems = args->a[0];
	uint32_t n = arg_u32(args->a[1]);
	uint64_t timeout_ns = args->a[2];
	int64_t r;

	if (n > TERN_WAIT_MAX_ITEMS)
		return -EINVAL;

	/* Off the kernel stack: the set is a few KiB. */
	struct wait_set *s = kmalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (n && copy_from_user(s->items, uitems, n * sizeof(s->items[0]))) {
		kfree(s);
		return -EFAULT;
	}

	struct cap_table *t = current_caps();

	for (uint32_t i = 0; i < n; i++)
		s->objs[i] = wait_lookup(t, s->items[i].handle);

	r = wait_loop(s, n, timeout_ns);

	for (uint32_t i = 0; i < n; i++) {
		if (s->objs[i])
			kobj_put(s->objs[i]);
	}
	if (r >= 0 && copy_revents(uitems, s, n))
		r = -EFAULT;
	kfree(s);
	return r;
}
