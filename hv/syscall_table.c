/*
 * The syscall table, indexed by enum tern_syscall (abi/include/tern/syscall.h).
 * One line per syscall; handlers live with their subsystem (sys_*.c). Empty
 * slots return -ENOSYS.
 */
#include "hv/syscall.h"
#include "hv/sys_handlers.h"

const syscall_fn syscall_table[TERN_SYS_COUNT] = {
	[TERN_SYS_EXIT]			= sys_exit,
	[TERN_SYS_PROCESS_CREATE]	= sys_process_create,
	[TERN_SYS_PROCESS_KILL]		= sys_process_kill,
	[TERN_SYS_PROCESS_WAIT]		= sys_process_wait,
	[TERN_SYS_GETPID]		= sys_getpid,

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

	[TERN_SYS_MMAP]			= sys_mmap,
	[TERN_SYS_MUNMAP]		= sys_munmap,
	[TERN_SYS_MPROTECT]		= sys_mprotect,
	[TERN_SYS_MEM_COPY]		= sys_mem_copy,

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

	[TERN_SYS_CLOCK_NS]		= sys_clock_ns,
	[TERN_SYS_TSC_HZ]		= sys_tsc_hz,
	[TERN_SYS_CPU_COUNT]		= sys_cpu_count,

	[TERN_SYS_MODULE_INFO]		= sys_module_info,
	[TERN_SYS_MODULE_READ]		= sys_module_read,
	[TERN_SYS_POWER_OFF]		= sys_power_off,
	[TERN_SYS_MEM_INFO]		= sys_mem_info,

	[TERN_SYS_HANDLE_GRANT]		= sys_handle_grant,
	[TERN_SYS_VM_CREATE]		= sys_vm_create,
	[TERN_SYS_VM_MAP]		= sys_vm_map,
	[TERN_SYS_VM_UNMAP]		= sys_vm_unmap,
	[TERN_SYS_VM_DIRTY_LOG]		= sys_vm_dirty_log,
	[TERN_SYS_VCPU_CREATE]		= sys_vcpu_create,
	[TERN_SYS_VCPU_MAP_RUN]		= sys_vcpu_map_run,
	[TERN_SYS_VCPU_RUN]		= sys_vcpu_run,
	[TERN_SYS_VCPU_IOCTL]		= sys_vcpu_ioctl,
	[TERN_SYS_VM_IOCTL]		= sys_vm_ioctl,
	[TERN_SYS_KVM_SYSTEM]		= sys_kvm_system,
};
