/* TERN_SYS_SHM_*: creating shared memory and mapping it into the caller. */
#include "hv/sys_objects.h"
#include "hv/aspace.h"
#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/shm.h"

#define SHM_NEW_RIGHTS		(TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_MAP | TERN_RIGHT_DUP)

int64_t sys_shm_create(const struct syscall_args *args)
{
	uint64_t size = args->a[0];

	if (size == 0 || size > SHM_MAX_SIZE)
		return -EINVAL;

	struct shm *s = shm_create(size);

	if (!s)
		return -ENOMEM;
	int h = cap_insert(current_caps(), &s->obj, SHM_NEW_RIGHTS);

	kobj_put(&s->obj);
	return h;
}

int64_t sys_shm_map(const struct syscall_args *args)
{
	uintptr_t addr = args->a[1];
	int prot = arg_int(args->a[2]);
	int flags = arg_int(args->a[3]);
	uint32_t need = TERN_RIGHT_MAP | (prot & TERN_PROT_WRITE ? TERN_RIGHT_WRITE : 0);
	int err;
	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_SHM, need, &err,
				 NULL);

	if (!o)
		return err;

	struct shm *s = container_of(o, struct shm, obj);

	/* The mapping takes its own reference on the object: the frames live
	 * until it is unmapped, whatever happens to the handle. */
	err = aspace_map_frames(current_process()->as, &addr, s->pages * PAGE_SIZE, prot, flags,
				o, s->frames);
	kobj_put(o);
	if (err)
		return err;
	return (int64_t)addr;
}
