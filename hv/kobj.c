/*
 * Reference counting of kernel objects. Handles, mappings and syscalls in
 * flight each hold a reference, possibly on different CPUs at once, so the
 * count is atomic and the release op runs exactly once, on whichever CPU drops
 * the last one.
 */
#include "hv/kobj.h"
#include "hv/panic.h"

void kobj_init(struct kobj *o, const struct kobj_ops *ops)
{
	o->ops = ops;
	__atomic_store_n(&o->refs, 1, __ATOMIC_RELAXED);
}

void kobj_get(struct kobj *o)
{
	uint32_t old = __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);

	/* 0: resurrecting a released object; UINT32_MAX: the count wrapped.
	 * Either is a core bug that would end in a use-after-free. */
	ASSERT(old != 0 && old != UINT32_MAX);
}

void kobj_put(struct kobj *o)
{
	/* Release ordering: every write made through this reference happens
	 * before the release op frees the object; acquire on the last put. */
	uint32_t old = __atomic_fetch_sub(&o->refs, 1, __ATOMIC_ACQ_REL);

	ASSERT(old != 0);
	if (old == 1)
		o->ops->release(o);
}
