/*
 * selftest=sched: the scheduler, blocking and wake-ups with kernel threads
 * only (no ring 3). A controller thread on CPU 0 runs the steps in order;
 * each step starts its own threads and waits for them with a timeout, so a
 * lost wake-up shows as a FAIL line rather than a hang. One summary line,
 * then power off.
 */
#include <stdarg.h>
#include "hv/selftest.h"
#include "hv/clock.h"
#include "hv/errno.h"
#include "hv/format.h"
#include "hv/frame.h"
#include "hv/log.h"
#include "hv/percpu.h"
#include "hv/sched_priv.h"
#include "hv/waitq.h"
#include "arch/x86/cpu.h"
#include "arch/x86/power.h"

#define MS			1000000ULL
#define STEP_TIMEOUT_NS		(20000 * MS)	/* generous: Bochs is slow */
#define RR_THREADS		3
#define RR_RUN_NS		(300 * MS)
#define PINGPONG_NS		(1000 * MS)
#define SLEEP_WORST_LIMIT_NS	(5 * MS)
#define LEAK_THREADS		64

static char fail_reason[128];
static uint32_t nr_cpus;
static uint32_t last_cpu;

static void fail(const char *fmt, ...) __printf(1, 2);
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (fail_reason[0])
		return;		/* the first failure is the one to report */
	va_start(ap, fmt);
	fmt_vsnprintf(fail_reason, sizeof(fail_reason), fmt, ap);
	va_end(ap);
}

/* A counter threads bump when done, and a queue to wait for it on. */
struct done {
	volatile uint32_t n;
	struct waitq q;
};

static void done_init(struct done *d)
{
	d->n = 0;
	waitq_init(&d->q);
}

static void done_signal(struct done *d)
{
	__atomic_fetch_add(&d->n, 1, __ATOMIC_SEQ_CST);
	waitq_wake_all(&d->q);
}

/* Waits for @d to reach @n; false on timeout. The waitq.h pattern. */
static bool done_wait(struct done *d, uint32_t n)
{
	uint64_t deadline = deadline_after(STEP_TIMEOUT_NS);
	struct wait_entry e;
	bool ok;

	waitq_add(&d->q, &e);
	for (;;) {
		thread_prepare_block();
		if (__atomic_load_n(&d->n, __ATOMIC_SEQ_CST) >= n) {
			ok = true;
			break;
		}
		if (thread_block(deadline, false)) {
			ok = __atomic_load_n(&d->n, __ATOMIC_SEQ_CST) >= n;
			break;
		}
	}
	waitq_remove(&e);
	return ok;
}

static void sleep_ns(uint64_t ns)
{
	uint64_t deadline = clock_ns() + ns;

	while (clock_ns() < deadline) {
		thread_prepare_block();
		thread_block(deadline, false);
	}
}

static struct thread *spawn(void (*fn)(void *), void *arg, uint32_t prio, uint64_t affinity)
{
	struct thread *t = thread_create_kernel("selftest", fn, arg);

	if (!t) {
		fail("out of memory for a thread");
		return NULL;
	}
	t->priority = prio;
	t->affinity = affinity;
	thread_start(t);
	return t;
}

/* ---- every CPU runs what is pinned to it; unpinned work spreads out ---- */

static uint32_t pinned_ran_on[MAX_CPUS];
static uint32_t spread_ran_on[2];
static struct done step_done;

static void pinned_fn(void *arg)
{
	pinned_ran_on[(uintptr_t)arg] = this_cpu()->cpu_id + 1;
	done_signal(&step_done);
}

static void spread_fn(void *arg)
{
	uint64_t until = clock_ns() + 50 * MS;

	spread_ran_on[(uintptr_t)arg] = this_cpu()->cpu_id + 1;
	while (clock_ns() < until)
		cpu_relax();	/* holds its CPU: the other thread must go elsewhere */
	done_signal(&step_done);
}

static void test_placement(void)
{
	done_init(&step_done);
	for (uint32_t cpu = 0; cpu < nr_cpus; cpu++)
		spawn(pinned_fn, (void *)(uintptr_t)cpu, TERN_PRIORITY_DEFAULT, 1ULL << cpu);
	if (!done_wait(&step_done, nr_cpus))
		return fail("pinned threads did not all run");
	for (uint32_t cpu = 0; cpu < nr_cpus; cpu++)
		if (pinned_ran_on[cpu] != cpu + 1)
			return fail("thread pinned to cpu %u ran on cpu %d", cpu,
				    (int)pinned_ran_on[cpu] - 1);
	if (nr_cpus < 2)
		return;
	done_init(&step_done);
	spawn(spread_fn, (void *)0, TERN_PRIORITY_DEFAULT, ~0ULL);
	spawn(spread_fn, (void *)1, TERN_PRIORITY_DEFAULT, ~0ULL);
	if (!done_wait(&step_done, 2))
		return fail("unpinned threads did not finish");
	if (spread_ran_on[0] == spread_ran_on[1])
		fail("two busy unpinned threads both ran on cpu %u", spread_ran_on[0] - 1);
}

