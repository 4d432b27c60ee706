/*
 * ternemu: runs a single-threaded tern program (built with tern-cc) on the
 * Linux build host by tracing its system calls with ptrace and answering them
 * with tern's ABI (<tern/syscall.h>). Calls with a direct Linux counterpart
 * (memory, console, FS base, exit) are rewritten into it; notifications,
 * WAIT_ANY, handles and the clock are emulated here. This checks crt0, TLS,
 * newlib's hooks and libtern's fd layer before the core's ring 3 exists; it is
 * not a second implementation of the core (no threads, no processes).
 *
 *   ternemu PROGRAM [ARGS...]    exit status = the program's
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tern/syscall.h"

#define NOTIFY_FIRST	10
#define NOTIFY_MAX_OBJS	64

struct notify {
	int used;
	uint32_t flags;
	uint64_t count;
};

static struct notify notifies[NOTIFY_MAX_OBJS];
static pid_t child;

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "ternemu: %s\n", what);
	kill(child, SIGKILL);
	exit(125);
}

static int peek(uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(child, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int poke(uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };

	return process_vm_writev(child, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static struct notify *notify_get(long h)
{
	if (h < NOTIFY_FIRST || h >= NOTIFY_FIRST + NOTIFY_MAX_OBJS || !notifies[h - NOTIFY_FIRST].used)
		return NULL;
	return &notifies[h - NOTIFY_FIRST];
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

static uint16_t ready_events(int32_t h, uint16_t events)
{
	struct notify *n = notify_get(h);
	uint16_t r = 0;

	if (h == TERN_H_CONSOLE) {
		struct pollfd p = { 0, POLLIN, 0 };

		if ((events & TERN_WAIT_READ) && poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
			r |= TERN_WAIT_READ;
		return r | (events & TERN_WAIT_WRITE);
	}
	if (!n)
		return TERN_WAIT_ERROR;
	if ((events & TERN_WAIT_READ) && n->count > 0)
		r |= TERN_WAIT_READ;
	if ((events & TERN_WAIT_WRITE) && n->count < TERN_NOTIFY_MAX)
		r |= TERN_WAIT_WRITE;
	return r;
}

/* A call emulated here; its result. A single thread cannot be woken by anyone,
 * so an endless wait is a bug in the program (or in libtern): stop. */
static long emulate(long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct tern_handle_info info;
	struct timespec ts;

	switch (nr) {
	case TERN_SYS_CLOCK_NS:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return ts.tv_sec * 1000000000L + ts.tv_nsec;
	case TERN_SYS_TSC_HZ:
		return 1000000000L;
	case TERN_SYS_CPU_COUNT:
		return 1;
	case TERN_SYS_SLEEP:
		if (a0 == TERN_WAIT_FOREVER)
			die("endless sleep in a single-threaded program");
		sleep_ns(a0);
		return 0;
	case TERN_SYS_HANDLE_INFO:
		if (a0 == TERN_H_CONSOLE) {
			info.type = TERN_KOBJ_CONSOLE;
			info.rights = TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_WAIT | TERN_RIGHT_DUP;
		} else if (notify_get((long)a0)) {
			info.type = TERN_KOBJ_NOTIFY;
			info.rights = TERN_RIGHT_SIGNAL | TERN_RIGHT_WAIT | TERN_RIGHT_DUP;
		} else {
			return -EBADF;
		}
		return poke(a1, &info, sizeof(info));
	case TERN_SYS_HANDLE_CLOSE: {
		struct notify *n = notify_get((long)a0);

		if (!n)
			return a0 == TERN_H_CONSOLE ? 0 : -EBADF;
		n->used = 0;
		return 0;
	}
	case TERN_SYS_NOTIFY_CREATE:
		for (int i = 0; i < NOTIFY_MAX_OBJS; i++) {
			if (!notifies[i].used) {
				notifies[i] = (struct notify){ 1, (uint32_t)a1, a0 };
				return NOTIFY_FIRST + i;
			}
		}
		return -EMFILE;
	case TERN_SYS_NOTIFY_SIGNAL: {
		struct notify *n = notify_get((long)a0);

		if (!n)
			return -EBADF;
		if (a1 > TERN_NOTIFY_MAX - n->count)
			return -EAGAIN;
		n->count += a1;
		return 0;
	}
	case TERN_SYS_NOTIFY_WAIT: {
		struct notify *n = notify_get((long)a0);
		uint64_t v;

		if (!n)
			return -EBADF;
		if (n->count == 0) {
			if (a2 == 0)
				return -EAGAIN;
			if (a2 == TERN_WAIT_FOREVER)
				die("endless NOTIFY_WAIT in a single-threaded program");
			sleep_ns(a2);
			return -ETIMEDOUT;
		}
		v = (n->flags & TERN_NOTIFY_SEMAPHORE) ? 1 : n->count;
		n->count -= v;
		return poke(a1, &v, sizeof(v));
	}
	case TERN_SYS_WAIT_ANY: {
		struct tern_wait_item items[TERN_WAIT_MAX_ITEMS];
		int ready = 0;

		if (a1 > TERN_WAIT_MAX_ITEMS)
			return -EINVAL;
		if (peek(a0, items, a1 * sizeof(items[0])))
			return -EFAULT;
		for (uint64_t i = 0; i < a1; i++) {
			items[i].revents = ready_events(items[i].handle, items[i].events);
			ready += items[i].revents != 0;
		}
		if (!ready && a2) {
			if (a2 == TERN_WAIT_FOREVER)
				die("endless WAIT_ANY in a single-threaded program");
			sleep_ns(a2);
		}
		return poke(a0, items, a1 * sizeof(items[0])) ?: ready;
	}
	case TERN_SYS_FUTEX_WAKE:
		return 0;
	case TERN_SYS_FUTEX_WAIT: {
		uint32_t v;

		if (peek(a0, &v, sizeof(v)))
			return -EFAULT;
		if (v != (uint32_t)a1)
			return -EAGAIN;
		die("FUTEX_WAIT on a held lock in a single-threaded program");
	}
	case TERN_SYS_MODULE_INFO:
		return -EBADF;	/* no root handle here */
	default:
		return -ENOSYS;
	}
}

