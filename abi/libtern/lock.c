/*
 * newlib's retargetable locks on futexes. All newlib locks are made recursive
 * (an owner tid and a depth): a non-recursive lock taken twice would deadlock,
 * and the cost of the owner check is negligible next to a futex.
 */
#include <stdlib.h>
#include <sys/lock.h>
#include "internal.h"

struct __lock {
	struct tern_lowlock ll;
	long owner;
	unsigned int depth;
};

struct __lock __lock___sinit_recursive_mutex;
struct __lock __lock___sfp_recursive_mutex;
struct __lock __lock___atexit_recursive_mutex;
struct __lock __lock___at_quick_exit_mutex;
struct __lock __lock___malloc_recursive_mutex;
struct __lock __lock___env_recursive_mutex;
struct __lock __lock___tz_mutex;
struct __lock __lock___dd_hash_mutex;
struct __lock __lock___arc4random_mutex;

void __retarget_lock_init(_LOCK_T *lock)
{
	/* Called for FILE locks and the like; out of memory leaves it NULL,
	 * which the functions below treat as "no locking needed". */
	*lock = calloc(1, sizeof(struct __lock));
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	long me;

	if (!lock)
		return 1;
	me = tern_self()->tid;
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == me) {
		lock->depth++;
		return 1;
	}
	if (!tern_lowlock_try(&lock->ll))
		return 0;
	__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
	lock->depth = 1;
	return 1;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	long me;

	if (!lock)
		return;
	me = tern_self()->tid;
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == me) {
		lock->depth++;
		return;
	}
	tern_lowlock_acquire(&lock->ll);
	__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
	lock->depth = 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (!lock || --lock->depth)
		return;
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	tern_lowlock_release(&lock->ll);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return __retarget_lock_try_acquire_recursive(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	__retarget_lock_acquire_recursive(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	__retarget_lock_release_recursive(lock);
}
