/* Syscall dispatch: the number indexes hv/syscall_table.c. */
#include "hv/syscall.h"
#include "hv/errno.h"

int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args)
{
	syscall_fn fn;

	if (nr >= TERN_SYS_COUNT)
		return -ENOSYS;
	fn = syscall_table[nr];
	return fn ? fn(args) : -ENOSYS;
}
