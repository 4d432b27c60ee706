/*
 * Scheduler internals shared by sched.c, sched_switch.c, thread.c and
 * waitq.c. Nothing outside those files should need them.
 *
 * Locking: each CPU's run queue has a lock, always taken with interrupts off.
 * A thread's state changes under the lock of the run queue of t->cpu; t->cpu
 * itself changes only while the thread is RUNNABLE and on no queue (under
 * the new queue's lock), so a BLOCKED thread's CPU is stable.
 */
#ifndef HV_SCHED_PRIV_H
#define HV_SCHED_PRIV_H

#include "hv/sched.h"
#include "hv/runqueue.h"

struct percpu;

/* CPUs whose run queues exist (online at sched_init()). */
uint64_t sched_cpu_mask(void);

/* Bits set in @mask (no popcount instruction assumed, no libgcc). */
static inline uint32_t cpu_count(uint64_t mask)
{
	uint32_t n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}
struct runqueue *cpu_rq(uint32_t cpu);

/* Locks the run queue @t belongs to and returns it. @pre interrupts off. */
struct runqueue *thread_rq_lock(struct thread *t);

/*
 * Switches from the current thread to the best runnable one of this CPU:
 * requeues the current thread if it is still RUNNABLE (at the tail of its
 * priority), leaves it otherwise (BLOCKED, DEAD). @pre interrupts off and
 * @rq (this CPU's) locked; returns with @rq unlocked, interrupts still off,
 * once the calling thread runs again (a DEAD one never does).
 */
void sched_switch_locked(struct runqueue *rq);

/* Completes a switch on the new thread's side: releases the previous thread
 * (frees it when DEAD, moves it when its affinity excludes this CPU). */
void sched_finish_switch(void);

/* BLOCKED -> RUNNABLE and onto a run queue. False when @t was not blocked. */
bool sched_unblock(struct thread *t);

/* Chains the scheduler's tick into the LAPIC timer interrupt (sched_timer.c). */
void sched_timer_init(void);
/* Programs this CPU's timer for its next event. @pre interrupts off. */
void sched_arm_timer(void);

/* The machine part of a switch (sched_switch.c): FPU, FS base, TSS.rsp0,
 * address space. @pre interrupts off. */
void arch_thread_switch(struct percpu *pc, struct thread *prev, struct thread *next);

/* context_switch.S */
void switch_stacks(uintptr_t *save_ksp, uintptr_t load_ksp);

/* The idle thread of @cpu: the context that calls sched_run_cpu() there (thread.c). */
struct thread *thread_create_idle(uint32_t cpu);
/* Frees a thread nothing runs or refers to any more (thread.c). */
void thread_free(struct thread *t);

#endif
