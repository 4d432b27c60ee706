/*
 * Test-program reporting and time. POSIX only, so the programs that need no
 * tern-specific call also build and run on Linux for a sanity check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "r3.h"

static const char *prog = "test";
static int failures;

void r3_start(const char *name)
{
	const char *slash = strrchr(name, '/');

	prog = slash ? slash + 1 : name;
	/* Lines from several threads must not interleave mid-line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

const char *r3_name(void)
{
	return prog;
}

bool r3_check(bool ok, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (ok)
		return true;
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	/* One call per line: stdio locks the stream around it. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s: FAIL: %s\n", prog, msg);
	return false;
}

int r3_done(void)
{
	if (failures) {
		printf("%s: FAIL (%d checks)\n", prog, failures);
		return 1;
	}
	printf("%s: PASS\n", prog);
	return 0;
}

uint64_t r3_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
