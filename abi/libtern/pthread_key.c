/*
 * Thread-specific data: a process-wide table of keys (in use + destructor)
 * and a value array in each TCB. As POSIX allows, a value left under a
 * deleted key is still seen if the slot is reused by a new key.
 */
#include <pthread.h>
#include "internal.h"

struct key_slot {
	uint32_t in_use;
	void (*destructor)(void *);
};

static struct tern_lowlock keys_lock = TERN_LOWLOCK_INIT;
static struct key_slot keys[TERN_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int r = EAGAIN;

	tern_lowlock_acquire(&keys_lock);
	for (unsigned int i = 0; i < TERN_KEYS_MAX; i++) {
		if (!keys[i].in_use) {
			keys[i].in_use = 1;
			keys[i].destructor = destructor;
			*key = i;
			r = 0;
			break;
		}
	}
	tern_lowlock_release(&keys_lock);
	return r;
}

/* POSIX: deleting a key runs no destructors; stale values are the caller's. */
int pthread_key_delete(pthread_key_t key)
{
	int r = EINVAL;

	tern_lowlock_acquire(&keys_lock);
	if (key < TERN_KEYS_MAX && keys[key].in_use) {
		keys[key].in_use = 0;
		keys[key].destructor = NULL;
		r = 0;
	}
	tern_lowlock_release(&keys_lock);
	return r;
}

void *pthread_getspecific(pthread_key_t key)
{
	return key < TERN_KEYS_MAX ? tern_self()->keys[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= TERN_KEYS_MAX || !__atomic_load_n(&keys[key].in_use, __ATOMIC_RELAXED))
		return EINVAL;
	tern_self()->keys[key] = (void *)value;
	return 0;
}

void tern_keys_run_destructors(struct tern_tcb *self)
{
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int ran = 0;

		for (unsigned int i = 0; i < TERN_KEYS_MAX; i++) {
			void (*dtor)(void *);
			void *value = self->keys[i];

			if (!value)
				continue;
			tern_lowlock_acquire(&keys_lock);
			dtor = keys[i].in_use ? keys[i].destructor : NULL;
			tern_lowlock_release(&keys_lock);
			self->keys[i] = NULL;
			if (dtor) {
				dtor(value);
				ran = 1;
			}
		}
		if (!ran)
			break;
	}
}
