/*
 * Capability tables: each process's handles. A slot holds a referenced kernel
 * object and the rights this handle grants (TERN_RIGHT_*). Every syscall that
 * acts on an object looks it up here first.
 */
#ifndef HV_CAP_H
#define HV_CAP_H

#include "hv/kobj.h"
#include "hv/spinlock.h"

struct cap_slot {
	struct kobj *obj;	/* NULL: free slot */
	uint32_t rights;
};

struct cap_table {
	spinlock_t lock;
	struct cap_slot slots[TERN_MAX_HANDLES];
};

/* A table with every slot free; NULL when out of memory. */
struct cap_table *cap_table_create(void);
/* Closes every handle (dropping its reference) and frees the table. */
void cap_table_destroy(struct cap_table *t);

/* Puts @o (taking a new reference) in the lowest free slot. Returns the
 * handle, or -EMFILE when the table is full. */
int cap_insert(struct cap_table *t, struct kobj *o, uint32_t rights);
/* Same at @handle, which must be free (-EBUSY) and in range (-EBADF). */
int cap_insert_at(struct cap_table *t, int handle, struct kobj *o, uint32_t rights);

/*
 * Looks @handle up and returns its object with a new reference (the caller
 * kobj_put()s it), or NULL with *err = -EBADF (not open, or not of @type when
 * @type != TERN_KOBJ_NONE) or -EPERM (lacks some of @rights).
 * @rights_out, when not NULL, receives the handle's rights.
 */
struct kobj *cap_get(struct cap_table *t, int handle, enum tern_kobj_type type,
		     uint32_t rights, int *err, uint32_t *rights_out);

/* Closes @handle: 0 or -EBADF. */
int cap_remove(struct cap_table *t, int handle);

#endif
