/*
 * Threads: the unit the scheduler runs. A kernel thread runs core code only;
 * a user thread belongs to a process and runs in ring 3, entering the core
 * through syscalls, interrupts and faults on its own kernel stack.
 */
#ifndef HV_THREAD_H
#define HV_THREAD_H

#include "hv/types.h"
#include "hv/list.h"
#include "hv/spinlock.h"

struct process;
struct trap_frame;

#define THREAD_KSTACK_SIZE	(16 * 1024)

enum thread_state {
	THREAD_NEW,		/* created, not started yet */
	THREAD_RUNNABLE,	/* on a run queue or running */
	THREAD_BLOCKED,		/* in thread_block() */
	THREAD_DEAD,		/* exited; freed once nothing refers to it */
};

struct thread {
	uint64_t tid;			/* unique in the system, never 0 */
	struct process *proc;		/* NULL for kernel threads */
	struct list_node proc_node;	/* on proc->threads (process.c owns it) */
	char name[16];

	/* scheduling (sched.c) */
	volatile enum thread_state state;
	uint32_t priority;		/* 0 .. TERN_PRIORITY_MAX */
	uint64_t affinity;		/* CPU mask, never 0 */
	uint32_t cpu;			/* CPU it runs or last ran on */
	struct list_node run_node;	/* on a run queue */
	uint64_t slice_end_ns;
	/* Its stack is in use by a CPU: set from the switch to it until the
	 * switch away has completed. Nobody else may run it meanwhile. */
	volatile bool on_cpu;
	struct list_node timer_node;	/* on its CPU's sleeper list while blocked with a deadline */

	/* blocking (waitq.c) */
	volatile bool wake_pending;	/* woken since thread_prepare_block() */
	volatile bool interrupt_pending; /* TERN_SYS_THREAD_INTERRUPT not consumed yet */
	volatile bool kill_pending;	/* exit at the next return to ring 3 or wake-up */
	uint64_t deadline_ns;

	/* machine state */
	uintptr_t kstack;		/* base of THREAD_KSTACK_SIZE bytes */
	uintptr_t ksp;			/* saved kernel rsp while switched out */
	void *fpu;			/* FPU/SSE/AVX area (fpu.h), user threads */
	uint64_t fs_base;
	uintptr_t user_clear_tid;	/* see struct tern_thread_start.clear_tid */

	/* kernel threads */
	void (*fn)(void *arg);
	void *arg;
};

/* The thread running on this CPU (the CPU's idle thread when nothing else runs). */
struct thread *current_thread(void);

/* A kernel thread that will run @fn(@arg) once thread_start()ed. NULL when
 * out of memory. When @fn returns the thread exits. */
struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg);

/*
 * A user thread of @p that will enter ring 3 at @rip with rsp = @rsp, rdi = @arg
 * and FS base @fs_base (flags: IF set, everything else 0, FPU in reset state).
 * The caller links it to @p (process.c). NULL when out of memory.
 */
struct thread *thread_create_user(struct process *p, uint64_t rip, uint64_t rsp, uint64_t arg,
				  uint64_t fs_base);

/* Makes a NEW thread runnable, respecting its affinity. */
void thread_start(struct thread *t);

/* Frees a thread that was created but never started (an error path of its creator). */
void thread_discard(struct thread *t);

/* Where a user thread's ring-3 registers live while it is in the core: the
 * trap frame at the top of its kernel stack (syscalls and interrupts alike). */
struct trap_frame *thread_user_frame(struct thread *t);

/*
 * Ends the calling thread: for a user thread, writes 0 to its clear_tid word
 * and futex-wakes it, unlinks it from its process (process_thread_exit()),
 * then never runs it again; its stack and struct are freed by the scheduler
 * once it is switched away from.
 */
__noreturn void thread_exit(void);

/*
 * Asks @t to exit: sets kill_pending, wakes it if blocked (its wait returns
 * -EINTR) and forces it out of ring 3 (or guest mode) if it runs on another
 * CPU. The thread exits when it next reaches the return-to-user path.
 */
void thread_kill(struct thread *t);

/* TERN_SYS_THREAD_INTERRUPT semantics (see abi/include/tern/syscall.h). */
void thread_interrupt(struct thread *t);

/*
 * Called on every return to ring 3 (syscall, interrupt, exception): exits the
 * thread when kill_pending, reschedules when the slice is over. @pre
 * interrupts off.
 */
void thread_return_to_user(void);

#endif
