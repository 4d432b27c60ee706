/*
 * The syscall table, indexed by enum tern_syscall. Each subsystem adds its
 * handlers here; numbers without one get -ENOSYS from syscall_dispatch().
 */
#include "hv/syscall.h"
#include "hv/sys_objects.h"

const syscall_fn syscall_table[TERN_SYS_COUNT] = {
	[TERN_SYS_HANDLE_CLOSE] = sys_handle_close,
	[TERN_SYS_HANDLE_DUP] = sys_handle_dup,
	[TERN_SYS_HANDLE_INFO] = sys_handle_info,
	[TERN_SYS_NOTIFY_CREATE] = sys_notify_create,
	[TERN_SYS_NOTIFY_SIGNAL] = sys_notify_signal,
	[TERN_SYS_NOTIFY_WAIT] = sys_notify_wait,
	[TERN_SYS_WAIT_ANY] = sys_wait_any,
	[TERN_SYS_SHM_CREATE] = sys_shm_create,
	[TERN_SYS_SHM_MAP] = sys_shm_map,
	[TERN_SYS_CONSOLE_WRITE] = sys_console_write,
	[TERN_SYS_CONSOLE_READ] = sys_console_read,
};
