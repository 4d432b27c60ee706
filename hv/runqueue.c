/* Run-queue and sleeper-list bookkeeping (see hv/runqueue.h). */
#include "hv/runqueue.h"

void runqueue_init(struct runqueue *rq, uint32_t cpu)
{
	rq->lock = (spinlock_t)SPINLOCK_INIT;
	rq->cpu = cpu;
	rq->ready_mask = 0;
	rq->nr_ready = 0;
	for (unsigned int p = 0; p < SCHED_NR_PRIO; p++)
		list_init(&rq->queue[p]);
	list_init(&rq->sleepers);
}

void runqueue_push(struct runqueue *rq, struct thread *t)
{
	list_add_tail(&rq->queue[t->priority], &t->run_node);
	rq->ready_mask |= 1u << t->priority;
	rq->nr_ready++;
}

void runqueue_remove(struct runqueue *rq, struct thread *t)
{
	list_del(&t->run_node);
	if (list_empty(&rq->queue[t->priority]))
		rq->ready_mask &= ~(1u << t->priority);
	rq->nr_ready--;
}

int runqueue_top_priority(const struct runqueue *rq)
{
	return rq->ready_mask ? 31 - __builtin_clz(rq->ready_mask) : -1;
}

struct thread *runqueue_pop(struct runqueue *rq)
{
	int p = runqueue_top_priority(rq);
	struct thread *t;

	if (p < 0)
		return NULL;
	t = list_first(&rq->queue[p], struct thread, run_node);
	runqueue_remove(rq, t);
	return t;
}

void runqueue_add_sleeper(struct runqueue *rq, struct thread *t)
{
	struct list_node *pos;

	/* Walk from the back: a new deadline is usually the latest. */
	for (pos = rq->sleepers.prev; pos != &rq->sleepers; pos = pos->prev)
		if (list_entry(pos, struct thread, timer_node)->deadline_ns <= t->deadline_ns)
			break;
	list_insert_between(&t->timer_node, pos, pos->next);
}

void runqueue_remove_sleeper(struct thread *t)
{
	list_del(&t->timer_node);
}

struct thread *runqueue_first_sleeper(const struct runqueue *rq)
{
	if (list_empty(&rq->sleepers))
		return NULL;
	return list_first(&rq->sleepers, struct thread, timer_node);
}

uint32_t sched_pick_cpu(const uint32_t *load, uint64_t candidates, uint32_t prefer)
{
	uint32_t best = UINT32_MAX;

	for (uint64_t m = candidates; m; m &= m - 1) {
		uint32_t cpu = (uint32_t)__builtin_ctzll(m);

		if (best == UINT32_MAX || load[cpu] < load[best] ||
		    (load[cpu] == load[best] && cpu == prefer))
			best = cpu;
	}
	return best;
}
