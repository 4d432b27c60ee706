/*
 * Host-side stand-ins for the core services that unit-tested code calls:
 * log output goes to stderr (and is remembered for assertions), panic aborts
 * the test through cmocka.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/log.h"
#include "hv/format.h"
#include "tests/unit/host_support.h"

int log_level = LOG_DEBUG;
char host_last_log[1024];
int host_log_count[LOG_DEBUG + 1];

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	fmt_vsnprintf(host_last_log, sizeof(host_last_log), fmt, ap);
	host_log_count[level]++;
	if (getenv_verbose())
		fprintf(stderr, "[log %d] %s", level, host_last_log);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fail_msg("core panic: %s", buf);
	abort();
}

void host_log_reset(void)
{
	memset(host_log_count, 0, sizeof(host_log_count));
	host_last_log[0] = 0;
}
