/* A small vsnprintf for the core and host tests; see format.h. */
#include "hv/format.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_SPACE = 4, F_PLUS = 8, F_ALT = 16 };

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper,
		       int flags, int width, int precision)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (precision == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';

	int zeros = precision > n ? precision - n : 0;
	int prefix = (sign ? 1 : 0) + ((flags & F_ALT) && base == 16 ? 2 : 0);
	int pad = width - n - zeros - prefix;

	if ((flags & F_ZERO) && !(flags & F_LEFT) && precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!(flags & F_LEFT))
		put_pad(o, ' ', pad);
	if (sign)
		put(o, sign);
	if ((flags & F_ALT) && base == 16) {
		put(o, '0');
		put(o, upper ? 'X' : 'x');
	}
	put_pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		put_pad(o, ' ', pad);
}

static int parse_int(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	const char *p = fmt;

	while (*p) {
		if (*p != '%') {
			put(&o, *p++);
			continue;
		}
		p++;

		int flags = 0;
		for (;; p++) {
			if (*p == '-') flags |= F_LEFT;
			else if (*p == '0') flags |= F_ZERO;
			else if (*p == ' ') flags |= F_SPACE;
			else if (*p == '+') flags |= F_PLUS;
			else if (*p == '#') flags |= F_ALT;
			else break;
		}

		int width = 0;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			p++;
		} else {
			width = parse_int(&p);
		}

		int precision = -1;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				precision = va_arg(ap, int);
				p++;
			} else {
				precision = parse_int(&p);
			}
		}

		int lng = 0;	/* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		for (;; p++) {
			if (*p == 'l') lng++;
			else if (*p == 'h') lng--;
			else if (*p == 'z' || *p == 't' || *p == 'j') lng = 2;
			else break;
		}

		char conv = *p ? *p++ : 0;
		switch (conv) {
		case 'd':
		case 'i': {
			int64_t v;
			if (lng >= 1) v = lng == 1 ? va_arg(ap, long) : va_arg(ap, long long);
			else v = va_arg(ap, int);
			if (lng == -1) v = (short)v;
			if (lng <= -2) v = (signed char)v;
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			put_number(&o, mag, v < 0, 10, false, flags, width, precision);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v;
			if (lng >= 1) v = lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long);
			else v = va_arg(ap, unsigned int);
			if (lng == -1) v = (unsigned short)v;
			if (lng <= -2) v = (unsigned char)v;
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			put_number(&o, v, false, base, conv == 'X', flags & ~(F_PLUS | F_SPACE),
				   width, precision);
			break;
		}
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, F_ALT | (flags & F_LEFT),
				   width, -1);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!(flags & F_LEFT)) put_pad(&o, ' ', width - 1);
			put(&o, c);
			if (flags & F_LEFT) put_pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = 0;
			while (s[n] && (precision < 0 || n < precision))
				n++;
			if (!(flags & F_LEFT)) put_pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (flags & F_LEFT) put_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:
			break;
		default:	/* unknown conversion: print it literally */
			put(&o, '%');
			put(&o, conv);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
