/*
 * SDK sample: threads on several CPUs with a mutex and a condition variable,
 * thread-local errno and __thread variables, once, keys with destructors,
 * join/detach, timed waits on both clocks, and pthread_kill interrupting a
 * blocked sleep with EINTR, and an eventfd ping-pong between two threads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define THREADS	8
#define ROUNDS	10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int started;
static __thread int tls_value = 7;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;
static volatile int handler_runs;
static int failures;
static int ping, pong;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED); \
		}							\
	} while (0)

static void once_fn(void)
{
	once_runs++;
}

static void key_destructor(void *v)
{
	(void)v;
	__atomic_add_fetch(&destructor_runs, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	long id = (long)arg;

	CHECK(tls_value == 7);
	tls_value = (int)id;
	errno = (int)id + 100;
	pthread_once(&once, once_fn);
	pthread_setspecific(key, arg ? arg : (void *)1);

	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	CHECK(errno == (int)id + 100 && tls_value == (int)id);
	return (void *)(id * 2);
}

static void on_usr1(int sig)
{
	(void)sig;
	handler_runs++;
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 10, 0 };
	int r;

	(void)arg;
	r = nanosleep(&ts, NULL);
	return (void *)(long)(r == -1 && errno == EINTR);
}

static void *ponger(void *arg)
{
	eventfd_t v;

	(void)arg;
	for (int i = 0; i < 100; i++) {
		if (eventfd_read(ping, &v) != 0 || v != 1)
			return (void *)1;
		eventfd_write(pong, 1);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS], s;
	pthread_condattr_t ca;
	pthread_cond_t mono;
	struct timespec ts;
	void *res;
	eventfd_t v;

	CHECK(pthread_key_create(&key, key_destructor) == 0);
	for (long i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
	for (long i = 0; i < THREADS; i++) {
		CHECK(pthread_join(t[i], &res) == 0);
		CHECK((long)res == i * 2);
	}
	printf("counter=%ld (expect %d) once=%d destructors=%d\n", counter, THREADS * ROUNDS,
	       once_runs, destructor_runs);
	CHECK(counter == THREADS * ROUNDS && once_runs == 1 && destructor_runs == THREADS);

	/* Timed waits: REALTIME by default, MONOTONIC through the attribute. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mono, &ca);
	pthread_mutex_lock(&lock);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	CHECK(pthread_cond_timedwait(&mono, &lock, &ts) == ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 0;
	ts.tv_nsec = ts.tv_nsec >= 980000000L ? 999999999L : ts.tv_nsec + 20000000L;
	CHECK(pthread_cond_timedwait(&cond, &lock, &ts) == ETIMEDOUT);
	pthread_mutex_unlock(&lock);

	/* pthread_kill interrupts a blocked call; the handler runs in that thread. */
	signal(SIGUSR1, on_usr1);
	CHECK(pthread_create(&s, NULL, sleeper, NULL) == 0);
	usleep(50 * 1000);
	CHECK(pthread_kill(s, 0) == 0);
	CHECK(pthread_kill(s, SIGUSR1) == 0);
	CHECK(pthread_join(s, &res) == 0);
	CHECK((long)res == 1 && handler_runs == 1);

	ping = eventfd(0, 0);
	pong = eventfd(0, 0);
	CHECK(pthread_create(&s, NULL, ponger, NULL) == 0);
	for (int i = 0; i < 100; i++) {
		eventfd_write(ping, 1);
		CHECK(eventfd_read(pong, &v) == 0 && v == 1);
	}
	CHECK(pthread_join(s, &res) == 0 && res == NULL);
	printf("ping-pong: 100 round trips\n");

	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
