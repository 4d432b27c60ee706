/*
 * Syscall handlers for handles, notifications, waiting, shared memory and the
 * console (listed in hv/syscall_table.c), and the argument helpers they share.
 */
#ifndef HV_SYS_OBJECTS_H
#define HV_SYS_OBJECTS_H

#include "hv/syscall.h"
#include "hv/process.h"

int64_t sys_handle_close(const struct syscall_args *args);
int64_t sys_handle_dup(const struct syscall_args *args);
int64_t sys_handle_info(const struct syscall_args *args);
int64_t sys_notify_create(const struct syscall_args *args);
int64_t sys_notify_signal(const struct syscall_args *args);
int64_t sys_notify_wait(const struct syscall_args *args);
int64_t sys_wait_any(const struct syscall_args *args);
int64_t sys_shm_create(const struct syscall_args *args);
int64_t sys_shm_map(const struct syscall_args *args);
int64_t sys_console_write(const struct syscall_args *args);
int64_t sys_console_read(const struct syscall_args *args);

/* The calling process's handles. @pre called from a user thread's syscall. */
static inline struct cap_table *current_caps(void)
{
	return current_process()->caps;
}

/* int and uint32_t arguments are the low half of their register, as on Linux:
 * ring 3 need not clear the upper half, and cannot smuggle bits through it. */
static inline int32_t arg_int(uint64_t v)
{
	return (int32_t)(uint32_t)v;
}

static inline uint32_t arg_u32(uint64_t v)
{
	return (uint32_t)v;
}

#endif
