/* BSD error reporting: the program name, a message, and for err/warn the errno text. */
#ifndef _ERR_H_
#define _ERR_H_

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

void err(int eval, const char *fmt, ...) __attribute__((__noreturn__, __format__(__printf__, 2, 3)));
void verr(int eval, const char *fmt, va_list ap) __attribute__((__noreturn__, __format__(__printf__, 2, 0)));
void errc(int eval, int code, const char *fmt, ...) __attribute__((__noreturn__, __format__(__printf__, 3, 4)));
void verrc(int eval, int code, const char *fmt, va_list ap) __attribute__((__noreturn__, __format__(__printf__, 3, 0)));
void errx(int eval, const char *fmt, ...) __attribute__((__noreturn__, __format__(__printf__, 2, 3)));
void verrx(int eval, const char *fmt, va_list ap) __attribute__((__noreturn__, __format__(__printf__, 2, 0)));
void warn(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
void vwarn(const char *fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));
void warnc(int code, const char *fmt, ...) __attribute__((__format__(__printf__, 2, 3)));
void vwarnc(int code, const char *fmt, va_list ap) __attribute__((__format__(__printf__, 2, 0)));
void warnx(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
void vwarnx(const char *fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));

#ifdef __cplusplus
}
#endif

#endif
