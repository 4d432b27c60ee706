/*
 * Prototypes of the syscall handlers listed in hv/syscall_table.c. Each
 * subsystem adds its own block; all take the raw arguments and return the
 * result or a negative errno (hv/syscall.h).
 */
#ifndef HV_SYS_HANDLERS_H
#define HV_SYS_HANDLERS_H

#include "hv/syscall.h"

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
/* time (sys_time.c) */
int64_t sys_clock_ns(const struct syscall_args *a);
int64_t sys_tsc_hz(const struct syscall_args *a);

#endif
