/* In-core self tests chosen on the command line (selftest=<kind>). */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

#include "hv/types.h"
#include "hv/string.h"

/* The kinds selftest_start() knows; the command-line parser checks against the same list. */
static inline bool selftest_kind_valid(const char *kind)
{
	return !strcmp(kind, "sched");
}

/*
 * Starts the self test @kind as kernel threads; they run once the scheduler
 * is started, print one line "selftest <kind>: PASS ..." or
 * "selftest <kind>: FAIL <reason>" and power the machine off.
 * @pre sched_init() ran.
 */
void selftest_start(const char *kind);

/* The scheduler self test (hv/selftest_sched.c). */
void selftest_sched_start(void);

#endif
