/*
 * libtern's tern-specific calls, for programs that use more than POSIX (the
 * service domain, tests). Thin wrappers over <tern/syscall.h>: they return
 * >= 0 on success and -1 with errno set on failure, like POSIX calls.
 */
#ifndef TERN_TERN_H
#define TERN_TERN_H

#include <stddef.h>
#include <stdint.h>
#include <tern/syscall.h>

/*
 * The core and the service domain's KVM ring speak Linux errno values; newlib
 * numbers some differently. This maps a (positive) Linux errno value to the
 * C library's E* value.
 */
int tern_errno_from_linux(int linux_errno);

/* The raw system call: result as the core returns it (negative errno). */
long tern_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* Processes. @handles: the caller's handles to give the child as 1, 2, ... */
int tern_spawn(int root, const void *elf, size_t len, const char *name,
	       const char *const argv[], const char *const envp[],
	       const int *handles, unsigned int nr_handles);
int tern_process_kill(int h);
/* 0 with *status (wait() encoding), -1/ETIMEDOUT, -1/EINTR. */
int tern_process_wait(int h, int *status, uint64_t timeout_ns);

/* Boot modules (root handle). */
int tern_module_info(int root, unsigned int index, struct tern_module_info *info);
long tern_module_read(int root, unsigned int index, uint64_t offset, void *buf, size_t len);
/* Reads module @name (as in /boot/<name>) into malloc()ed memory. */
void *tern_module_load(int root, const char *name, size_t *len);
int tern_power_off(int root);

/* Handles and objects. */
int tern_handle_close(int h);
int tern_handle_dup(int h, uint32_t rights);
int tern_handle_info(int h, struct tern_handle_info *info);
int tern_notify_create(uint64_t initial, uint32_t flags);
int tern_notify_signal(int h, uint64_t add);
int tern_notify_wait(int h, uint64_t *value, uint64_t timeout_ns);
int tern_wait_any(struct tern_wait_item *items, unsigned int n, uint64_t timeout_ns);
int tern_shm_create(size_t size);
/* memcpy that fails with EFAULT instead of faulting (at most TERN_MEM_COPY_MAX bytes). */
int tern_mem_copy(void *dst, const void *src, size_t len);
void *tern_shm_map(int h, void *addr, int prot, int flags);

/* Threads. */
long tern_gettid(void);
int tern_thread_set(long tid, enum tern_thread_attr attr, uint64_t value);

/* Time. */
uint64_t tern_clock_ns(void);
uint64_t tern_tsc_hz(void);

/* The fd behind a handle, so read/write/poll/close work on it (eventfds, console). */
int tern_fd_from_handle(int h);
/* The handle behind fd @fd, or -1/EBADF. */
int tern_handle_from_fd(int fd);

#endif
