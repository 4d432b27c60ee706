/*
 * Per-process capability tables. The table lock only guards the slots: the
 * references are taken under it (so a concurrent close cannot free an object
 * between lookup and kobj_get) but always dropped after it, because a release
 * op may take other locks or free a whole process, including other tables.
 */
#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/heap.h"

struct cap_table *cap_table_create(void)
{
	struct cap_table *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->lock = (spinlock_t)SPINLOCK_INIT;
	return t;
}

static bool handle_in_range(int handle)
{
	return handle >= 0 && handle < TERN_MAX_HANDLES;
}

/* Empties @handle's slot; returns the object whose reference the caller now owns. */
static struct kobj *slot_take(struct cap_table *t, int handle)
{
	uint64_t flags = spin_lock_irqsave(&t->lock);
	struct kobj *o = t->slots[handle].obj;

	t->slots[handle].obj = NULL;
	t->slots[handle].rights = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	return o;
}

void cap_table_destroy(struct cap_table *t)
{
	if (!t)
		return;
	for (int h = 0; h < TERN_MAX_HANDLES; h++) {
		struct kobj *o = slot_take(t, h);

		if (o)
			kobj_put(o);
	}
	kfree(t);
}

static void slot_fill(struct cap_table *t, int handle, struct kobj *o, uint32_t rights)
{
	kobj_get(o);
	t->slots[handle].obj = o;
	t->slots[handle].rights = rights;
}

int cap_insert(struct cap_table *t, struct kobj *o, uint32_t rights)
{
	uint64_t flags = spin_lock_irqsave(&t->lock);
	int handle = -EMFILE;

	for (int h = 0; h < TERN_MAX_HANDLES; h++) {
		if (!t->slots[h].obj) {
			slot_fill(t, h, o, rights);
			handle = h;
			break;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return handle;
}

int cap_insert_at(struct cap_table *t, int handle, struct kobj *o, uint32_t rights)
{
	if (!handle_in_range(handle))
		return -EBADF;

	uint64_t flags = spin_lock_irqsave(&t->lock);
	int r = -EBUSY;

	if (!t->slots[handle].obj) {
		slot_fill(t, handle, o, rights);
		r = handle;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return r;
}

struct kobj *cap_get(struct cap_table *t, int handle, enum tern_kobj_type type,
		     uint32_t rights, int *err, uint32_t *rights_out)
{
	struct kobj *o = NULL;
	int r = -EBADF;

	if (handle_in_range(handle)) {
		uint64_t flags = spin_lock_irqsave(&t->lock);
		struct cap_slot *s = &t->slots[handle];

		if (!s->obj || (type != TERN_KOBJ_NONE && kobj_type(s->obj) != type)) {
			r = -EBADF;
		} else if ((s->rights & rights) != rights) {
			r = -EPERM;
		} else {
			o = s->obj;
			kobj_get(o);
			if (rights_out)
				*rights_out = s->rights;
			r = 0;
		}
		spin_unlock_irqrestore(&t->lock, flags);
	}
	if (err)
		*err = r;
	return o;
}

int cap_remove(struct cap_table *t, int handle)
{
	if (!handle_in_range(handle))
		return -EBADF;

	struct kobj *o = slot_take(t, handle);

	if (!o)
		return -EBADF;
	kobj_put(o);
	return 0;
}
