/* The root object: a static singleton whose own reference is never dropped. */
#include "hv/root_obj.h"
#include "hv/panic.h"

static void root_release(struct kobj *o)
{
	(void)o;
	/* The static reference below is never put, so reaching zero means some
	 * caller put more than it got: a core bug. */
	panic("root object released: reference count underflow");
}

static const struct kobj_ops root_ops = {
	.type = TERN_KOBJ_ROOT,
	.release = root_release,
};

/* One reference belongs to the object itself, so it is never released. */
static struct kobj root_obj = { .ops = &root_ops, .refs = 1 };

struct kobj *root_obj_get(void)
{
	kobj_get(&root_obj);
	return &root_obj;
}
