/*
 * Syscall dispatch. arch/x86/syscall_entry.S saves the user registers on the
 * thread's kernel stack and calls syscall_dispatch(); each handler lives with
 * its subsystem (sys_process.c, sys_thread.c, ...) and is listed in
 * hv/syscall_table.c, indexed by enum tern_syscall.
 */
#ifndef HV_SYSCALL_H
#define HV_SYSCALL_H

#include "hv/types.h"
#include "abi/include/tern/syscall.h"

struct syscall_args {
	uint64_t a[6];		/* rdi, rsi, rdx, r10, r8, r9 */
};

typedef int64_t (*syscall_fn)(const struct syscall_args *args);

extern const syscall_fn syscall_table[TERN_SYS_COUNT];

/* -ENOSYS for numbers without a handler. Runs with interrupts on. */
int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args);

#endif
