/* printf-style formatting into a buffer (no floating point). */
#ifndef HV_FORMAT_H
#define HV_FORMAT_H

#include <stdarg.h>
#include "hv/types.h"

/*
 * Formats like vsnprintf: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' ' ' '+',
 * width and precision (also '*'), length modifiers hh h l ll z t j.
 * Always NUL-terminates when size > 0; returns the length the full output
 * would have had.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
