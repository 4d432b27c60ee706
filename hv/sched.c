/*
 * The scheduler: per-CPU run queues (runqueue.c), strict priorities with
 * round robin inside one, affinity, placement on the least-loaded allowed
 * CPU, and an idle thread per CPU. Locking rules: hv/sched_priv.h.
 */
#include "hv/sched_priv.h"
#include "hv/clock.h"
#include "hv/errno.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/lapic.h"
#include "arch/x86/syscall_entry.h"

#define RFLAGS_IF	(1UL << 9)

static uint64_t cpu_mask;
static volatile bool started;

uint64_t sched_cpu_mask(void)
{
	return cpu_mask;
}

struct runqueue *cpu_rq(uint32_t cpu)
{
	return percpu_by_id[cpu]->rq;
}

bool sched_started(void)
{
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

struct runqueue *thread_rq_lock(struct thread *t)
{
	for (;;) {
		uint32_t cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
		struct runqueue *rq = cpu_rq(cpu);

		spin_lock(&rq->lock);
		if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == cpu)
			return rq;
		spin_unlock(&rq->lock);
	}
}

/* After reading what it needs under thread_rq_lock(): still the right queue?
 * (A load after the reads, so a thread that moved on is noticed.) */
static bool rq_still_owns(struct runqueue *rq, struct thread *t)
{
	if (__atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE) == rq->cpu)
		return true;
	spin_unlock(&rq->lock);
	return false;
}

static uint64_t irq_save(void)
{
	uint64_t flags = read_rflags();

	irq_disable();
	return flags;
}

static void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

/* Makes @cpu look at its queue: at once if it is this one, else by an IPI. */
static void resched_cpu(uint32_t cpu)
{
	percpu_by_id[cpu]->need_resched = true;
	if (cpu != this_cpu()->cpu_id)
		ipi_kick(cpu);
}

/* Threads running or waiting on @pc, for placement. Racy by design: a hint. */
static uint32_t cpu_load(const struct percpu *pc)
{
	const struct thread *cur = pc->current;

	return pc->rq->nr_ready + (cur && cur != pc->idle ? 1 : 0);
}

void sched_enqueue(struct thread *t)
{
	uint32_t load[MAX_CPUS] = { 0 };
	uint64_t candidates = t->affinity & cpu_mask, flags;
	struct runqueue *rq;
	struct percpu *pc;
	struct thread *cur;
	uint32_t cpu;
	bool kick;

	if (!candidates)
		candidates = cpu_mask;	/* set_affinity refuses this; never strand a thread */
	for (uint64_t m = candidates; m; m &= m - 1) {
		cpu = (uint32_t)__builtin_ctzll(m);
		load[cpu] = cpu_load(percpu_by_id[cpu]);
	}
	cpu = sched_pick_cpu(load, candidates, t->cpu);
	if (cpu == UINT32_MAX)
		panic("sched: thread %lu started before sched_init()", t->tid);

	flags = irq_save();
	rq = cpu_rq(cpu);
	pc = percpu_by_id[cpu];
	spin_lock(&rq->lock);
	__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
	t->state = THREAD_RUNNABLE;
	runqueue_push(rq, t);
	cur = pc->current;
	kick = !cur || cur == pc->idle || cur->priority < t->priority;
	/*
	 * A rival of the same priority for a thread whose slice is over: the
	 * tick at the slice end found none, so nothing else would set the flag
	 * before the next tick. No IPI: the thread meets it at its next poll.
	 */
	if (!kick && cur->priority == t->priority && clock_ns() >= cur->slice_end_ns)
		pc->need_resched = true;
	spin_unlock(&rq->lock);
	if (kick)
		resched_cpu(cpu);
	irq_restore(flags);
}

void sched_switch_locked(struct runqueue *rq)
{
	struct percpu *pc = this_cpu();
	struct thread *prev = pc->current, *next;

	pc->need_resched = false;
	if (prev != pc->idle && prev->state == THREAD_RUNNABLE) {
		if (prev->affinity & (1ULL << pc->cpu_id))
			runqueue_push(rq, prev);
		else
			pc->switch_migrate = true;	/* queued elsewhere once off this stack */
	}
	next = runqueue_pop(rq);
	if (!next)
		next = pc->idle;
	next->slice_end_ns = clock_ns() + SCHED_SLICE_NS;
	if (next == prev) {
		spin_unlock(&rq->lock);
		sched_arm_timer();
		return;
	}
	next->on_cpu = true;
	pc->switch_prev = prev;
	pc->current = next;
	spin_unlock(&rq->lock);
	arch_thread_switch(pc, prev, next);
	switch_stacks(&prev->ksp, next->ksp);
	/* Running again, possibly on another CPU, switched to by someone else. */
	sched_finish_switch();
}

void sched_finish_switch(void)
{
	struct percpu *pc = this_cpu();
	struct thread *prev = pc->switch_prev;
	bool migrate = pc->switch_migrate, dead;

	pc->switch_prev = NULL;
	pc->switch_migrate = false;
	dead = prev->state == THREAD_DEAD;
	/* From here on another CPU may run @prev (a waker spins on on_cpu). */
	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	if (dead)
		thread_free(prev);
	else if (migrate)
		sched_enqueue(prev);
	sched_arm_timer();
}

