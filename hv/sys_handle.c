/* TERN_SYS_HANDLE_*: closing, duplicating and inspecting the caller's handles. */
#include "hv/sys_objects.h"
#include "hv/cap.h"
#include "hv/uaccess.h"

int64_t sys_handle_close(const struct syscall_args *args)
{
	return cap_remove(current_caps(), arg_int(args->a[0]));
}

int64_t sys_handle_dup(const struct syscall_args *args)
{
	struct cap_table *t = current_caps();
	uint32_t rights;
	int err;
	struct kobj *o = cap_get(t, arg_int(args->a[0]), TERN_KOBJ_NONE, TERN_RIGHT_DUP, &err,
				 &rights);

	if (!o)
		return err;
	/* A copy can only narrow what the original grants. */
	int h = cap_insert(t, o, rights & arg_u32(args->a[1]));

	kobj_put(o);
	return h;
}

int64_t sys_handle_info(const struct syscall_args *args)
{
	struct tern_handle_info info;
	uint32_t rights;
	int err;
	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_NONE, 0, &err,
				 &rights);

	if (!o)
		return err;
	info.type = kobj_type(o);
	info.rights = rights;
	kobj_put(o);
	return copy_to_user(args->a[1], &info, sizeof(info));
}
