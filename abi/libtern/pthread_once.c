/* pthread_once: the first caller runs @fn, the others sleep until it is done. */
#include <pthread.h>
#include "internal.h"

enum { ONCE_NEW = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	uint32_t state = ONCE_NEW;

	if (__atomic_load_n(&once->__state, __ATOMIC_ACQUIRE) == ONCE_DONE)
		return 0;
	if (__atomic_compare_exchange_n(&once->__state, &state, ONCE_RUNNING, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		fn();
		__atomic_store_n(&once->__state, ONCE_DONE, __ATOMIC_RELEASE);
		tern_futex_wake(&once->__state, INT32_MAX);
		return 0;
	}
	while ((state = __atomic_load_n(&once->__state, __ATOMIC_ACQUIRE)) != ONCE_DONE)
		tern_futex_wait_until(&once->__state, state, UINT64_MAX);
	return 0;
}