void schedule(void)
{
	uint64_t flags = irq_save();
	struct percpu *pc = this_cpu();

	ASSERT(pc->sched_running);
	spin_lock(&pc->rq->lock);
	sched_switch_locked(pc->rq);
	irq_restore(flags);
}

void sched_yield(void)
{
	schedule();
}

/*
 * Only the flag: whoever makes a switch due sets it (the tick at a slice end
 * with a rival waiting, sched_enqueue for a better or a waiting rival, the
 * priority and affinity changes), so the polls of the hot paths (every guest
 * entry, every return to ring 3) need no run-queue scan and no clock read.
 */
bool sched_need_resched(void)
{
	struct percpu *pc = this_cpu();

	return pc->sched_running && pc->need_resched;
}

bool sched_unblock(struct thread *t)
{
	uint64_t flags = irq_save();
	struct runqueue *rq;
	enum thread_state state;

	do {
		rq = thread_rq_lock(t);
		state = t->state;
	} while (!rq_still_owns(rq, t));
	if (state != THREAD_BLOCKED) {
		spin_unlock(&rq->lock);
		irq_restore(flags);
		return false;
	}
	if (list_linked(&t->timer_node))
		runqueue_remove_sleeper(t);
	t->state = THREAD_RUNNABLE;
	spin_unlock(&rq->lock);
	/* It may still be switching away on its CPU: not runnable elsewhere until done. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	sched_enqueue(t);
	irq_restore(flags);
	return true;
}

int sched_set_priority(struct thread *t, uint32_t prio)
{
	struct runqueue *rq;
	struct percpu *pc;
	uint64_t flags;
	bool queued, resched;

	if (prio > TERN_PRIORITY_MAX)
		return -EINVAL;
	flags = irq_save();
	do {
		rq = thread_rq_lock(t);
		queued = list_linked(&t->run_node);
	} while (!rq_still_owns(rq, t));
	pc = percpu_by_id[rq->cpu];
	if (queued) {
		runqueue_remove(rq, t);
		t->priority = prio;
		runqueue_push(rq, t);
	} else {
		t->priority = prio;
	}
	/* Running: a lower priority may let a queued thread in; queued: it may beat the runner. */
	resched = pc->current == t || (queued && pc->current->priority < prio);
	spin_unlock(&rq->lock);
	if (resched)
		resched_cpu(rq->cpu);
	irq_restore(flags);
	return 0;
}

int sched_set_affinity(struct thread *t, uint64_t mask)
{
	struct runqueue *rq;
	uint64_t flags;
	bool queued, move = false, resched = false;

	if (!(mask & cpu_mask))
		return -EINVAL;
	flags = irq_save();
	do {
		rq = thread_rq_lock(t);
		queued = list_linked(&t->run_node);
	} while (!rq_still_owns(rq, t));
	t->affinity = mask;
	if (!(mask & (1ULL << rq->cpu))) {
		if (queued) {
			runqueue_remove(rq, t);
			move = true;
		} else if (percpu_by_id[rq->cpu]->current == t) {
			resched = true;		/* sched_switch_locked() moves it */
		}
	}
	spin_unlock(&rq->lock);
	if (move) {
		/* Requeued by its CPU's last switch, it may not have left that stack yet. */
		while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
			cpu_relax();
		sched_enqueue(t);
	}
	if (resched)
		resched_cpu(rq->cpu);
	irq_restore(flags);
	return 0;
}

void sched_init(void)
{
	struct percpu *me = this_cpu();

	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct percpu *pc = percpu_by_id[cpu];
		struct runqueue *rq;

		if (!pc || !pc->online)
			continue;
		rq = kzalloc(sizeof(*rq));
		pc->idle = thread_create_idle(cpu);
		if (!rq || !pc->idle)
			panic("sched: out of memory for cpu %u's run queue", cpu);
		runqueue_init(rq, cpu);
		pc->rq = rq;
		cpu_mask |= 1ULL << cpu;
	}
	/* The boot CPU's current context becomes its idle thread. */
	me->idle->on_cpu = true;
	me->current = me->idle;
	ipi_init();
	sched_timer_init();
	pr_info("sched: %u cpus, %u priorities, %llu ms slices\n",
		(unsigned int)cpu_count(cpu_mask), SCHED_NR_PRIO,
		SCHED_SLICE_NS / 1000000ULL);
}

/* The idle thread: halts with interrupts on until something is runnable. */
static __noreturn void idle_loop(struct percpu *pc)
{
	for (;;) {
		irq_disable();
		if (pc->need_resched || pc->rq->nr_ready) {
			schedule();
			continue;
		}
		/* sti's one-instruction delay: no wake-up slips in before the hlt. */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

__noreturn void sched_run_cpu(void)
{
	struct percpu *pc = this_cpu();

	irq_disable();
	ASSERT(pc->rq && pc->idle);
	syscall_init_cpu();
	pc->idle->on_cpu = true;
	pc->current = pc->idle;
	/* The timer becomes one-shot, the scheduler's (also the AP tick's replacement). */
	lapic_timer_stop();
	pc->timer_armed_ns = 0;
	pc->sched_running = true;
	sched_arm_timer();
	idle_loop(pc);
}

void sched_start_all(void)
{
	uint32_t me = this_cpu()->cpu_id;

	__atomic_store_n(&started, true, __ATOMIC_RELEASE);
	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++)
		if ((cpu_mask & (1ULL << cpu)) && cpu != me)
			ipi_kick(cpu);
	sched_run_cpu();
}
