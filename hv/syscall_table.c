/*
 * The syscall table, indexed by enum tern_syscall (abi/include/tern/syscall.h).
 * One line per syscall; handlers live with their subsystem (sys_*.c). Empty
 * slots return -ENOSYS.
 */
#include "hv/syscall.h"
#include "hv/sys_handlers.h"

const syscall_fn syscall_table[TERN_SYS_COUNT] = {
	[TERN_SYS_HANDLE_CLOSE]		= sys_handle_close,
	[TERN_SYS_HANDLE_DUP]		= sys_handle_dup,
	[TERN_SYS_HANDLE_INFO]		= sys_handle_info,
	[TERN_SYS_NOTIFY_CREATE]	= sys_notify_create,
	[TERN_SYS_NOTIFY_SIGNAL]	= sys_notify_signal,
	[TERN_SYS_NOTIFY_WAIT]		= sys_notify_wait,
	[TERN_SYS_WAIT_ANY]		= sys_wait_any,
	[TERN_SYS_SHM_CREATE]		= sys_shm_create,
	[TERN_SYS_SHM_MAP]		= sys_shm_map,
	[TERN_SYS_CONSOLE_WRITE]	= sys_console_write,
	[TERN_SYS_CONSOLE_READ]		= sys_console_read,
};
