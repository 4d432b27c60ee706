/*
 * The counter rules of notification objects (eventfd semantics), apart from
 * locking and blocking so that they can be tested on the host. The caller
 * holds whatever lock protects @count.
 */
#ifndef HV_NOTIFY_COUNTER_H
#define HV_NOTIFY_COUNTER_H

#include "hv/types.h"

/* Adds @n: 0; -EAGAIN when the sum would pass TERN_NOTIFY_MAX (unchanged);
 * -EINVAL when @n alone is past TERN_NOTIFY_MAX (it could never fit). */
int notify_try_add(uint64_t *count, uint64_t n);
/* Takes the whole counter, or 1 with TERN_NOTIFY_SEMAPHORE in @flags, into
 * *@value; false (nothing taken) while the counter is 0. */
bool notify_try_take(uint64_t *count, uint32_t flags, uint64_t *value);
/* TERN_WAIT_READ while something can be taken, TERN_WAIT_WRITE while adding 1 fits. */
unsigned int notify_poll_bits(uint64_t count);

#endif
