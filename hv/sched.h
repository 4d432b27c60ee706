/*
 * The scheduler: one run queue per CPU, strict priorities (higher first) with
 * round-robin time slices inside a priority, per-thread CPU affinity, idle
 * CPUs halt. The core is not preemptible: a thread gives up the CPU in
 * schedule() (blocking, yielding, exiting) or, when its slice ends, on its
 * way back to ring 3.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "hv/thread.h"

#define SCHED_SLICE_NS		(10 * 1000 * 1000ULL)

/* Sets up the boot CPU's idle thread and the run queues. @pre smp_boot() ran. */
void sched_init(void);
/* Enters the scheduler on the calling CPU, never returns: every CPU calls it
 * once at the end of its bring-up (the boot CPU from kernel_main). */
__noreturn void sched_run_cpu(void);
/*
 * Starts scheduling everywhere: the application processors leave the idle
 * loop of their bring-up (smp.c) for sched_run_cpu(), then the calling boot
 * CPU enters it too. Called once by kernel_main after sched_init() and
 * whatever it wants to run first (test guests, benchmarks, the first process).
 */
__noreturn void sched_start_all(void);
/* True once sched_start_all() was called. */
bool sched_started(void);

/* Puts a RUNNABLE thread on a run queue (the best CPU in its affinity) and
 * kicks that CPU if it should preempt what it runs. */
void sched_enqueue(struct thread *t);
/* Gives up the CPU; returns when the calling thread runs again (at once if it
 * is still RUNNABLE and nothing better is waiting). */
void schedule(void);
void sched_yield(void);
/* True when the current thread should call schedule() soon (slice over, or a
 * higher-priority thread became runnable here). Cheap: polled by long core
 * loops such as the guest run loop. */
bool sched_need_resched(void);

int sched_set_priority(struct thread *t, uint32_t prio);
int sched_set_affinity(struct thread *t, uint64_t mask);

#endif
