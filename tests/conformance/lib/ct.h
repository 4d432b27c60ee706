/* SPDX-License-Identifier: MIT */
/*
 * ct: the conformance suite's check reporting. Every check prints one line,
 * "ok   NAME: what" or "FAIL NAME: what (why)", and ct_finish() prints
 * "conformance NAME: N passed, M failed" and gives the exit status (0 only if
 * nothing failed). Written against POSIX only, so the same source builds for
 * Linux and with tern's SDK.
 */
#ifndef CT_H
#define CT_H

#include <errno.h>

void ct_init(const char *name);

/* Records one check; the format describes what was checked. Returns cond. */
int ct_check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A failed check with a reason: "FAIL NAME: what (reason)". */
void ct_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A check on a call that must succeed: ret >= 0. Returns 1 if it did. */
int ct_ok(long ret, int err, const char *what);

/* A check on a call that must fail with -1 and errno == want. */
int ct_errno(long ret, int err, int want, const char *what);

/*
 * A check on a value: got == want. Prints both in hex on failure.
 */
int ct_eq(unsigned long long got, unsigned long long want, const char *what);

/* Setup that cannot go on: records a failure and ends the program through ct_finish(). */
void ct_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Prints the summary line; returns the exit status main() should return. */
int ct_finish(void);

/* Wrappers that capture errno right after the call, before anything can change it. */
#define CT_OK(call, what) ({ errno = 0; long __r = (long)(call); ct_ok(__r, errno, (what)); })
#define CT_ERRNO(call, want, what) \
	({ errno = 0; long __r = (long)(call); ct_errno(__r, errno, (want), (what)); })

#endif
