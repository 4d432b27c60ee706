/*
 * Cancellation state. libtern has no pthread_cancel(), so no thread is ever
 * cancelled; the state is still kept per thread because newlib's stdio
 * brackets its locked sections with pthread_setcancelstate().
 */
#include <pthread.h>
#include "internal.h"

static __thread int cancel_state = PTHREAD_CANCEL_ENABLE;
static __thread int cancel_type = PTHREAD_CANCEL_DEFERRED;

int pthread_setcancelstate(int state, int *old)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = cancel_state;
	cancel_state = state;
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (old)
		*old = cancel_type;
	cancel_type = type;
	return 0;
}
