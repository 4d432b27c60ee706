/*
 * Thread creation and end. A thread's memory is one anonymous mapping:
 * a PROT_NONE guard at the bottom (the core populates memory, so the guard
 * costs its pages, but an overflow faults instead of corrupting a neighbour),
 * then the stack, then the static TLS block and the TCB at the top. The core
 * clears tcb->alive and futex-wakes it when the thread is gone for good; only
 * then may its mapping be unmapped, by the joiner or, for a detached thread,
 * by the next pthread_create/join that finds it on the zombie list.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define DEFAULT_STACK	(256 * 1024)	/* memory is not demand-paged: keep it modest */

static struct tern_lowlock threads_lock = TERN_LOWLOCK_INIT;
static struct tern_tcb *all_threads;	/* every TCB not yet unmapped */
static struct tern_tcb *zombies;	/* detached threads that ended */
static uint32_t live_threads;		/* started and not yet in pthread_exit */

void tern_threads_init_main(void)
{
	struct tern_tcb *self = tern_self();

	self->next_all = all_threads;
	all_threads = self;
	live_threads = 1;
}

int tern_thread_with(pthread_t t, int (*fn)(struct tern_tcb *tcb, void *arg), void *arg)
{
	int r = -ESRCH;

	tern_lowlock_acquire(&threads_lock);
	for (struct tern_tcb *p = all_threads; p; p = p->next_all) {
		if (p == (struct tern_tcb *)t) {
			r = fn ? fn(p, arg) : 0;
			break;
		}
	}
	tern_lowlock_release(&threads_lock);
	return r;
}

/* @pre threads_lock held */
static void unlink_thread(struct tern_tcb *t)
{
	for (struct tern_tcb **pp = &all_threads; *pp; pp = &(*pp)->next_all) {
		if (*pp == t) {
			*pp = t->next_all;
			return;
		}
	}
}

/* @pre @t has ended (alive == 0) and nobody else frees it. */
static void free_thread(struct tern_tcb *t)
{
	tern_lowlock_acquire(&threads_lock);
	unlink_thread(t);
	tern_lowlock_release(&threads_lock);
	sys2(TERN_SYS_MUNMAP, t->map, t->map_len);
}

/* Unmaps detached threads the core has finished with. */
static void reap_zombies(void)
{
	struct tern_tcb *done = NULL, **pp;

	tern_lowlock_acquire(&threads_lock);
	for (pp = &zombies; *pp;) {
		struct tern_tcb *t = *pp;

		if (__atomic_load_n(&t->alive, __ATOMIC_ACQUIRE) == 0) {
			*pp = t->next_zombie;
			unlink_thread(t);
			t->next_zombie = done;
			done = t;
		} else {
			pp = &t->next_zombie;
		}
	}
	tern_lowlock_release(&threads_lock);
	while (done) {
		struct tern_tcb *t = done;

		done = t->next_zombie;
		sys2(TERN_SYS_MUNMAP, t->map, t->map_len);
	}
}

