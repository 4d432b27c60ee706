/* Notification counter arithmetic: see notify_counter.h. */
#include "hv/notify_counter.h"
#include "hv/errno.h"
#include "abi/include/tern/syscall.h"

int notify_try_add(uint64_t *count, uint64_t n)
{
	/* eventfd refuses the one value that can never be added (Linux: EINVAL
	 * for 2^64-1); retrying it on -EAGAIN would spin forever. */
	if (n > TERN_NOTIFY_MAX)
		return -EINVAL;
	if (*count > TERN_NOTIFY_MAX - n)
		return -EAGAIN;
	*count += n;
	return 0;
}

bool notify_try_take(uint64_t *count, uint32_t flags, uint64_t *value)
{
	if (*count == 0)
		return false;
	if (flags & TERN_NOTIFY_SEMAPHORE) {
		*value = 1;
		*count -= 1;
	} else {
		*value = *count;
		*count = 0;
	}
	return true;
}

unsigned int notify_poll_bits(uint64_t count)
{
	unsigned int bits = 0;

	if (count > 0)
		bits |= TERN_WAIT_READ;
	if (count < TERN_NOTIFY_MAX)
		bits |= TERN_WAIT_WRITE;
	return bits;
}
