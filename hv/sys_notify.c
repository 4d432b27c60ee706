/* TERN_SYS_NOTIFY_*: eventfd-like notification objects from ring 3. */
#include "hv/sys_objects.h"
#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/notify.h"
#include "hv/uaccess.h"

#define NOTIFY_NEW_RIGHTS	(TERN_RIGHT_SIGNAL | TERN_RIGHT_WAIT | TERN_RIGHT_DUP)

int64_t sys_notify_create(const struct syscall_args *args)
{
	uint64_t initial = args->a[0];
	uint32_t flags = arg_u32(args->a[1]);

	if (flags & ~TERN_NOTIFY_SEMAPHORE)
		return -EINVAL;
	if (initial > TERN_NOTIFY_MAX)
		return -EINVAL;

	struct notify *nf = notify_create(initial, flags);

	if (!nf)
		return -ENOMEM;
	/* The handle takes its own reference; ours goes either way, so a full
	 * table frees the object at once. */
	int h = cap_insert(current_caps(), &nf->obj, NOTIFY_NEW_RIGHTS);

	kobj_put(&nf->obj);
	return h;
}

int64_t sys_notify_signal(const struct syscall_args *args)
{
	int err;
	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_NOTIFY,
				 TERN_RIGHT_SIGNAL, &err, NULL);

	if (!o)
		return err;
	err = notify_signal(container_of(o, struct notify, obj), args->a[1]);
	kobj_put(o);
	return err;
}

int64_t sys_notify_wait(const struct syscall_args *args)
{
	uintptr_t uvalue = args->a[1];
	uint64_t value = 0;
	int err;

	/* Prove the result can be stored before taking the counter: a bad
	 * pointer must not swallow signals. */
	if (copy_to_user(uvalue, &value, sizeof(value)))
		return -EFAULT;

	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_NOTIFY,
				 TERN_RIGHT_WAIT, &err, NULL);

	if (!o)
		return err;

	struct notify *nf = container_of(o, struct notify, obj);

	err = notify_wait(nf, &value, args->a[2]);
	if (err == 0 && copy_to_user(uvalue, &value, sizeof(value))) {
		/* Unmapped while we waited: give the value back (best effort;
		 * only a counter refilled to the limit meanwhile refuses it). */
		notify_signal(nf, value);
		err = -EFAULT;
	}
	kobj_put(o);
	return err;
}