static void __attribute__((noreturn)) thread_entry(struct tern_tcb *self)
{
	__atomic_store_n(&self->tid, sys0(TERN_SYS_GETTID), __ATOMIC_RELAXED);
	pthread_exit(self->start(self->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	size_t stack = attr ? attr->stacksize : DEFAULT_STACK;
	size_t guard = TERN_PAGE_ALIGN(attr ? attr->guardsize : TERN_PAGE_SIZE);
	size_t len = guard + TERN_PAGE_ALIGN(stack) + TERN_PAGE_ALIGN(tern_tls_size());
	struct tern_thread_start ts;
	struct tern_tcb *t;
	uint64_t *sp;
	long map, tid;

	if (attr && attr->stackaddr)
		return EINVAL;	/* caller-provided stacks are not supported */
	reap_zombies();
	map = sys4(TERN_SYS_MMAP, 0, len, TERN_PROT_READ | TERN_PROT_WRITE, 0);
	if (map < 0)
		return EAGAIN;
	if (guard && sys3(TERN_SYS_MPROTECT, map, guard, TERN_PROT_NONE) < 0) {
		sys2(TERN_SYS_MUNMAP, map, len);
		return EAGAIN;
	}
	t = tern_tls_place((char *)map + len);
	t->reent = &t->own_reent;
	_REENT_INIT_PTR(t->reent);
	t->alive = 1;
	t->detach = attr && attr->detachstate == PTHREAD_CREATE_DETACHED ? TCB_DETACHED
									   : TCB_JOINABLE;
	t->start = start;
	t->arg = arg;
	t->map = (void *)map;
	t->map_len = len;
	t->sig_blocked = tern_self()->sig_blocked;	/* inherited, as POSIX says */

	/* The stack ends below the TLS pages; the thread starts as if called
	 * (rsp + 8 16-byte aligned) with a zero return address. */
	sp = (uint64_t *)((map + len - TERN_PAGE_ALIGN(tern_tls_size())) & ~15UL);
	*--sp = 0;

	memset(&ts, 0, sizeof(ts));
	ts.entry = (uint64_t)(uintptr_t)thread_entry;
	ts.stack = (uint64_t)(uintptr_t)sp;
	ts.arg = (uint64_t)(uintptr_t)t;
	ts.fs_base = (uint64_t)(uintptr_t)t;
	ts.clear_tid = (uint64_t)(uintptr_t)&t->alive;
	if (attr && attr->inheritsched == PTHREAD_EXPLICIT_SCHED)
		ts.priority = (uint32_t)attr->schedparam.sched_priority;

	tern_lowlock_acquire(&threads_lock);
	t->next_all = all_threads;
	all_threads = t;
	live_threads++;
	tern_lowlock_release(&threads_lock);

	tid = sys1(TERN_SYS_THREAD_CREATE, &ts);
	if (tid < 0) {
		tern_lowlock_acquire(&threads_lock);
		unlink_thread(t);
		live_threads--;
		tern_lowlock_release(&threads_lock);
		sys2(TERN_SYS_MUNMAP, map, len);
		return tid == -ENOMEM ? EAGAIN : (int)-tid;
	}
	__atomic_store_n(&t->tid, tid, __ATOMIC_RELAXED);
	*thread = (pthread_t)t;
	return 0;
}

void pthread_exit(void *result)
{
	struct tern_tcb *self = tern_self();
	uint32_t expected = TCB_JOINABLE;
	int last;

	tern_keys_run_destructors(self);
	self->result = result;

	tern_lowlock_acquire(&threads_lock);
	last = --live_threads == 0;
	tern_lowlock_release(&threads_lock);
	/* The process lives as long as one of its threads does (main included). */
	if (last)
		exit(0);

	if (self->reent != _global_impure_ptr)
		_reclaim_reent(self->reent);
	if (!__atomic_compare_exchange_n(&self->detach, &expected, TCB_EXITED, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    self->map_len && self->reent != _global_impure_ptr) {
		/* Detached: someone else unmaps us once the core is done with us. */
		tern_lowlock_acquire(&threads_lock);
		self->next_zombie = zombies;
		zombies = self;
		tern_lowlock_release(&threads_lock);
	}
	for (;;)
		sys0(TERN_SYS_THREAD_EXIT);
}

int pthread_join(pthread_t thread, void **result)
{
	struct tern_tcb *t = (struct tern_tcb *)thread;
	uint32_t alive;

	if (t == tern_self())
		return EDEADLK;
	if (tern_thread_with(thread, NULL, NULL) == -ESRCH)
		return ESRCH;
	if (__atomic_load_n(&t->detach, __ATOMIC_ACQUIRE) == TCB_DETACHED)
		return EINVAL;
	while ((alive = __atomic_load_n(&t->alive, __ATOMIC_ACQUIRE)) != 0)
		tern_futex_wait_until(&t->alive, alive, UINT64_MAX);
	if (result)
		*result = t->result;
	free_thread(t);
	reap_zombies();
	return 0;
}

int pthread_detach(pthread_t thread)
{
	struct tern_tcb *t = (struct tern_tcb *)thread;
	uint32_t expected = TCB_JOINABLE;

	if (tern_thread_with(thread, NULL, NULL) == -ESRCH)
		return ESRCH;
	if (__atomic_compare_exchange_n(&t->detach, &expected, TCB_DETACHED, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return 0;
	if (expected == TCB_DETACHED)
		return EINVAL;
	/* Already ended and waiting for a join: detaching it is joining it. */
	return pthread_join(thread, NULL);
}

pthread_t pthread_self(void)
{
	return (pthread_t)tern_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}
