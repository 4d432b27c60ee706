/*
 * Prototypes of the syscall handlers listed in hv/syscall_table.c. Each
 * subsystem adds its own block; all take the raw arguments and return the
 * result or a negative errno (hv/syscall.h).
 */
#ifndef HV_SYS_HANDLERS_H
#define HV_SYS_HANDLERS_H

#include "hv/syscall.h"

/* processes (sys_process.c) */
int64_t sys_exit(const struct syscall_args *a);
int64_t sys_process_create(const struct syscall_args *a);
int64_t sys_process_kill(const struct syscall_args *a);
int64_t sys_process_wait(const struct syscall_args *a);
int64_t sys_getpid(const struct syscall_args *a);
/* threads (sys_thread.c) */
int64_t sys_thread_create(const struct syscall_args *a);
int64_t sys_thread_exit(const struct syscall_args *a);
int64_t sys_gettid(const struct syscall_args *a);
int64_t sys_yield(const struct syscall_args *a);
int64_t sys_sleep(const struct syscall_args *a);
int64_t sys_thread_interrupt(const struct syscall_args *a);
int64_t sys_thread_set(const struct syscall_args *a);
int64_t sys_set_fs_base(const struct syscall_args *a);
/* futexes (futex.c) */
int64_t sys_futex_wait(const struct syscall_args *a);
int64_t sys_futex_wake(const struct syscall_args *a);
/* memory (sys_mem.c) */
int64_t sys_mmap(const struct syscall_args *a);
int64_t sys_munmap(const struct syscall_args *a);
int64_t sys_mprotect(const struct syscall_args *a);
int64_t sys_mem_copy(const struct syscall_args *a);
/* handles (sys_handle.c) */
int64_t sys_handle_close(const struct syscall_args *a);
int64_t sys_handle_dup(const struct syscall_args *a);
int64_t sys_handle_info(const struct syscall_args *a);
/* notifications (sys_notify.c, sys_wait.c) */
int64_t sys_notify_create(const struct syscall_args *a);
int64_t sys_notify_signal(const struct syscall_args *a);
int64_t sys_notify_wait(const struct syscall_args *a);
int64_t sys_wait_any(const struct syscall_args *a);
/* shared memory (sys_shm.c) */
int64_t sys_shm_create(const struct syscall_args *a);
int64_t sys_shm_map(const struct syscall_args *a);
/* console (sys_console.c) */
int64_t sys_console_write(const struct syscall_args *a);
int64_t sys_console_read(const struct syscall_args *a);
/* time (sys_time.c) */
int64_t sys_clock_ns(const struct syscall_args *a);
int64_t sys_tsc_hz(const struct syscall_args *a);
int64_t sys_cpu_count(const struct syscall_args *a);
/* the root object (sys_module.c) */
int64_t sys_module_info(const struct syscall_args *a);
int64_t sys_module_read(const struct syscall_args *a);
int64_t sys_power_off(const struct syscall_args *a);
int64_t sys_mem_info(const struct syscall_args *a);

/* handle grants (sys_handle_grant.c) */
int64_t sys_handle_grant(const struct syscall_args *a);
/* the KVM ABI (sys_kvm.c) */
int64_t sys_vm_create(const struct syscall_args *a);
int64_t sys_vm_map(const struct syscall_args *a);
int64_t sys_vm_unmap(const struct syscall_args *a);
int64_t sys_vm_dirty_log(const struct syscall_args *a);
int64_t sys_vcpu_create(const struct syscall_args *a);
int64_t sys_vcpu_map_run(const struct syscall_args *a);
int64_t sys_vcpu_run(const struct syscall_args *a);
int64_t sys_vcpu_ioctl(const struct syscall_args *a);
int64_t sys_vm_ioctl(const struct syscall_args *a);
int64_t sys_kvm_system(const struct syscall_args *a);
#endif
