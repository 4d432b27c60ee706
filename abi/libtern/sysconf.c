/* sysconf, getpagesize, sched_yield and posix_memalign: small POSIX calls newlib leaves to the system. */
#include <limits.h>
#include <malloc.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <tern/fd.h>
#include <tern/tern.h>
#include "internal.h"

static long nr_cpus(void)
{
	long n = tern_syscall(TERN_SYS_CPU_COUNT, 0, 0, 0, 0, 0, 0);

	return n > 0 ? n : 1;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return TERN_PAGE_SIZE;
	case _SC_CLK_TCK:
		return CLOCKS_PER_SEC;
	case _SC_OPEN_MAX:
		return TERN_FD_MAX;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return nr_cpus();
	case _SC_ARG_MAX:
		return TERN_SPAWN_MAX_STRINGS;
	case _SC_THREAD_KEYS_MAX:
		return TERN_KEYS_MAX;
	case _SC_THREAD_STACK_MIN:
		return 16384;
	case _SC_MONOTONIC_CLOCK:
	case _SC_THREADS:
	case _SC_TIMERS:
		return 200809L;
	default:
		errno = EINVAL;
		return -1;
	}
}

int getpagesize(void)
{
	return (int)TERN_PAGE_SIZE;
}

int sched_yield(void)
{
	sys0(TERN_SYS_YIELD);
	return 0;
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	/* A power of two and a multiple of sizeof(void *), as POSIX requires. */
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = memalign(align, size ? size : 1);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
