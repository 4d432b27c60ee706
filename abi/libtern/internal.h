/*
 * libtern's private interfaces: the raw system call, the thread control block
 * behind %fs, the futex lock used inside the library, and the hooks between
 * its parts. Not installed in the SDK.
 */
#ifndef LIBTERN_INTERNAL_H
#define LIBTERN_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <reent.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <tern/syscall.h>

#define TERN_PAGE_SIZE		4096UL
#define TERN_PAGE_ALIGN(x)	(((x) + TERN_PAGE_SIZE - 1) & ~(TERN_PAGE_SIZE - 1))

/* The core speaks Linux errno values; newlib numbers some differently (errno_linux.c). */
int tern_errno_from_linux(int linux_errno);

static inline long sys6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	if (__builtin_expect(ret < 0 && ret > -4096, 0))
		ret = -tern_errno_from_linux((int)-ret);
	return ret;
}

#define sys0(nr)			sys6(nr, 0, 0, 0, 0, 0, 0)
#define sys1(nr, a)			sys6(nr, (long)(a), 0, 0, 0, 0, 0)
#define sys2(nr, a, b)			sys6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(nr, a, b, c)		sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(nr, a, b, c, d)		sys6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(nr, a, b, c, d, e)		sys6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* pthread_*attr_setpshared: only process-private objects exist (futexes are per process). */
static inline int tern_pshared_check(int pshared)
{
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;
	return pshared == PTHREAD_PROCESS_PRIVATE ? 0 : EINVAL;
}

/* A core result as a POSIX result: negative errno becomes -1 with errno set. */
static inline long sys_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Internal futex lock (no owner, not recursive): 0 free, 1 held, 2 held with waiters. */
struct tern_lowlock {
	uint32_t word;
};
#define TERN_LOWLOCK_INIT { 0 }
void tern_lowlock_acquire(struct tern_lowlock *l);
int tern_lowlock_try(struct tern_lowlock *l);
void tern_lowlock_release(struct tern_lowlock *l);

/*
 * Futex wait on @addr while it holds @expected, until the absolute monotonic
 * time @deadline_ns (UINT64_MAX: no limit). 0 (woken or value changed),
 * -ETIMEDOUT, -EINTR after pending signal handlers ran.
 */
int tern_futex_wait_until(uint32_t *addr, uint32_t expected, uint64_t deadline_ns);
void tern_futex_wake(uint32_t *addr, uint32_t count);
/* Absolute monotonic deadline from a timespec on @clock; -EINVAL for a bad one. */
int tern_deadline_from_timespec(clockid_t clock, const struct timespec *abs, uint64_t *deadline);

#define TERN_KEYS_MAX	128

/*
 * The thread control block. %fs points at it (x86-64 TLS variant II: the
 * program's static TLS block lies just below it), and its first word points
 * to itself, as the ABI requires for %fs:0.
 */
struct tern_tcb {
	struct tern_tcb *self;
	struct _reent *reent;		/* the main thread uses newlib's global one */
	long tid;
	uint32_t alive;			/* clear_tid word: nonzero until the core ends the thread */
	uint32_t detach;		/* TCB_JOINABLE, TCB_DETACHED, TCB_EXITED */
	uint32_t sig_pending;		/* bit per signal sent by pthread_kill */
	uint32_t sig_blocked;		/* pthread_sigmask */
	void *(*start)(void *);
	void *arg;
	void *result;
	void *map;			/* the mmap holding guard, stack, TLS and this block */
	size_t map_len;
	struct tern_tcb *next_zombie;
	struct tern_tcb *next_all;	/* every thread not yet reclaimed (pthread_create.c) */
	void *keys[TERN_KEYS_MAX];
	struct _reent own_reent;
};

enum { TCB_JOINABLE = 0, TCB_DETACHED = 1, TCB_EXITED = 2 };

static inline struct tern_tcb *tern_self(void)
{
	struct tern_tcb *t;

	__asm__("mov %%fs:0, %0" : "=r"(t));
	return t;
}

/* tls.c */
struct tern_tls_image {
	const void *init;	/* .tdata */
	size_t filesz;		/* .tdata bytes */
	size_t memsz;		/* .tdata + .tbss bytes */
	size_t align;
};
extern struct tern_tls_image tern_tls_image;
void tern_tls_find(const uint64_t *auxv);
/* Bytes needed below and including the TCB for one thread's TLS. */
size_t tern_tls_size(void);
/* Lays out TLS + TCB ending at or below @top; returns the TCB (zeroed, self set). */
struct tern_tcb *tern_tls_place(void *top);
void tern_tls_init_main(void);

/* pthread_key.c: runs destructors of the calling thread's keys. */
void tern_keys_run_destructors(struct tern_tcb *self);
/* pthread_create.c: the live thread count, for "the last thread exits the process". */
void tern_threads_init_main(void);

/*
 * pthread_create.c: runs @fn(@tcb, @arg) under the thread-list lock if @t is a
 * thread that has not been reclaimed; -ESRCH otherwise.
 */
int tern_thread_with(pthread_t t, int (*fn)(struct tern_tcb *tcb, void *arg), void *arg);

/* signal.c: runs the handlers of signals pending for the calling thread.
 * Returns 1 if every handler that ran asked for SA_RESTART. */
int tern_signals_deliver(void);

/* fd.c, fd_console.c */
void tern_fd_init(void);
extern uint8_t tern_fd_cloexec[];	/* FD_CLOEXEC per fd, TERN_FD_MAX entries */
int tern_fd_dup_min(int oldfd, int min);
void tern_console_fd_init(void);
/* fd_bootfile.c */
int tern_bootfile_open(const char *path, int flags);
int tern_bootfile_stat(const char *path, struct stat *st);
/* The first handle of type ROOT with TERN_RIGHT_MODULES, or -1/ENOENT. */
int tern_root_for_modules(void);

/* time.c */
uint64_t tern_now_ns(void);

#endif
