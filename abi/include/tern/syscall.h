/*
 * The system-call ABI between ring 3 and the tern core. Shared by the core
 * (hv/syscall*.c) and libtern; installed in the SDK as <tern/syscall.h>.
 *
 * Calling convention: `syscall` with the number in rax and up to six arguments
 * in rdi, rsi, rdx, r10, r8, r9 (the Linux x86-64 convention). rcx and r11 are
 * clobbered; every other register is preserved. The result comes back in rax:
 * >= 0 on success, a negative Linux errno value (-EBADF, -EFAULT, ...) on error.
 *
 * Handles: every kernel object a process can act on is reached through a handle,
 * a small index into the process's capability table. A handle carries rights
 * (TERN_RIGHT_*); a call that needs a right the handle lacks fails with -EPERM,
 * a handle that is not open or names an object of the wrong type with -EBADF.
 *
 * Handle layout at process start: TERN_H_SELF is the process itself; the
 * handles the creator passed (struct tern_spawn.handles) follow from 1 on in
 * order. The service domain, started by the core, gets TERN_H_CONSOLE and
 * TERN_H_ROOT; by convention a creator passes the console as handle 1 too.
 *
 * Times are nanoseconds of the monotonic clock (TERN_SYS_CLOCK_NS). A timeout
 * argument is relative; TERN_WAIT_FOREVER waits without limit and 0 polls.
 */
#ifndef TERN_SYSCALL_H
#define TERN_SYSCALL_H

#include <stdint.h>

enum tern_syscall {
	/* processes (need a TERN_KOBJ_ROOT handle with TERN_RIGHT_SPAWN to create) */
	TERN_SYS_EXIT = 0,		/* (int status): ends the whole process */
	TERN_SYS_PROCESS_CREATE = 1,	/* (root, const void *elf, size_t len, const struct tern_spawn *) -> handle */
	TERN_SYS_PROCESS_KILL = 2,	/* (h) needs KILL */
	TERN_SYS_PROCESS_WAIT = 3,	/* (h, int *status, uint64_t timeout_ns) -> 0, -ETIMEDOUT, -EINTR; needs WAIT */
	TERN_SYS_GETPID = 4,		/* () -> pid */

	/* threads of the calling process */
	TERN_SYS_THREAD_CREATE = 10,	/* (const struct tern_thread_start *) -> tid */
	TERN_SYS_THREAD_EXIT = 11,	/* () -> does not return; writes 0 to clear_tid and futex-wakes it */
	TERN_SYS_GETTID = 12,		/* () -> tid */
	TERN_SYS_YIELD = 13,		/* () -> 0 */
	TERN_SYS_SLEEP = 14,		/* (uint64_t ns) -> 0 or -EINTR */
	TERN_SYS_THREAD_INTERRUPT = 15,	/* (tid): see TERN_SYS_THREAD_INTERRUPT below */
	TERN_SYS_THREAD_SET = 16,	/* (tid or 0 for self, enum tern_thread_attr, uint64_t value) -> 0 */
	TERN_SYS_SET_FS_BASE = 17,	/* (uint64_t base): the calling thread's FS base (TLS) */
	TERN_SYS_FUTEX_WAIT = 18,	/* (uint32_t *addr, uint32_t expected, uint64_t timeout_ns) -> 0, -EAGAIN, -ETIMEDOUT, -EINTR */
	TERN_SYS_FUTEX_WAKE = 19,	/* (uint32_t *addr, uint32_t count) -> threads woken */

	/* memory of the calling process (anonymous, zero-filled, allocated at once) */
	TERN_SYS_MMAP = 20,		/* (void *addr, size_t len, int prot, int flags) -> address */
	TERN_SYS_MUNMAP = 21,		/* (void *addr, size_t len) -> 0 */
	TERN_SYS_MPROTECT = 22,		/* (void *addr, size_t len, int prot) -> 0 */
	TERN_SYS_MEM_COPY = 23,		/* (void *dst, const void *src, size_t len) -> 0, -EFAULT if either range is
					   not accessible, -EINVAL past TERN_MEM_COPY_MAX: a memcpy that cannot
					   fault (libkvm copies ioctl arguments with it) */

	/* handles */
	TERN_SYS_HANDLE_CLOSE = 30,	/* (h) -> 0 */
	TERN_SYS_HANDLE_DUP = 31,	/* (h, uint32_t rights) -> new handle with rights & the old ones; needs DUP */
	TERN_SYS_HANDLE_INFO = 32,	/* (h, struct tern_handle_info *) -> 0 */
	TERN_SYS_HANDLE_GRANT = 33,	/* (process h, h, uint32_t rights) -> the handle's number in that process;
					   needs DUP on h and GRANT on the process */

