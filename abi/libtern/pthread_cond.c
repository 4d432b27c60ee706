/*
 * Condition variables on a sequence futex: a waiter samples the sequence,
 * unlocks, and sleeps while it is unchanged; signal and broadcast bump it and
 * wake one or all. A waiter woken by a signal handler returns 0 (a spurious
 * wake-up, which POSIX allows) after the handler ran.
 */
#include <pthread.h>
#include <string.h>
#include "internal.h"

int pthread_condattr_init(pthread_condattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->__clock = CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	attr->__clock = (int)clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	*clock = (clockid_t)attr->__clock;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared)
{
	int r = tern_pshared_check(pshared);

	if (r)
		return r;
	attr->__pshared = pshared;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	c->__seq = 0;
	c->__clock = attr ? attr->__clock : (int)CLOCK_REALTIME;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

static int cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
	uint32_t seq = __atomic_load_n(&c->__seq, __ATOMIC_ACQUIRE);
	unsigned int depth = m->__count;
	int r;

	if (m->__type != PTHREAD_MUTEX_NORMAL && m->__owner != tern_self()->tid)
		return EPERM;
	/* A recursive mutex is released completely and its depth restored. */
	m->__count = 1;
	pthread_mutex_unlock(m);
	r = tern_futex_wait_until(&c->__seq, seq, deadline);
	pthread_mutex_lock(m);
	if (m->__type != PTHREAD_MUTEX_NORMAL)
		m->__count = depth;
	return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait_until(c, m, UINT64_MAX);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	uint64_t deadline;
	/* A statically initialised condvar has __clock 0: CLOCK_REALTIME. */
	clockid_t clk = c->__clock ? (clockid_t)c->__clock : CLOCK_REALTIME;
	int r = tern_deadline_from_timespec(clk, abstime, &deadline);

	if (r)
		return -r;
	return cond_wait_until(c, m, deadline);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
	tern_futex_wake(&c->__seq, 1);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
	tern_futex_wake(&c->__seq, INT32_MAX);
	return 0;
}
