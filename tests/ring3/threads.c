/*
 * Threads on every CPU: each worker pins itself to one CPU
 * (tern_thread_set affinity) and reads its APIC ID with CPUID, so the test
 * sees that the workers really ran on distinct CPUs; they share a counter
 * under a mutex, start together on a condition-variable broadcast, run
 * double arithmetic (per-thread FPU state across preemption), and two of them
 * on different CPUs hand a token back and forth through a condition
 * variable. Usage: threads [NCPUS] (default: sysconf).
 */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern/tern.h>
#include <time.h>
#include <unistd.h>

#include "lib/r3.h"

#define MAX_CPUS	8
#define PER_CPU		2
#define ITER		2000
#define HANDOFFS	300

struct worker {
	pthread_t thread;
	int index, cpu;
	int apic;		/* -1: changed while pinned */
	double result;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static bool go;
static int finished;
static long counter;
static int ncpus;

static pthread_mutex_t token_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t token_cv = PTHREAD_COND_INITIALIZER;
static int token_turn, token_passes;

static int apic_id(void)
{
	unsigned int a, b, c, d;

	__cpuid(1, a, b, c, d);
	return (int)(b >> 24);
}

/* Deterministic double work, different per seed, the same in every thread. */
static double fp_work(int seed)
{
	double x = seed + 0.5, acc = 0;

	for (int i = 1; i <= 3000; i++) {
		x = x * 1.0000001 + 1.0 / i;
		acc += x / (i + seed);
	}
	return acc;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	if (tern_thread_set(0, TERN_THREAD_AFFINITY, 1ull << w->cpu))
		r3_check(false, "worker %d: affinity to cpu %d: %s", w->index, w->cpu,
			 strerror(errno));
	/* Blocking and waking puts the thread on a CPU its affinity allows. */
	usleep(1000);
	w->apic = apic_id();

	pthread_mutex_lock(&lock);
	while (!go)
		pthread_cond_wait(&start_cv, &lock);
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 500 == 0 && apic_id() != w->apic)
			w->apic = -1;
	}
	w->result = fp_work(w->index);
	if (apic_id() != w->apic)
		w->apic = -1;

	pthread_mutex_lock(&lock);
	finished++;
	pthread_cond_signal(&done_cv);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Two of these, pinned to different CPUs, pass a token HANDOFFS times. */
static void *token_main(void *arg)
{
	int me = (int)(long)arg;

	tern_thread_set(0, TERN_THREAD_AFFINITY, 1ull << (me % ncpus));
	usleep(1000);
	pthread_mutex_lock(&token_lock);
	for (int i = 0; i < HANDOFFS; i++) {
		while (token_turn != me)
			pthread_cond_wait(&token_cv, &token_lock);
		token_passes++;
		token_turn = !me;
		pthread_cond_signal(&token_cv);
	}
	pthread_mutex_unlock(&token_lock);
	return NULL;
}

static void timed_wait_expires(void)
{
	struct timespec ts;
	uint64_t t0 = r3_now_ns(), ms;
	int rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	rc = pthread_cond_timedwait(&done_cv, &lock, &ts);
	pthread_mutex_unlock(&lock);
	ms = (r3_now_ns() - t0) / 1000000;
	r3_check(rc == ETIMEDOUT, "pthread_cond_timedwait returned %d, want ETIMEDOUT", rc);
	r3_check(ms >= 29 && ms < 1000, "30 ms timed wait took %llu ms", (unsigned long long)ms);
}

int main(int argc, char **argv)
{
	static struct worker w[MAX_CPUS * PER_CPU];
	int apic_of_cpu[MAX_CPUS], nr, distinct = 0;
	pthread_t tok[2];
	struct timespec ts;

	r3_start(argv[0]);
	ncpus = argc > 1 ? atoi(argv[1]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1 || ncpus > MAX_CPUS) {
		printf("%s: bad CPU count %d (1..%d)\n", r3_name(), ncpus, MAX_CPUS);
		return 2;
	}
	nr = ncpus * PER_CPU;

	for (int i = 0; i < nr; i++) {
		w[i].index = i;
		w[i].cpu = i % ncpus;
		r3_check(pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0,
			 "pthread_create %d", i);
	}
	pthread_mutex_lock(&lock);
	go = true;
	pthread_cond_broadcast(&start_cv);
	/* Bounded: a lost wake-up shows as a failure, not a hung test. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 60;
	while (finished < nr) {
		int rc = pthread_cond_timedwait(&done_cv, &lock, &ts);

		if (rc) {
			r3_check(false, "pthread_cond_timedwait: %s with %d of %d workers finished",
				 strerror(rc), finished, nr);
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < nr; i++)
		pthread_join(w[i].thread, NULL);

	r3_check(counter == (long)nr * ITER, "counter %ld, want %ld", counter, (long)nr * ITER);
	for (int c = 0; c < ncpus; c++)
		apic_of_cpu[c] = -2;
	for (int i = 0; i < nr; i++) {
		int c = w[i].cpu;

		r3_check(w[i].result == fp_work(i), "worker %d: double result differs", i);
		if (!r3_check(w[i].apic >= 0, "worker %d pinned to cpu %d changed CPU", i, c))
			continue;
		if (apic_of_cpu[c] == -2)
			apic_of_cpu[c] = w[i].apic;
		r3_check(apic_of_cpu[c] == w[i].apic, "cpu %d: workers saw APIC IDs %d and %d", c,
			 apic_of_cpu[c], w[i].apic);
	}
	printf("%s: %d workers;", r3_name(), nr);
	for (int c = 0; c < ncpus; c++) {
		bool seen = false;

		for (int d = 0; d < c; d++)
			seen |= apic_of_cpu[d] == apic_of_cpu[c];
		distinct += !seen && apic_of_cpu[c] >= 0;
		printf(" cpu%d=apic%d", c, apic_of_cpu[c]);
	}
	printf("\n");
	r3_check(distinct == ncpus, "workers ran on %d distinct CPUs, want %d", distinct, ncpus);

	pthread_create(&tok[0], NULL, token_main, (void *)0L);
	pthread_create(&tok[1], NULL, token_main, (void *)1L);
	pthread_join(tok[0], NULL);
	pthread_join(tok[1], NULL);
	r3_check(token_passes == 2 * HANDOFFS, "token passed %d times, want %d", token_passes,
		 2 * HANDOFFS);

	timed_wait_expires();
	return r3_done();
}
