/*
 * Mutexes on one futex word (0 free, 1 held, 2 held with waiters), with an
 * owner tid for the recursive and error-checking kinds. A signal that
 * interrupts the wait runs its handler and the wait goes on: mutex waits are
 * not interruptible in POSIX.
 */
#include <pthread.h>
#include <string.h>
#include "internal.h"

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
	    type != PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	attr->__type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->__type;
	return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	int r = tern_pshared_check(pshared);

	if (r)
		return r;
	attr->__pshared = pshared;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	memset(m, 0, sizeof(*m));
	m->__type = attr ? attr->__type : PTHREAD_MUTEX_NORMAL;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return __atomic_load_n(&m->__lock, __ATOMIC_RELAXED) ? EBUSY : 0;
}

/* Ownership checks before taking the word; 0 to go on, else the result. */
static int mutex_owner_check(pthread_mutex_t *m, long me, int *done)
{
	*done = 0;
	if (m->__type == PTHREAD_MUTEX_NORMAL ||
	    __atomic_load_n(&m->__owner, __ATOMIC_RELAXED) != me)
		return 0;
	*done = 1;
	if (m->__type == PTHREAD_MUTEX_ERRORCHECK)
		return EDEADLK;
	if (m->__count == UINT32_MAX)
		return EAGAIN;
	m->__count++;
	return 0;
}

static void mutex_taken(pthread_mutex_t *m, long me)
{
	__atomic_store_n(&m->__owner, me, __ATOMIC_RELAXED);
	m->__count = 1;
}

/* Takes the word, waiting until @deadline; 0 or ETIMEDOUT. */
static int mutex_acquire(pthread_mutex_t *m, uint64_t deadline)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(&m->__lock, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	if (c != 2)
		c = __atomic_exchange_n(&m->__lock, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		if (tern_futex_wait_until(&m->__lock, 2, deadline) == -ETIMEDOUT)
			return ETIMEDOUT;
		c = __atomic_exchange_n(&m->__lock, 2, __ATOMIC_ACQUIRE);
	}
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	long me = tern_self()->tid;
	int done, r = mutex_owner_check(m, me, &done);

	if (done)
		return r;
	mutex_acquire(m, UINT64_MAX);
	mutex_taken(m, me);
	return 0;
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	long me = tern_self()->tid;
	int done, r = mutex_owner_check(m, me, &done);
	uint64_t deadline;
	uint32_t c = 0;

	if (done)
		return r;
	/* POSIX: the deadline is only checked when the lock is not free. */
	if (__atomic_compare_exchange_n(&m->__lock, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		mutex_taken(m, me);
		return 0;
	}
	r = tern_deadline_from_timespec(CLOCK_REALTIME, abstime, &deadline);
	if (r)
		return -r;
	r = mutex_acquire(m, deadline);
	if (!r)
		mutex_taken(m, me);
	return r;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	long me = tern_self()->tid;
	int done, r = mutex_owner_check(m, me, &done);
	uint32_t c = 0;

	if (done)
		return r == EDEADLK ? EBUSY : r;
	if (!__atomic_compare_exchange_n(&m->__lock, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return EBUSY;
	mutex_taken(m, me);
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->__type != PTHREAD_MUTEX_NORMAL) {
		if (__atomic_load_n(&m->__owner, __ATOMIC_RELAXED) != tern_self()->tid)
			return EPERM;
		if (--m->__count)
			return 0;
	}
	__atomic_store_n(&m->__owner, 0, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&m->__lock, 0, __ATOMIC_RELEASE) == 2)
		tern_futex_wake(&m->__lock, 1);
	return 0;
}
