/*
 * TERN_SYS_HANDLE_GRANT: puts a copy of one of the caller's handles into
 * another process's table (the service domain gives a device model its vcpu
 * handles this way). Like HANDLE_DUP the copy can only narrow the rights.
 */
#include "hv/sys_objects.h"
#include "hv/cap.h"
#include "hv/errno.h"

int64_t sys_handle_grant(const struct syscall_args *args)
{
	struct cap_table *mine = current_caps();
	uint32_t rights;
	uint64_t flags;
	int err, h;
	struct kobj *po = cap_get(mine, arg_int(args->a[0]), TERN_KOBJ_PROCESS, TERN_RIGHT_GRANT,
				  &err, NULL);
	struct kobj *o;
	struct process *p;

	if (!po)
		return err;
	o = cap_get(mine, arg_int(args->a[1]), TERN_KOBJ_NONE, TERN_RIGHT_DUP, &err, &rights);
	if (!o) {
		kobj_put(po);
		return err;
	}
	p = container_of(po, struct process, obj);
	/* Under the process lock: teardown clears p->caps under it too, so the
	 * table cannot go away while the handle goes in. */
	flags = spin_lock_irqsave(&p->lock);
	h = p->caps ? cap_insert(p->caps, o, rights & arg_u32(args->a[2])) : -ESRCH;
	spin_unlock_irqrestore(&p->lock, flags);
	kobj_put(o);
	kobj_put(po);
	return h;
}
