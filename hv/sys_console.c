/* TERN_SYS_CONSOLE_*: the console through a handle. */
#include "hv/sys_objects.h"
#include "hv/cap.h"
#include "hv/console_dev.h"

int64_t sys_console_write(const struct syscall_args *args)
{
	int err;
	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_CONSOLE,
				 TERN_RIGHT_WRITE, &err, NULL);

	if (!o)
		return err;

	int64_t r = console_dev_write_user(args->a[1], args->a[2]);

	kobj_put(o);
	return r;
}

int64_t sys_console_read(const struct syscall_args *args)
{
	int err;
	struct kobj *o = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_CONSOLE,
				 TERN_RIGHT_READ, &err, NULL);

	if (!o)
		return err;

	int64_t r = console_dev_read_user(args->a[1], args->a[2], args->a[3]);

	kobj_put(o);
	return r;
}
