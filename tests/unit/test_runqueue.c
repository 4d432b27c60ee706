/* unit-sources: hv/runqueue.c hv/format.c */
/* Run-queue order (priorities, round robin), sleeper order, and CPU placement. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/runqueue.h"

static struct thread threads[8];

static struct thread *mk(unsigned int i, uint32_t prio, uint64_t deadline)
{
	struct thread *t = &threads[i];

	memset(t, 0, sizeof(*t));
	t->tid = i + 1;
	t->priority = prio;
	t->deadline_ns = deadline;
	list_node_init(&t->run_node);
	list_node_init(&t->timer_node);
	return t;
}

static void empty_queue(void **state)
{
	struct runqueue rq;

	(void)state;
	runqueue_init(&rq, 3);
	assert_int_equal(rq.cpu, 3);
	assert_int_equal(runqueue_top_priority(&rq), -1);
	assert_null(runqueue_pop(&rq));
	assert_null(runqueue_first_sleeper(&rq));
	assert_int_equal(rq.nr_ready, 0);
}

static void priority_order(void **state)
{
	struct runqueue rq;

	(void)state;
	runqueue_init(&rq, 0);
	runqueue_push(&rq, mk(0, 4, 0));
	runqueue_push(&rq, mk(1, TERN_PRIORITY_MAX, 0));
	runqueue_push(&rq, mk(2, 0, 0));
	runqueue_push(&rq, mk(3, 16, 0));
	assert_int_equal(rq.nr_ready, 4);
	assert_int_equal(runqueue_top_priority(&rq), TERN_PRIORITY_MAX);
	assert_ptr_equal(runqueue_pop(&rq), &threads[1]);
	assert_ptr_equal(runqueue_pop(&rq), &threads[3]);
	assert_ptr_equal(runqueue_pop(&rq), &threads[0]);
	assert_int_equal(runqueue_top_priority(&rq), 0);
	assert_ptr_equal(runqueue_pop(&rq), &threads[2]);
	assert_null(runqueue_pop(&rq));
	assert_int_equal(rq.ready_mask, 0);
	assert_int_equal(rq.nr_ready, 0);
	/* Popped threads are unlinked: "queued?" is list_linked(run_node). */
	for (int i = 0; i < 4; i++)
		assert_false(list_linked(&threads[i].run_node));
}

/* The scheduler requeues the running thread at the tail: equal priorities take turns. */
static void round_robin(void **state)
{
	struct runqueue rq;
	struct thread *t;

	(void)state;
	runqueue_init(&rq, 0);
	for (unsigned int i = 0; i < 3; i++)
		runqueue_push(&rq, mk(i, 10, 0));
	for (unsigned int round = 0; round < 6; round++) {
		t = runqueue_pop(&rq);
		assert_ptr_equal(t, &threads[round % 3]);
		runqueue_push(&rq, t);
	}
	assert_int_equal(rq.nr_ready, 3);
}

static void remove_from_middle(void **state)
{
	struct runqueue rq;

	(void)state;
	runqueue_init(&rq, 0);
	runqueue_push(&rq, mk(0, 7, 0));
	runqueue_push(&rq, mk(1, 7, 0));
	runqueue_push(&rq, mk(2, 9, 0));
	runqueue_remove(&rq, &threads[2]);
	assert_int_equal(runqueue_top_priority(&rq), 7);
	runqueue_remove(&rq, &threads[0]);
	assert_int_equal(rq.nr_ready, 1);
	assert_ptr_equal(runqueue_pop(&rq), &threads[1]);
	assert_int_equal(runqueue_top_priority(&rq), -1);
}

static void sleepers_by_deadline(void **state)
{
	struct runqueue rq;

	(void)state;
	runqueue_init(&rq, 0);
	runqueue_add_sleeper(&rq, mk(0, 1, 300));
	runqueue_add_sleeper(&rq, mk(1, 1, 100));
	runqueue_add_sleeper(&rq, mk(2, 1, 200));
	runqueue_add_sleeper(&rq, mk(3, 1, 100));	/* same deadline: after the earlier one */
	runqueue_add_sleeper(&rq, mk(4, 1, UINT64_MAX));
	assert_ptr_equal(runqueue_first_sleeper(&rq), &threads[1]);
	runqueue_remove_sleeper(&threads[1]);
	assert_ptr_equal(runqueue_first_sleeper(&rq), &threads[3]);
	runqueue_remove_sleeper(&threads[2]);	/* from the middle (a wake-up) */
	runqueue_remove_sleeper(&threads[3]);
	assert_ptr_equal(runqueue_first_sleeper(&rq), &threads[0]);
	runqueue_remove_sleeper(&threads[0]);
	assert_ptr_equal(runqueue_first_sleeper(&rq), &threads[4]);
	runqueue_remove_sleeper(&threads[4]);
	assert_null(runqueue_first_sleeper(&rq));
	/* Removing twice is harmless (list_del leaves the node self-linked). */
	runqueue_remove_sleeper(&threads[4]);
	assert_null(runqueue_first_sleeper(&rq));
}

static void pick_least_loaded(void **state)
{
	uint32_t load[64] = { 0 };

	(void)state;
	load[0] = 2;
	load[1] = 1;
	load[2] = 3;
	load[3] = 1;
	assert_int_equal(sched_pick_cpu(load, 0xf, 0), 1);
	/* Tie between 1 and 3: the thread's previous CPU wins. */
	assert_int_equal(sched_pick_cpu(load, 0xf, 3), 3);
	/* Affinity excludes the least loaded. */
	assert_int_equal(sched_pick_cpu(load, 0x5, 1), 0);
	/* Single CPU, however loaded. */
	assert_int_equal(sched_pick_cpu(load, 1ULL << 2, 0), 2);
	/* The highest CPU number works. */
	load[63] = 0;
	assert_int_equal(sched_pick_cpu(load, (1ULL << 63) | 1, 0), 63);
	/* No candidate. */
	assert_int_equal(sched_pick_cpu(load, 0, 0), UINT32_MAX);
	/* Prefer outside the candidates changes nothing. */
	assert_int_equal(sched_pick_cpu(load, 0xa, 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_queue),
		cmocka_unit_test(priority_order),
		cmocka_unit_test(round_robin),
		cmocka_unit_test(remove_from_middle),
		cmocka_unit_test(sleepers_by_deadline),
		cmocka_unit_test(pick_least_loaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