	/* notifications: eventfd semantics (a 64-bit counter) */
	TERN_SYS_NOTIFY_CREATE = 40,	/* (uint64_t initial, uint32_t flags TERN_NOTIFY_*) -> handle */
	TERN_SYS_NOTIFY_SIGNAL = 41,	/* (h, uint64_t add) -> 0, -EAGAIN if the counter would pass TERN_NOTIFY_MAX; needs SIGNAL */
	TERN_SYS_NOTIFY_WAIT = 42,	/* (h, uint64_t *value, uint64_t timeout_ns) -> 0, -EAGAIN (timeout 0, nothing), -ETIMEDOUT, -EINTR; needs WAIT */
	TERN_SYS_WAIT_ANY = 43,		/* (struct tern_wait_item *, uint32_t n, uint64_t timeout_ns) -> items ready (0 on timeout), -EINTR */

	/* shared memory */
	TERN_SYS_SHM_CREATE = 50,	/* (size_t size) -> handle (size rounded up to pages) */
	TERN_SYS_SHM_MAP = 51,		/* (h, void *addr, int prot, int flags) -> address; needs MAP (+WRITE for PROT_WRITE) */

	/* console */
	TERN_SYS_CONSOLE_WRITE = 60,	/* (h, const void *buf, size_t len) -> len; needs WRITE */
	TERN_SYS_CONSOLE_READ = 61,	/* (h, void *buf, size_t len, uint64_t timeout_ns) -> bytes (>= 1), -EAGAIN, -EINTR; needs READ */

	/* time */
	TERN_SYS_CLOCK_NS = 70,		/* () -> monotonic nanoseconds since boot */
	TERN_SYS_TSC_HZ = 71,		/* () -> TSC ticks per second */
	TERN_SYS_CPU_COUNT = 72,	/* () -> CPUs online (affinity bits 0 .. n-1) */

	/* boot modules and the machine (TERN_KOBJ_ROOT handle) */
	TERN_SYS_MODULE_INFO = 80,	/* (root, uint32_t index, struct tern_module_info *) -> 0, -ENOENT past the last */
	TERN_SYS_MODULE_READ = 81,	/* (root, uint32_t index, uint64_t offset, void *buf, size_t len) -> bytes read */
	TERN_SYS_POWER_OFF = 82,	/* (root) -> does not return on success; needs POWER */
	TERN_SYS_MEM_INFO = 83,		/* (root, struct tern_mem_info *) -> 0; needs MODULES */

	/*
	 * The KVM ABI (docs/abi.md). The service domain creates VMs and vcpus
	 * (root handle with TERN_RIGHT_VM) and grants vcpu handles to the device
	 * model, which runs them with TERN_SYS_VCPU_RUN (KVM_RUN) and issues the
	 * other vcpu ioctls with TERN_SYS_VCPU_IOCTL, both straight to the core.
	 */
	TERN_SYS_VM_CREATE = 90,	/* (root) -> VM handle */
	TERN_SYS_VM_MAP = 91,		/* (vm, process h, uint64_t uva, uint64_t gpa, uint64_t size, uint32_t flags
					   TERN_VM_MAP_*) -> 0: maps that process's memory, pinning its frames */
	TERN_SYS_VM_UNMAP = 92,		/* (vm, uint64_t gpa, uint64_t size) -> 0 */
	TERN_SYS_VM_DIRTY_LOG = 93,	/* (vm, uint64_t gpa, uint64_t size, void *bitmap) -> 0: pages written
					   since the last call (get and clear), one bit per page */
	TERN_SYS_VCPU_CREATE = 94,	/* (vm, uint32_t vcpu id) -> vcpu handle */
	TERN_SYS_VCPU_MAP_RUN = 95,	/* (vcpu, void *addr hint) -> address of the vcpu's mmap area
					   (TERN_VCPU_MMAP_PAGES pages: kvm_run, PIO data, coalesced MMIO ring) */
	TERN_SYS_VCPU_RUN = 96,		/* (vcpu) -> 0, or -EINTR (kick, immediate_exit), -errno: KVM_RUN */
	TERN_SYS_VCPU_IOCTL = 97,	/* (vcpu, uint32_t KVM ioctl number, void *arg) -> the ioctl's result */
	TERN_SYS_VM_IOCTL = 98,		/* (vm, uint32_t KVM ioctl number, void *arg) -> result: VM ioctls the
					   core implements (clock, coalesced MMIO, ...), called by the service domain */
	TERN_SYS_KVM_SYSTEM = 99,	/* (root, uint32_t KVM ioctl number, void *arg) -> result: the system (/dev/kvm)
					   ioctls the core answers (CHECK_EXTENSION, supported CPUID, MSR lists); needs VM */

