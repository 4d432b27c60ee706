/*
 * One CPU's run queue: a FIFO per priority and a bit mask of the non-empty
 * ones, plus the CPU's sleepers (threads blocked with a deadline, earliest
 * first), whose deadlines decide when the CPU's timer fires. Pure list
 * handling: sched.c holds rq->lock around every call.
 */
#ifndef HV_RUNQUEUE_H
#define HV_RUNQUEUE_H

#include "hv/thread.h"
#include "abi/include/tern/syscall.h"

#define SCHED_NR_PRIO		(TERN_PRIORITY_MAX + 1)

struct runqueue {
	spinlock_t lock;
	uint32_t cpu;			/* the CPU it belongs to */
	uint32_t ready_mask;		/* bit p: queue[p] is not empty */
	uint32_t nr_ready;
	struct list_node queue[SCHED_NR_PRIO];
	struct list_node sleepers;	/* struct thread.timer_node, by deadline_ns */
};

void runqueue_init(struct runqueue *rq, uint32_t cpu);
/* Appends @t to the FIFO of its priority (round robin: the tail runs last). */
void runqueue_push(struct runqueue *rq, struct thread *t);
/* Unlinks a thread runqueue_push() queued here. */
void runqueue_remove(struct runqueue *rq, struct thread *t);
/* The highest priority with a queued thread, -1 when empty. */
int runqueue_top_priority(const struct runqueue *rq);
/* Removes and returns the first thread of the highest priority, NULL when empty. */
struct thread *runqueue_pop(struct runqueue *rq);

/* Sleepers, ordered by deadline_ns (equal deadlines: first come, first woken). */
void runqueue_add_sleeper(struct runqueue *rq, struct thread *t);
void runqueue_remove_sleeper(struct thread *t);
/* The sleeper with the earliest deadline, NULL when none. */
struct thread *runqueue_first_sleeper(const struct runqueue *rq);

/*
 * Placement: among @candidates (a CPU mask: affinity & online), the CPU with
 * the smallest @load[cpu]; on a tie @prefer (the CPU the thread last ran on,
 * whose caches may still hold its data), else the lowest number. UINT32_MAX
 * when @candidates is empty.
 */
uint32_t sched_pick_cpu(const uint32_t *load, uint64_t candidates, uint32_t prefer);

#endif