/* Rewrites a call with a Linux counterpart in place; false if it must be emulated. */
static int translate(struct user_regs_struct *r)
{
	switch ((long)r->orig_rax) {
	case TERN_SYS_EXIT:
		r->orig_rax = 231;	/* exit_group */
		return 1;
	case TERN_SYS_THREAD_EXIT:
		r->orig_rax = 60;
		return 1;
	case TERN_SYS_GETPID:
		r->orig_rax = 39;
		return 1;
	case TERN_SYS_GETTID:
		r->orig_rax = 186;
		return 1;
	case TERN_SYS_YIELD:
		r->orig_rax = 24;
		return 1;
	case TERN_SYS_SET_FS_BASE:
		r->orig_rax = 158;	/* arch_prctl(ARCH_SET_FS, base) */
		r->rsi = r->rdi;
		r->rdi = 0x1002;
		return 1;
	case TERN_SYS_MMAP:
		r->orig_rax = 9;
		r->r10 = MAP_PRIVATE | MAP_ANONYMOUS |
			 (r->r10 & (TERN_MAP_FIXED | TERN_MAP_FIXED_NOREPLACE));
		r->r8 = (uint64_t)-1;
		r->r9 = 0;
		return 1;
	case TERN_SYS_MUNMAP:
		r->orig_rax = 11;
		return 1;
	case TERN_SYS_MPROTECT:
		r->orig_rax = 10;
		return 1;
	case TERN_SYS_CONSOLE_WRITE:
		if (r->rdi != TERN_H_CONSOLE)
			return 0;
		r->orig_rax = 1;
		r->rdi = 1;
		return 1;
	case TERN_SYS_CONSOLE_READ:
		if (r->rdi != TERN_H_CONSOLE)
			return 0;
		r->orig_rax = 0;
		r->rdi = 0;
		return 1;
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: ternemu PROGRAM [ARGS...]\n");
		return 2;
	}
	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(child, &status, 0);
	ptrace(PTRACE_SETOPTIONS, child, NULL,
	       (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC));
	for (int execed = 0, in_call = 0;;) {
		struct user_regs_struct r;
		long nr = 0, result = 0;
		int emulated = 0, sig = 0;

		ptrace(PTRACE_SYSCALL, child, NULL, NULL);
		if (waitpid(child, &status, 0) < 0)
			die("waitpid");
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status)) {
			fprintf(stderr, "ternemu: program killed by signal %d\n", WTERMSIG(status));
			return 128 + WTERMSIG(status);
		}
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			execed = 1;
			in_call = 1;	/* the next stop is execve's return */
			continue;
		}
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			/* A real signal (a fault): pass it on so the program dies of it. */
			ptrace(PTRACE_SYSCALL, child, NULL, (void *)(long)WSTOPSIG(status));
			waitpid(child, &status, 0);
			if (WIFSIGNALED(status)) {
				fprintf(stderr, "ternemu: program killed by signal %d\n", WTERMSIG(status));
				return 128 + WTERMSIG(status);
			}
			continue;
		}
		if (!execed || in_call) {
			in_call = 0;
			continue;	/* the execve itself */
		}
		ptrace(PTRACE_GETREGS, child, NULL, &r);
		nr = (long)r.orig_rax;
		if (!translate(&r)) {
			emulated = 1;
			result = emulate(nr, r.rdi, r.rsi, r.rdx);
			r.orig_rax = (uint64_t)-1;	/* Linux skips it */
		}
		ptrace(PTRACE_SETREGS, child, NULL, &r);
		ptrace(PTRACE_SYSCALL, child, NULL, NULL);	/* to the call's exit */
		if (waitpid(child, &status, 0) < 0)
			die("waitpid");
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (getenv("TERNEMU_TRACE")) {
			struct user_regs_struct e;

			ptrace(PTRACE_GETREGS, child, NULL, &e);
			fprintf(stderr, "ternemu: call %ld -> %ld\n", nr,
				emulated ? result : (long)e.rax);
		}
		if (emulated) {
			ptrace(PTRACE_GETREGS, child, NULL, &r);
			r.rax = (uint64_t)result;
			ptrace(PTRACE_SETREGS, child, NULL, &r);
		}
		(void)sig;
	}
}