	TERN_SYS_COUNT = 128
};

/*
 * TERN_SYS_THREAD_INTERRUPT(tid): the POSIX "signal interrupts a blocking call"
 * behaviour pthread_kill relies on. If thread @tid of the calling process is
 * blocked in an interruptible call (SLEEP, FUTEX_WAIT, NOTIFY_WAIT, WAIT_ANY,
 * CONSOLE_READ, PROCESS_WAIT), that call returns -EINTR. Otherwise the interrupt
 * stays pending and the thread's next interruptible call returns -EINTR at
 * once, so an interrupt sent just before the thread blocks is not lost.
 * -ESRCH when the process has no thread @tid.
 */

enum tern_thread_attr {
	TERN_THREAD_PRIORITY = 1,	/* 0 (lowest) .. TERN_PRIORITY_MAX; default TERN_PRIORITY_DEFAULT */
	TERN_THREAD_AFFINITY = 2,	/* bit mask of CPU numbers; 0 is refused (-EINVAL) */
};
#define TERN_PRIORITY_MAX	31
#define TERN_PRIORITY_DEFAULT	16

/* Rights a handle can carry. */
#define TERN_RIGHT_READ		(1u << 0)
#define TERN_RIGHT_WRITE	(1u << 1)
#define TERN_RIGHT_SIGNAL	(1u << 2)
#define TERN_RIGHT_WAIT		(1u << 3)
#define TERN_RIGHT_MAP		(1u << 4)
#define TERN_RIGHT_DUP		(1u << 5)	/* may be duplicated and passed to a new process */
#define TERN_RIGHT_KILL		(1u << 6)
#define TERN_RIGHT_SPAWN	(1u << 7)	/* root: create processes */
#define TERN_RIGHT_MODULES	(1u << 8)	/* root: read boot modules */
#define TERN_RIGHT_POWER	(1u << 9)	/* root: power off */
#define TERN_RIGHT_VM		(1u << 10)	/* root: create VMs */
#define TERN_RIGHT_GRANT	(1u << 11)	/* process: insert handles into it */
#define TERN_RIGHT_ALL		0xffffffffu

/* Object types (struct tern_handle_info.type). */
enum tern_kobj_type {
	TERN_KOBJ_NONE = 0,
	TERN_KOBJ_PROCESS = 1,
	TERN_KOBJ_NOTIFY = 2,
	TERN_KOBJ_SHM = 3,
	TERN_KOBJ_CONSOLE = 4,
	TERN_KOBJ_ROOT = 5,
	TERN_KOBJ_VM = 6,		/* reserved for the KVM ABI */
	TERN_KOBJ_VCPU = 7,		/* reserved for the KVM ABI */
};

/* TERN_SYS_VM_MAP flags (KVM_MEM_* semantics). */
#define TERN_VM_MAP_READONLY	(1u << 0)
#define TERN_VM_MAP_LOG_DIRTY	(1u << 1)
/* The vcpu mmap area: kvm_run at page 0, the PIO data page at
 * KVM_PIO_PAGE_OFFSET (1), the coalesced MMIO ring at KVM_COALESCED_MMIO_PAGE_OFFSET (2). */
#define TERN_VCPU_MMAP_PAGES	3

/* Well-known handles (see the top of this file). */
#define TERN_H_SELF		0
#define TERN_H_CONSOLE		1
#define TERN_H_ROOT		2

/* Handles the service domain passes to every device model: its KVM ring
 * (abi/include/tern/kvm_ring.h, docs/abi.md). */
#define TERN_H_KVM_RING		3	/* shm: the rings and slots (MAP | WRITE) */
#define TERN_H_KVM_SUBMIT	4	/* notify: the device model signals it after queueing requests */
#define TERN_H_KVM_COMPLETE	5	/* notify: the service domain signals it after completing some */

#define TERN_MEM_COPY_MAX	(1ul << 20)

#define TERN_MAX_HANDLES	256	/* per process */
#define TERN_WAIT_FOREVER	UINT64_MAX

/* Memory protections and flags: the Linux values. */
#define TERN_PROT_NONE		0
#define TERN_PROT_READ		1
#define TERN_PROT_WRITE		2
#define TERN_PROT_EXEC		4
#define TERN_MAP_FIXED		0x10		/* replace whatever is mapped there */
#define TERN_MAP_FIXED_NOREPLACE 0x100000	/* fail with -EEXIST if anything is */

