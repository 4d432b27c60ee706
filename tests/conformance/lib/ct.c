// SPDX-License-Identifier: MIT
/* ct: check reporting for the conformance suite (see ct.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

static const char *ct_name = "?";
static unsigned int ct_passed, ct_failed;

void ct_init(const char *name)
{
	ct_name = name;
	/* Lines must reach the console in order even if the program dies midway. */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static void report(int ok, const char *what, const char *why)
{
	if (ok) {
		ct_passed++;
		printf("ok   %s: %s\n", ct_name, what);
	} else {
		ct_failed++;
		printf("FAIL %s: %s%s%s%s\n", ct_name, what, why ? " (" : "", why ? why : "",
		       why ? ")" : "");
	}
}

int ct_check(int cond, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	report(cond, what, NULL);
	return cond;
}

void ct_fail(const char *what, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	report(0, what, why);
}

int ct_ok(long ret, int err, const char *what)
{
	char why[128];

	if (ret >= 0) {
		report(1, what, NULL);
		return 1;
	}
	snprintf(why, sizeof(why), "returned %ld, errno %d %s", ret, err, strerror(err));
	report(0, what, why);
	return 0;
}

int ct_errno(long ret, int err, int want, const char *what)
{
	char why[160];

	if (ret == -1 && err == want) {
		report(1, what, NULL);
		return 1;
	}
	if (ret == -1)
		snprintf(why, sizeof(why), "errno %d %s, want %d %s", err, strerror(err), want,
			 strerror(want));
	else
		snprintf(why, sizeof(why), "returned %ld, want -1 with errno %d %s", ret, want,
			 strerror(want));
	report(0, what, why);
	return 0;
}

int ct_eq(unsigned long long got, unsigned long long want, const char *what)
{
	char why[96];

	if (got == want) {
		report(1, what, NULL);
		return 1;
	}
	snprintf(why, sizeof(why), "got %#llx, want %#llx", got, want);
	report(0, what, why);
	return 0;
}

void ct_fatal(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	report(0, "setup", why);
	exit(ct_finish());
}

int ct_finish(void)
{
	printf("conformance %s: %u passed, %u failed\n", ct_name, ct_passed, ct_failed);
	fflush(stdout);
	return ct_failed || !ct_passed ? 1 : 0;
}