/* ---- priorities: order on one CPU, and a remote wake-up preempting ---- */

static uint32_t prio_order[3];
static volatile uint32_t prio_pos;
static volatile bool low_running, high_done;
static uint32_t low_preempted, high_cpu;

static void prio_fn(void *arg)
{
	prio_order[__atomic_fetch_add(&prio_pos, 1, __ATOMIC_SEQ_CST)] = (uint32_t)(uintptr_t)arg;
	done_signal(&step_done);
}

static void low_spinner(void *arg)
{
	uint64_t until = clock_ns() + STEP_TIMEOUT_NS;

	(void)arg;
	low_running = true;
	while (!high_done && clock_ns() < until) {
		/* Kernel threads are not preempted: they poll, as long core loops do. */
		if (sched_need_resched()) {
			low_preempted++;
			schedule();
		}
		cpu_relax();
	}
	done_signal(&step_done);
}

static void high_fn(void *arg)
{
	(void)arg;
	high_cpu = this_cpu()->cpu_id;
	high_done = true;
	done_signal(&step_done);
}

static void test_priorities(void)
{
	uint64_t until;

	/* Queued behind the controller on CPU 0; they run by priority once it waits. */
	done_init(&step_done);
	spawn(prio_fn, (void *)4, 4, 1);
	spawn(prio_fn, (void *)16, 16, 1);
	spawn(prio_fn, (void *)24, 24, 1);
	if (!done_wait(&step_done, 3))
		return fail("priority threads did not all run");
	if (prio_order[0] != 24 || prio_order[1] != 16 || prio_order[2] != 4)
		return fail("priority order %u,%u,%u instead of 24,16,4", prio_order[0],
			    prio_order[1], prio_order[2]);
	if (nr_cpus < 2)
		return;

	/* A higher-priority thread made runnable from here preempts a spinner there. */
	done_init(&step_done);
	spawn(low_spinner, NULL, 4, 1ULL << last_cpu);
	until = clock_ns() + STEP_TIMEOUT_NS;
	while (!low_running && clock_ns() < until)
		sleep_ns(MS);
	spawn(high_fn, NULL, 24, 1ULL << last_cpu);
	if (!done_wait(&step_done, 2))
		return fail("a priority 24 thread did not preempt a priority 4 one on cpu %u",
			    last_cpu);
	if (high_cpu != last_cpu || !low_preempted)
		fail("preemption: high ran on cpu %u, low saw %u preemptions", high_cpu,
		     low_preempted);
}

/* ---- round robin inside one priority ---- */

static volatile bool rr_stop;
static volatile uint32_t rr_last = UINT32_MAX;
static uint32_t rr_turns[RR_THREADS];

static void rr_fn(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg;

	while (!rr_stop) {
		if (rr_last != me) {
			rr_turns[me]++;
			rr_last = me;
		}
		if (sched_need_resched())
			schedule();
		cpu_relax();
	}
	done_signal(&step_done);
}

static uint64_t rr_slice_ns;

static void test_round_robin(void)
{
	uint32_t total = 0;

	done_init(&step_done);
	for (uintptr_t i = 0; i < RR_THREADS; i++)
		spawn(rr_fn, (void *)i, 10, 1ULL << last_cpu);
	sleep_ns(RR_RUN_NS);
	rr_stop = true;
	if (!done_wait(&step_done, RR_THREADS))
		return fail("round-robin threads did not stop");
	for (uint32_t i = 0; i < RR_THREADS; i++) {
		if (rr_turns[i] < 3)
			return fail("round robin: thread %u got %u turns in %llu ms", i,
				    rr_turns[i], RR_RUN_NS / MS);
		total += rr_turns[i];
	}
	rr_slice_ns = RR_RUN_NS / total;
}

/* ---- timed blocking: how late thread_block() returns after a deadline ---- */

static uint64_t sleep_worst[MAX_CPUS], sleep_worst_ns;

