/*
 * Futex waits with absolute deadlines, and libtern's internal lock. The core
 * takes relative timeouts, so a wait that is interrupted or woken early
 * recomputes what is left of its deadline.
 */
#include "internal.h"

int tern_futex_wait_until(uint32_t *addr, uint32_t expected, uint64_t deadline_ns)
{
	uint64_t timeout = TERN_WAIT_FOREVER;
	long r;

	if (deadline_ns != UINT64_MAX) {
		uint64_t now = tern_now_ns();

		if (now >= deadline_ns)
			return -ETIMEDOUT;
		timeout = deadline_ns - now;
	}
	r = sys3(TERN_SYS_FUTEX_WAIT, addr, expected, timeout);
	if (r == -EINTR) {
		tern_signals_deliver();
		return -EINTR;
	}
	if (r == -ETIMEDOUT)
		return -ETIMEDOUT;
	return 0;	/* woken, or -EAGAIN: the value already changed */
}

void tern_futex_wake(uint32_t *addr, uint32_t count)
{
	sys2(TERN_SYS_FUTEX_WAKE, addr, count);
}

int tern_deadline_from_timespec(clockid_t clock, const struct timespec *abs, uint64_t *deadline)
{
	struct timespec now;
	int64_t delta;

	if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000L)
		return -EINVAL;
	if (clock_gettime(clock, &now) != 0)
		return -EINVAL;
	delta = (int64_t)(abs->tv_sec - now.tv_sec) * 1000000000LL + (abs->tv_nsec - now.tv_nsec);
	/* Both clocks count from the same origin here, but convert anyway so a
	 * REALTIME clock with another epoch would still work. */
	*deadline = tern_now_ns() + (delta > 0 ? (uint64_t)delta : 0);
	return 0;
}

int tern_lowlock_try(struct tern_lowlock *l)
{
	uint32_t expected = 0;

	return __atomic_compare_exchange_n(&l->word, &expected, 1, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void tern_lowlock_acquire(struct tern_lowlock *l)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(&l->word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	/* Contended: mark it 2 so the holder knows to wake someone. */
	if (c != 2)
		c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		tern_futex_wait_until(&l->word, 2, UINT64_MAX);
		c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
	}
}

void tern_lowlock_release(struct tern_lowlock *l)
{
	if (__atomic_exchange_n(&l->word, 0, __ATOMIC_RELEASE) == 2)
		tern_futex_wake(&l->word, 1);
}
