/* Memory syscalls: anonymous mmap, munmap, mprotect on the caller's address space. */
#include "hv/sys_handlers.h"
#include "hv/process.h"
#include "hv/aspace.h"
#include "hv/errno.h"

int64_t sys_mmap(const struct syscall_args *args)
{
	uintptr_t addr = args->a[0];
	int err;

	if (args->a[2] > 0xffffffffUL || args->a[3] > 0xffffffffUL)
		return -EINVAL;
	err = aspace_map_anon(current_process()->as, &addr, args->a[1], (int)args->a[2],
			      (int)args->a[3]);
	return err ? err : (int64_t)addr;
}

int64_t sys_munmap(const struct syscall_args *args)
{
	return aspace_unmap(current_process()->as, args->a[0], args->a[1]);
}

int64_t sys_mprotect(const struct syscall_args *args)
{
	if (args->a[2] > 0xffffffffUL)
		return -EINVAL;
	return aspace_protect(current_process()->as, args->a[0], args->a[1], (int)args->a[2]);
}
