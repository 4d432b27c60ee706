/* Memory syscalls: anonymous mmap, munmap, mprotect, fault-safe copies on the caller's address space. */
#include "hv/sys_handlers.h"
#include "hv/process.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "hv/uaccess.h"

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

/* A copy inside the caller's memory through a bounce buffer, so that a bad
 * pointer is -EFAULT rather than a fault in ring 3 (libkvm marshals ioctl
 * arguments with it). Bytes before the faulting chunk may have been copied. */
int64_t sys_mem_copy(const struct syscall_args *args)
{
	uintptr_t dst = args->a[0], src = args->a[1];
	size_t len = args->a[2];
	uint8_t bounce[256];

	if (len > TERN_MEM_COPY_MAX)
		return -EINVAL;
	if (!user_range_ok(dst, len) || !user_range_ok(src, len))
		return -EFAULT;
	while (len) {
		size_t n = len < sizeof(bounce) ? len : sizeof(bounce);

		if (copy_from_user(bounce, src, n) || copy_to_user(dst, bounce, n))
			return -EFAULT;
		dst += n;
		src += n;
		len -= n;
	}
	return 0;
}
