/* err(3)/warn(3): "<program>: <message>[: <strerror(errno)>]" on stderr. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char *__progname;	/* set by start.c from argv[0] */

static void vwarn_common(int code, int with_code, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", __progname);
	if (fmt) {
		vfprintf(stderr, fmt, ap);
		if (with_code)
			fputs(": ", stderr);
	}
	if (with_code)
		fputs(strerror(code), stderr);
	fputc('\n', stderr);
}

void vwarnc(int code, const char *fmt, va_list ap)
{
	vwarn_common(code, 1, fmt, ap);
}

void vwarn(const char *fmt, va_list ap)
{
	vwarn_common(errno, 1, fmt, ap);
}

void vwarnx(const char *fmt, va_list ap)
{
	vwarn_common(0, 0, fmt, ap);
}

void verrc(int eval, int code, const char *fmt, va_list ap)
{
	vwarnc(code, fmt, ap);
	exit(eval);
}

void verr(int eval, const char *fmt, va_list ap)
{
	verrc(eval, errno, fmt, ap);
}

void verrx(int eval, const char *fmt, va_list ap)
{
	vwarnx(fmt, ap);
	exit(eval);
}

#define VA_WRAP(call)		\
	do {			\
		va_list ap;	\
		va_start(ap, fmt); \
		call;		\
		va_end(ap);	\
	} while (0)

void warn(const char *fmt, ...) { VA_WRAP(vwarn(fmt, ap)); }
void warnx(const char *fmt, ...) { VA_WRAP(vwarnx(fmt, ap)); }
void warnc(int code, const char *fmt, ...) { VA_WRAP(vwarnc(code, fmt, ap)); }

void err(int eval, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(eval, fmt, ap);
}

void errx(int eval, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrx(eval, fmt, ap);
}

void errc(int eval, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrc(eval, code, fmt, ap);
}