static void sleeper_fn(void *arg)
{
	static const uint32_t delays_ms[] = { 1, 2, 3, 5, 10, 20, 50 };
	uint32_t cpu = (uint32_t)(uintptr_t)arg;

	for (size_t i = 0; i < ARRAY_SIZE(delays_ms); i++) {
		uint64_t deadline = clock_ns() + delays_ms[i] * MS, late;
		int r;

		thread_prepare_block();
		r = thread_block(deadline, false);
		late = clock_ns() - deadline;
		if (r != -ETIMEDOUT) {
			fail("thread_block(%u ms) returned %d, not -ETIMEDOUT", delays_ms[i], r);
			break;
		}
		if (late > sleep_worst[cpu])
			sleep_worst[cpu] = late;
	}
	done_signal(&step_done);
}

static void test_sleep(void)
{
	done_init(&step_done);
	for (uint32_t cpu = 0; cpu < nr_cpus; cpu++)
		spawn(sleeper_fn, (void *)(uintptr_t)cpu, 20, 1ULL << cpu);
	if (!done_wait(&step_done, nr_cpus))
		return fail("sleepers did not wake up");
	for (uint32_t cpu = 0; cpu < nr_cpus; cpu++)
		sleep_worst_ns = MAX(sleep_worst_ns, sleep_worst[cpu]);
	if (sleep_worst_ns > SLEEP_WORST_LIMIT_NS)
		fail("a timed block returned %lu us late", sleep_worst_ns / 1000);
}

/* ---- ping-pong through wait queues between two CPUs ---- */

static volatile uint32_t token;
static volatile bool pp_stop;
static struct waitq pp_q[2];
static uint32_t pp_rounds;

/* Waits on pp_q[me] until the token is @me's or the test stops. */
static bool pp_wait(uint32_t me)
{
	struct wait_entry e;
	bool go;

	waitq_add(&pp_q[me], &e);
	for (;;) {
		thread_prepare_block();
		if (pp_stop || token == me)
			break;
		thread_block(DEADLINE_NONE, false);
	}
	go = !pp_stop;
	waitq_remove(&e);
	return go;
}

static void pp_fn(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg;

	while (pp_wait(me)) {
		if (me == 0)
			pp_rounds++;
		token = !me;
		waitq_wake_all(&pp_q[!me]);
	}
	done_signal(&step_done);
}

static void test_pingpong(void)
{
	done_init(&step_done);
	waitq_init(&pp_q[0]);
	waitq_init(&pp_q[1]);
	spawn(pp_fn, (void *)0, 20, 1);
	spawn(pp_fn, (void *)1, 20, 1ULL << last_cpu);
	sleep_ns(PINGPONG_NS);
	pp_stop = true;
	waitq_wake_all(&pp_q[0]);
	waitq_wake_all(&pp_q[1]);
	if (!done_wait(&step_done, 2))
		return fail("ping-pong threads did not stop");
	if (pp_rounds < 20)
		fail("only %u ping-pong round trips in %llu ms", pp_rounds, PINGPONG_NS / MS);
}

/* ---- thread_interrupt() and thread_kill() end waits with -EINTR ---- */

enum intr_case { BLOCKED_INTERRUPTED, PENDING_BEFORE, NOT_INTERRUPTIBLE, KILLED, NR_INTR };
static int intr_result[NR_INTR], intr_second;

static void intr_fn(void *arg)
{
	enum intr_case c = (enum intr_case)(uintptr_t)arg;

	thread_prepare_block();
	if (c == NOT_INTERRUPTIBLE) {
		intr_result[c] = thread_block(clock_ns() + 100 * MS, false);
		/* The interrupt stays pending for the next interruptible wait. */
		thread_prepare_block();
		intr_second = thread_block(clock_ns() + STEP_TIMEOUT_NS, true);
	} else {
		intr_result[c] = thread_block(c == PENDING_BEFORE ? clock_ns() + STEP_TIMEOUT_NS :
					      DEADLINE_NONE, true);
	}
	done_signal(&step_done);
}

static bool wait_blocked(struct thread *t)
{
	uint64_t until = clock_ns() + STEP_TIMEOUT_NS;

	while (t->state != THREAD_BLOCKED)
		if (clock_ns() > until)
			return false;
		else
			sleep_ns(MS);
	return true;
}