/* Notification flags. */
#define TERN_NOTIFY_SEMAPHORE	1	/* wait takes 1 instead of the whole counter */
#define TERN_NOTIFY_MAX		0xfffffffffffffffeULL

/* TERN_SYS_WAIT_ANY: poll(2)-like readiness on handles. */
#define TERN_WAIT_READ		1	/* notify: counter > 0; console: input buffered; process: exited */
#define TERN_WAIT_WRITE		4	/* notify: a signal of 1 would not block; console: always */
#define TERN_WAIT_ERROR		8	/* handle is not open or cannot be waited on (revents only) */
#define TERN_WAIT_MAX_ITEMS	64

struct tern_wait_item {
	int32_t handle;
	uint16_t events;	/* TERN_WAIT_READ | TERN_WAIT_WRITE */
	uint16_t revents;	/* set by the core */
};
_Static_assert(sizeof(struct tern_wait_item) == 8, "tern_wait_item layout");

/* TERN_SYS_THREAD_CREATE */
struct tern_thread_start {
	uint64_t entry;		/* rip; the thread starts with rdi = arg, rsp = stack */
	uint64_t stack;		/* initial rsp (the caller aligns it: rsp + 8 16-byte aligned, as after a call) */
	uint64_t arg;
	uint64_t fs_base;	/* TLS pointer */
	uint64_t clear_tid;	/* user address of a uint32_t, or 0: set to 0 and futex-woken at thread exit */
	uint64_t affinity;	/* CPU mask, 0 = any */
	uint32_t priority;	/* 0 = default */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tern_thread_start) == 56, "tern_thread_start layout");

/*
 * TERN_SYS_PROCESS_CREATE: the new process runs the static ELF64 image @elf
 * (x86-64, ET_EXEC, copied by the core before it is parsed). Its main thread
 * starts at the ELF entry with the System V initial stack: rsp -> argc, argv[],
 * NULL, envp[], NULL, auxv (AT_PAGESZ, AT_ENTRY, AT_PHDR, AT_PHNUM, AT_NULL).
 */
#define TERN_SPAWN_MAX_HANDLES	16
#define TERN_SPAWN_MAX_STRINGS	(64 * 1024)	/* argv + envp bytes */

struct tern_spawn {
	uint64_t name;		/* const char *: process name for logs (at most 31 chars used) */
	uint64_t argv;		/* const char *const *, NULL-terminated */
	uint64_t envp;		/* const char *const *, NULL-terminated, or 0 */
	uint64_t handles;	/* const int32_t *: caller's handles, become 1, 2, ... in the child */
	uint32_t nr_handles;	/* at most TERN_SPAWN_MAX_HANDLES; each needs DUP */
	uint32_t priority;	/* main thread, 0 = default */
	uint64_t affinity;	/* main thread, 0 = any */
};
_Static_assert(sizeof(struct tern_spawn) == 48, "tern_spawn layout");

/*
 * Exit status as seen by TERN_SYS_PROCESS_WAIT: the Linux wait() encoding, so
 * WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG apply. A process the core kills
 * for a fault ends "by signal", with the signal Linux would send: SIGSEGV (11)
 * for page faults, jumps into the core and #GP (privileged instructions such
 * as hlt or cli), SIGILL (4) for #UD, SIGFPE (8) for divide errors and x87/SIMD
 * exceptions, SIGBUS (7) for alignment checks and #SS, SIGTRAP (5) for int3
 * and debug traps, SIGKILL (9) for TERN_SYS_PROCESS_KILL.
 */
#define TERN_STATUS_EXITED(code)	(((code) & 0xff) << 8)
#define TERN_STATUS_SIGNALED(sig)	((sig) & 0x7f)

struct tern_handle_info {
	uint32_t type;		/* enum tern_kobj_type */
	uint32_t rights;
};
_Static_assert(sizeof(struct tern_handle_info) == 8, "tern_handle_info layout");

struct tern_mem_info {
	uint64_t free_pages;	/* 4 KiB frames free in the core's allocator */
	uint64_t total_pages;
};
_Static_assert(sizeof(struct tern_mem_info) == 16, "tern_mem_info layout");

#define TERN_MODULE_NAME_MAX	64
struct tern_module_info {
	uint64_t size;				/* bytes */
	char name[TERN_MODULE_NAME_MAX];	/* first word of the module string, NUL-terminated */
	char args[256];				/* the rest of the module string, NUL-terminated */
};
_Static_assert(sizeof(struct tern_module_info) == 328, "tern_module_info layout");

#endif
