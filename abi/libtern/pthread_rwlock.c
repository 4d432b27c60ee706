/*
 * Reader-writer locks from a mutex and two condition variables. Writers are
 * preferred: once one waits, new readers queue behind it, so a stream of
 * readers cannot starve writers.
 */
#include <pthread.h>
#include <string.h>
#include "internal.h"

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	(void)attr;
	memset(rw, 0, sizeof(*rw));
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	return rw->__readers || rw->__writer ? EBUSY : 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	pthread_mutex_lock(&rw->__lock);
	while (rw->__writer || rw->__writers_waiting)
		pthread_cond_wait(&rw->__readers_cv, &rw->__lock);
	rw->__readers++;
	pthread_mutex_unlock(&rw->__lock);
	return 0;
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	int r = EBUSY;

	pthread_mutex_lock(&rw->__lock);
	if (!rw->__writer && !rw->__writers_waiting) {
		rw->__readers++;
		r = 0;
	}
	pthread_mutex_unlock(&rw->__lock);
	return r;
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	pthread_mutex_lock(&rw->__lock);
	rw->__writers_waiting++;
	while (rw->__writer || rw->__readers)
		pthread_cond_wait(&rw->__writers_cv, &rw->__lock);
	rw->__writers_waiting--;
	rw->__writer = 1;
	pthread_mutex_unlock(&rw->__lock);
	return 0;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	int r = EBUSY;

	pthread_mutex_lock(&rw->__lock);
	if (!rw->__writer && !rw->__readers) {
		rw->__writer = 1;
		r = 0;
	}
	pthread_mutex_unlock(&rw->__lock);
	return r;
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	int r = 0;

	pthread_mutex_lock(&rw->__lock);
	if (rw->__writer)
		rw->__writer = 0;
	else if (rw->__readers)
		rw->__readers--;
	else
		r = EPERM;
	if (!rw->__writer && !rw->__readers) {
		if (rw->__writers_waiting)
			pthread_cond_signal(&rw->__writers_cv);
		else
			pthread_cond_broadcast(&rw->__readers_cv);
	}
	pthread_mutex_unlock(&rw->__lock);
	return r;
}
