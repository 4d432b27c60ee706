/*
 * Helpers shared by the ring-3 test programs: one "NAME: FAIL: why" line per
 * failed check, one "NAME: PASS" or "NAME: FAIL (N checks)" line at the end,
 * and the exit code the integration tests read from the service domain's
 * "process NAME exited N" line.
 */
#ifndef R3_H
#define R3_H

#include <stdbool.h>
#include <stdint.h>

/* Sets the name used in every line (argv[0]). */
void r3_start(const char *name);
/* Counts and reports a failed check; returns @ok so callers can chain. */
bool r3_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the final line; the value to return from main (0 pass, 1 fail). */
int r3_done(void);
/* Monotonic nanoseconds (clock_gettime). */
uint64_t r3_now_ns(void);
/* The program's name as given to r3_start(). */
const char *r3_name(void);

#endif
