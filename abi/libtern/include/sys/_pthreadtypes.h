/*
 * libtern's pthread types (replaces newlib's, which are object ids for RTEMS).
 * Mutexes, condition variables, once and rwlocks hold their futex words
 * inline, so the static initializers need no allocation.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <sys/sched.h>

typedef unsigned long pthread_t;	/* the thread's control block address */

typedef struct {
	__SIZE_TYPE__ stacksize;
	__SIZE_TYPE__ guardsize;
	void *stackaddr;
	int detachstate;
	int inheritsched;
	int schedpolicy;
	struct sched_param schedparam;
	int contentionscope;
} pthread_attr_t;

typedef struct {
	unsigned int __lock;		/* 0 free, 1 held, 2 held with waiters */
	int __type;			/* PTHREAD_MUTEX_* */
	long __owner;			/* tid of the holder (recursive, errorcheck) */
	unsigned int __count;		/* recursion depth */
	unsigned int __pad;
} pthread_mutex_t;

typedef struct {
	int __type;
	int __pshared;
} pthread_mutexattr_t;

typedef struct {
	unsigned int __seq;		/* futex word: bumped by signal/broadcast */
	int __clock;			/* clock of timedwait deadlines; 0 = CLOCK_REALTIME */
} pthread_cond_t;

typedef struct {
	int __clock;
	int __pshared;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	unsigned int __state;		/* 0 not run, 1 running, 2 done */
} pthread_once_t;

typedef struct {
	pthread_mutex_t __lock;
	pthread_cond_t __readers_cv;
	pthread_cond_t __writers_cv;
	unsigned int __readers;		/* holding it for reading */
	unsigned int __writer;		/* 1 while a writer holds it */
	unsigned int __writers_waiting;
	unsigned int __pad;
} pthread_rwlock_t;

typedef struct {
	int __pshared;
} pthread_rwlockattr_t;

#endif
