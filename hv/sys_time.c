/* Time syscalls: the monotonic clock and the TSC frequency (for ring-3 rdtsc users). */
#include "hv/sys_handlers.h"
#include "hv/clock.h"
#include "arch/x86/tsc.h"
#include "hv/percpu.h"

int64_t sys_clock_ns(const struct syscall_args *a)
{
	(void)a;
	/* int64_t holds 292 years of nanoseconds. */
	return (int64_t)clock_ns();
}

int64_t sys_tsc_hz(const struct syscall_args *a)
{
	(void)a;
	return (int64_t)tsc_hz();
}

int64_t sys_cpu_count(const struct syscall_args *a)
{
	(void)a;
	return cpus_online;
}
