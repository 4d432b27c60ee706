/*
 * Prototypes of the syscall handlers listed in hv/syscall_table.c. Each
 * subsystem adds its own block; all take the raw arguments and return the
 * result or a negative errno (hv/syscall.h).
 */
#ifndef HV_SYS_HANDLERS_H
#define HV_SYS_HANDLERS_H

#include "hv/syscall.h"

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

#endif
