/*
 * Clocks and sleeping. tern has one clock, monotonic nanoseconds since boot;
 * there is no battery clock, so CLOCK_REALTIME (and gettimeofday/time) count
 * from the Unix epoch as if the machine had booted at 1970-01-01 00:00:00.
 */
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

uint64_t tern_now_ns(void)
{
	return (uint64_t)sys0(TERN_SYS_CLOCK_NS);
}

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) {
		errno = EINVAL;
		return -1;
	}
	ns_to_timespec(tern_now_ns(), ts);
	return 0;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = tern_now_ns();

	(void)tz;
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000ULL);
		tv->tv_usec = (suseconds_t)(ns % 1000000000ULL / 1000);
	}
	return 0;
}

/* No per-thread CPU accounting in the core: elapsed time stands in for user time. */
clock_t _times(struct tms *buf)
{
	clock_t ticks = (clock_t)(tern_now_ns() / (1000000000ULL / CLOCKS_PER_SEC));

	if (buf) {
		buf->tms_utime = ticks;
		buf->tms_stime = 0;
		buf->tms_cutime = 0;
		buf->tms_cstime = 0;
	}
	return ticks;
}

/* Sleeps @ns; on a signal returns -1/EINTR with the time left in *@left_ns. */
static int sleep_ns(uint64_t ns, uint64_t *left_ns)
{
	uint64_t end = tern_now_ns() + ns;
	long r = sys1(TERN_SYS_SLEEP, ns);

	if (r == -EINTR) {
		uint64_t now = tern_now_ns();

		*left_ns = now < end ? end - now : 0;
		tern_signals_deliver();
		errno = EINTR;
		return -1;
	}
	*left_ns = 0;
	return sys_ret(r) < 0 ? -1 : 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t left;

	if (!req || req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L) {
		errno = EINVAL;
		return -1;
	}
	if (sleep_ns((uint64_t)req->tv_sec * 1000000000ULL + (uint64_t)req->tv_nsec, &left) < 0) {
		if (rem && errno == EINTR)
			ns_to_timespec(left, rem);
		return -1;
	}
	return 0;
}

int usleep(useconds_t us)
{
	uint64_t left;

	return sleep_ns((uint64_t)us * 1000ULL, &left);
}

unsigned sleep(unsigned int seconds)
{
	uint64_t left;

	if (sleep_ns((uint64_t)seconds * 1000000000ULL, &left) < 0)
		return (unsigned)((left + 999999999ULL) / 1000000000ULL);
	return 0;
}
