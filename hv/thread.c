/*
 * Thread life cycle: creation (kernel stack, initial frame, FPU area),
 * starting, exit, kill and interrupt, and the check every return to ring 3
 * passes through.
 */
#include "hv/thread.h"
#include "hv/sched_priv.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/fpu.h"
#include "hv/futex.h"
#include "hv/heap.h"
#include "hv/mm.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/process.h"
#include "hv/string.h"
#include "hv/uaccess.h"
#include "abi/include/tern/syscall.h"
#include "arch/x86/cpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/syscall_entry.h"
#include "arch/x86/traps.h"

#define KSTACK_ORDER		2
_Static_assert((PAGE_SIZE << KSTACK_ORDER) == THREAD_KSTACK_SIZE, "kernel stacks are frame blocks");

#define RFLAGS_RESERVED		(1UL << 1)
#define RFLAGS_IF		(1UL << 9)
#define CALLEE_SAVED_REGS	6	/* what switch_stacks pops: r15 r14 r13 r12 rbx rbp */

extern const char kernel_thread_trampoline[], user_thread_trampoline[];

static uint64_t next_tid = 1;

struct thread *current_thread(void)
{
	return this_cpu()->current;
}

static struct thread *thread_alloc(const char *name, bool with_stack)
{
	struct thread *t = kzalloc(sizeof(*t));
	paddr_t stack;

	if (!t)
		return NULL;
	if (with_stack) {
		stack = frame_alloc(KSTACK_ORDER);
		if (stack == FRAME_NONE) {
			kfree(t);
			return NULL;
		}
		t->kstack = (uintptr_t)phys_to_virt(stack);
	}
	t->tid = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
	memcpy(t->name, name, strnlen(name, sizeof(t->name) - 1));
	t->state = THREAD_NEW;
	t->priority = TERN_PRIORITY_DEFAULT;
	t->affinity = ~0ULL;
	t->cpu = this_cpu()->cpu_id;
	list_node_init(&t->proc_node);
	list_node_init(&t->run_node);
	list_node_init(&t->timer_node);
	return t;
}

void thread_free(struct thread *t)
{
	if (t->kstack)
		frame_free(virt_to_phys((void *)t->kstack), KSTACK_ORDER);
	if (t->fpu)
		fpu_free(t->fpu);
	kfree(t);
}

void thread_discard(struct thread *t)
{
	ASSERT(t->state == THREAD_NEW);
	thread_free(t);
}

struct thread *thread_create_idle(uint32_t cpu)
{
	struct thread *t = thread_alloc("idle", false);

	if (!t)
		return NULL;
	/* No stack of its own: it is the CPU's boot context, which it never leaves for good. */
	t->state = THREAD_RUNNABLE;
	t->priority = 0;
	t->affinity = 1ULL << cpu;
	t->cpu = cpu;
	return t;
}

/* Lays out what switch_stacks pops: zeroed callee-saved registers, then @entry. */
static void set_initial_switch_frame(struct thread *t, uintptr_t sp, const void *entry)
{
	uint64_t *frame = (uint64_t *)sp - CALLEE_SAVED_REGS - 1;

	memset(frame, 0, CALLEE_SAVED_REGS * sizeof(uint64_t));
	frame[CALLEE_SAVED_REGS] = (uintptr_t)entry;
	t->ksp = (uintptr_t)frame;
}

struct thread *thread_create_kernel(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = thread_alloc(name, true);

	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	/* The trampoline is entered by ret with rsp = top - 16: aligned for its call. */
	set_initial_switch_frame(t, t->kstack + THREAD_KSTACK_SIZE - 16, kernel_thread_trampoline);
	return t;
}

struct thread *thread_create_user(struct process *p, uint64_t rip, uint64_t rsp, uint64_t arg,
				  uint64_t fs_base)
{
	struct thread *t = thread_alloc(p->name, true);
	struct trap_frame *tf;

	if (!t)
		return NULL;
	fpu_init();
	t->fpu = fpu_alloc();
	if (!t->fpu) {
		thread_free(t);
		return NULL;
	}
	fpu_reset(t->fpu);
	t->proc = p;
	t->fs_base = fs_base;
	/* The same frame an entry from ring 3 leaves at the stack top; the first
	 * "return" to ring 3 goes through the ordinary exit path. */
	tf = thread_user_frame(t);
	memset(tf, 0, sizeof(*tf));
	tf->rip = rip;
	tf->cs = USER_CS;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	tf->rsp = rsp;
	tf->ss = USER_SS;
	tf->rdi = arg;
	tf->vector = SYSCALL_FRAME_VECTOR;
	set_initial_switch_frame(t, (uintptr_t)tf, user_thread_trampoline);
	return t;
}

struct trap_frame *thread_user_frame(struct thread *t)
{
	return (struct trap_frame *)(t->kstack + THREAD_KSTACK_SIZE) - 1;
}

void thread_start(struct thread *t)
{
	ASSERT(t->state == THREAD_NEW);
	sched_enqueue(t);
}

/* Called by kernel_thread_trampoline on the new thread's stack. */
__noreturn void thread_kernel_start(void);
__noreturn void thread_kernel_start(void)
{
	struct thread *t;

	sched_finish_switch();
	irq_enable();
	t = current_thread();
	t->fn(t->arg);
	thread_exit();
}

__noreturn void thread_exit(void)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct runqueue *rq;

	ASSERT(t != this_cpu()->idle);
	irq_enable();
	if (p) {
		if (t->user_clear_tid && put_user_u32(t->user_clear_tid, 0) == 0)
			futex_wake(p, t->user_clear_tid, UINT32_MAX);
		/* Off the process's page tables before it may free them; nothing
		 * switches threads here, so the switch code cannot load them again. */
		aspace_activate(NULL);
		process_thread_exit(p, t);
		t->proc = NULL;
	}
	irq_disable();
	rq = this_cpu()->rq;
	spin_lock(&rq->lock);
	t->state = THREAD_DEAD;
	sched_switch_locked(rq);
	panic("thread %lu ran after its exit", t->tid);
}

void thread_interrupt(struct thread *t)
{
	uint32_t cpu;

	__atomic_store_n(&t->interrupt_pending, true, __ATOMIC_SEQ_CST);
	if (sched_unblock(t))
		return;
	/* Running elsewhere, perhaps in a guest (KVM_RUN): the IPI makes it exit,
	 * and the run loop sees interrupt_pending before entering again. */
	cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
	if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) && cpu != this_cpu()->cpu_id)
		ipi_kick(cpu);
}

void thread_kill(struct thread *t)
{
	uint32_t cpu;

	__atomic_store_n(&t->kill_pending, true, __ATOMIC_SEQ_CST);
	if (sched_unblock(t))
		return;
	/* Running elsewhere (in ring 3 or a guest): an interrupt brings it to
	 * thread_return_to_user(). Queued or running here: it gets there anyway. */
	cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
	if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) && cpu != this_cpu()->cpu_id)
		ipi_kick(cpu);
}

void thread_return_to_user(void)
{
	for (;;) {
		struct thread *t = current_thread();

		if (t->kill_pending)
			thread_exit();
		if (!sched_need_resched())
			break;
		schedule();
	}
	/* No timer to arm here: while the scheduler runs, its one-shot always
	 * is (sched_timer.c), re-armed by every switch and every tick. */
}