static void test_interrupt(void)
{
	struct thread *t[NR_INTR];
	uint64_t other = 1ULL << last_cpu;

	done_init(&step_done);
	t[BLOCKED_INTERRUPTED] = spawn(intr_fn, (void *)BLOCKED_INTERRUPTED, 20, other);
	t[NOT_INTERRUPTIBLE] = spawn(intr_fn, (void *)NOT_INTERRUPTIBLE, 20, other);
	t[KILLED] = spawn(intr_fn, (void *)KILLED, 20, other);
	t[PENDING_BEFORE] = thread_create_kernel("selftest", intr_fn, (void *)PENDING_BEFORE);
	if (!t[BLOCKED_INTERRUPTED] || !t[NOT_INTERRUPTIBLE] || !t[KILLED] || !t[PENDING_BEFORE])
		return fail("out of memory for a thread");
	thread_interrupt(t[PENDING_BEFORE]);
	t[PENDING_BEFORE]->affinity = other;
	thread_start(t[PENDING_BEFORE]);
	if (!wait_blocked(t[BLOCKED_INTERRUPTED]) || !wait_blocked(t[NOT_INTERRUPTIBLE]) ||
	    !wait_blocked(t[KILLED]))
		return fail("interrupt test threads did not block");
	thread_interrupt(t[BLOCKED_INTERRUPTED]);
	thread_interrupt(t[NOT_INTERRUPTIBLE]);
	thread_kill(t[KILLED]);
	if (!done_wait(&step_done, NR_INTR))
		return fail("interrupted threads did not finish");
	if (intr_result[BLOCKED_INTERRUPTED] != -EINTR)
		return fail("thread_interrupt on a blocked thread: %d", intr_result[BLOCKED_INTERRUPTED]);
	if (intr_result[PENDING_BEFORE] != -EINTR)
		return fail("pending interrupt before blocking: %d", intr_result[PENDING_BEFORE]);
	if (intr_result[NOT_INTERRUPTIBLE] != -ETIMEDOUT || intr_second != -EINTR)
		return fail("uninterruptible block: %d then %d", intr_result[NOT_INTERRUPTIBLE],
			    intr_second);
	if (intr_result[KILLED] != -EINTR)
		fail("thread_kill on a blocked thread: %d", intr_result[KILLED]);
}

/* ---- exited threads give all their memory back ---- */

static void short_fn(void *arg)
{
	(void)arg;
	done_signal(&step_done);
}

static bool run_short_threads(void)
{
	done_init(&step_done);
	for (uint32_t i = 0; i < LEAK_THREADS; i++)
		if (!spawn(short_fn, NULL, 20, ~0ULL))
			return false;
	if (!done_wait(&step_done, LEAK_THREADS)) {
		fail("short-lived threads did not run");
		return false;
	}
	sleep_ns(20 * MS);	/* each is freed by the switch after its exit */
	return true;
}

static void test_leak(void)
{
	uint64_t before;

	if (!run_short_threads())	/* warms the heap up */
		return;
	before = frame_free_pages();
	if (!run_short_threads())
		return;
	if (frame_free_pages() != before)
		fail("%u threads came and went, free frames %llu -> %llu", LEAK_THREADS,
		     (unsigned long long)before, (unsigned long long)frame_free_pages());
}

static const struct {
	const char *name;
	void (*run)(void);
} steps[] = {
	{ "placement", test_placement },
	{ "priorities", test_priorities },
	{ "round robin", test_round_robin },
	{ "timed blocking", test_sleep },
	{ "ping-pong", test_pingpong },
	{ "interrupt and kill", test_interrupt },
	{ "thread memory", test_leak },
};

static void controller(void *arg)
{
	(void)arg;
	nr_cpus = cpu_count(sched_cpu_mask());
	last_cpu = 63 - (uint32_t)__builtin_clzll(sched_cpu_mask());
	pr_info("selftest sched: %u cpus\n", nr_cpus);
	for (size_t i = 0; i < ARRAY_SIZE(steps) && !fail_reason[0]; i++) {
		steps[i].run();
		pr_debug("selftest sched: %s %s\n", steps[i].name, fail_reason[0] ? "failed" : "ok");
	}
	if (fail_reason[0])
		pr_info("selftest sched: FAIL %s\n", fail_reason);
	else
		pr_info("selftest sched: PASS cpus=%u rr_slice_us=%lu rr_turns=%u/%u/%u "
			"sleep_worst_us=%lu pingpong_per_s=%u\n", nr_cpus, rr_slice_ns / 1000,
			rr_turns[0], rr_turns[1], rr_turns[2], sleep_worst_ns / 1000, pp_rounds);
	power_off();
}

void selftest_sched_start(void)
{
	if (!spawn(controller, NULL, TERN_PRIORITY_DEFAULT, 1))
		pr_info("selftest sched: FAIL %s\n", fail_reason);
}
