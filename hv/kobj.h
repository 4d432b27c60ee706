/*
 * Kernel objects: everything a capability can name (processes, notifications,
 * shared memory, the console, the root object, later VMs and vcpus). Each is
 * reference-counted; the last kobj_put() calls the type's release op.
 */
#ifndef HV_KOBJ_H
#define HV_KOBJ_H

#include "hv/types.h"
#include "abi/include/tern/syscall.h"

struct kobj;
struct waitq;

struct kobj_ops {
	enum tern_kobj_type type;
	/* Frees the object: no reference is left. */
	void (*release)(struct kobj *o);
	/* For TERN_SYS_WAIT_ANY (NULL: cannot be waited on): the TERN_WAIT_* bits
	 * ready now, and the queue that is woken whenever they may change. */
	unsigned int (*poll)(struct kobj *o);
	struct waitq *(*waitq)(struct kobj *o);
};

struct kobj {
	const struct kobj_ops *ops;
	uint32_t refs;		/* atomic */
};

/* Starts @o with one reference (the caller's). */
void kobj_init(struct kobj *o, const struct kobj_ops *ops);
void kobj_get(struct kobj *o);
/* Drops a reference; releases the object when it was the last one. */
void kobj_put(struct kobj *o);

static inline enum tern_kobj_type kobj_type(const struct kobj *o)
{
	return o->ops->type;
}

#endif
