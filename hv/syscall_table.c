/*
 * The syscall table, indexed by enum tern_syscall (abi/include/tern/syscall.h).
 * One line per syscall; handlers live with their subsystem (sys_*.c). Empty
 * slots return -ENOSYS.
 */
#include "hv/syscall.h"
#include "hv/sys_handlers.h"

const syscall_fn syscall_table[TERN_SYS_COUNT] = {
	[TERN_SYS_THREAD_CREATE]	= sys_thread_create,
	[TERN_SYS_THREAD_EXIT]		= sys_thread_exit,
	[TERN_SYS_GETTID]		= sys_gettid,
	[TERN_SYS_YIELD]		= sys_yield,
	[TERN_SYS_SLEEP]		= sys_sleep,
	[TERN_SYS_THREAD_INTERRUPT]	= sys_thread_interrupt,
	[TERN_SYS_THREAD_SET]		= sys_thread_set,
	[TERN_SYS_SET_FS_BASE]		= sys_set_fs_base,
	[TERN_SYS_FUTEX_WAIT]		= sys_futex_wait,
	[TERN_SYS_FUTEX_WAKE]		= sys_futex_wake,
	[TERN_SYS_CLOCK_NS]		= sys_clock_ns,
	[TERN_SYS_TSC_HZ]		= sys_tsc_hz,
};
