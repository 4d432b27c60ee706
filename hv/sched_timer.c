/*
 * The scheduler's use of the LAPIC timer. Each CPU runs it one-shot, armed
 * for the earliest of: the end of the running thread's slice, the earliest
 * deadline among the threads blocked on this CPU, and one slice from now.
 * The last keeps every CPU ticking at least every SCHED_SLICE_NS, because the
 * guest watchdog (lapic_timer_hook, hv/vcpu_run.c) watches the other CPUs
 * from each CPU's tick, and because the guest run loop relies on this timer
 * alone to get back from a guest that never exits. Nothing else may
 * reprogram the timer while the scheduler runs on a CPU.
 */
#include "hv/sched_priv.h"
#include "hv/clock.h"
#include "hv/percpu.h"
#include "arch/x86/lapic.h"

/* Shorter timers than this are not worth an interrupt: the event is due. */
#define TIMER_MIN_NS	2000ULL

static void (*chained_hook)(void);

void sched_arm_timer(void)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;
	uint64_t now = clock_ns(), when = now + SCHED_SLICE_NS;
	struct thread *first;

	if (!pc->sched_running)
		return;
	/* A slice that is already over has set need_resched or has no rival:
	 * arming for it again would only be an interrupt storm. */
	if (pc->current != pc->idle && pc->current->slice_end_ns > now)
		when = MIN(when, pc->current->slice_end_ns);
	spin_lock(&rq->lock);
	first = runqueue_first_sleeper(rq);
	if (first)
		when = MIN(when, first->deadline_ns);
	spin_unlock(&rq->lock);
	/* An armed timer that fires earlier is fine: the tick re-arms. */
	if (pc->timer_armed_ns > now && pc->timer_armed_ns <= when)
		return;
	lapic_timer_oneshot_ns(when > now + TIMER_MIN_NS ? when - now : TIMER_MIN_NS);
	pc->timer_armed_ns = when;
}

/* Wakes this CPU's sleepers whose deadline passed (their thread_block()
 * returns -ETIMEDOUT). Interrupt context. */
static void wake_expired(struct percpu *pc, uint64_t now)
{
	struct runqueue *rq = pc->rq;

	for (;;) {
		struct thread *t;

		spin_lock(&rq->lock);
		t = runqueue_first_sleeper(rq);
		if (!t || t->deadline_ns > now) {
			spin_unlock(&rq->lock);
			return;
		}
		runqueue_remove_sleeper(t);
		/* Blocked here, and this CPU finished switching away from it. */
		t->state = THREAD_RUNNABLE;
		spin_unlock(&rq->lock);
		sched_enqueue(t);
	}
}

static void sched_tick(void)
{
	struct percpu *pc = this_cpu();
	struct thread *cur;
	uint64_t now;

	if (chained_hook)
		chained_hook();
	if (!pc->sched_running)
		return;
	now = clock_ns();
	wake_expired(pc, now);
	cur = pc->current;
	if (cur != pc->idle && now >= cur->slice_end_ns &&
	    runqueue_top_priority(pc->rq) >= (int)cur->priority)
		pc->need_resched = true;
	pc->timer_armed_ns = 0;		/* it just fired */
	sched_arm_timer();
}

void sched_timer_init(void)
{
	chained_hook = lapic_timer_hook;
	lapic_timer_hook = sched_tick;
}
