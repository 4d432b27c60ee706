/*
 * printf of integers and floats (newlib's formatter, which uses SSE for
 * doubles: this also shows the FPU state works in ring 3), checked through
 * snprintf against the strings C requires, then printed.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/r3.h"

static void expect(const char *got, const char *want)
{
	r3_check(!strcmp(got, want), "got '%s', want '%s'", got, want);
}

static void integers(void)
{
	char b[128];

	snprintf(b, sizeof(b), "%d %d %u %x %X %o", 0, -42, 4000000000u, 0xbeefu, 0xcafeu, 8);
	expect(b, "0 -42 4000000000 beef CAFE 10");
	snprintf(b, sizeof(b), "%lld %llu %lx", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefUL);
	expect(b, "-9223372036854775808 18446744073709551615 123456789abcdef");
	snprintf(b, sizeof(b), "[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
	expect(b, "[   42][42   ][00042][+42][ 42]");
	snprintf(b, sizeof(b), "%#x %#o %c%c %s %.3s %p", 255u, 8u, 't', 'n', "tern", "abcdef",
		 (void *)0x1000);
	expect(b, "0xff 010 tn tern abc 0x1000");
	snprintf(b, sizeof(b), "%zu %td %jd", (size_t)7, (ptrdiff_t)-3, (intmax_t)INT64_MAX);
	expect(b, "7 -3 9223372036854775807");
	r3_check(snprintf(NULL, 0, "%d", 123456) == 6, "snprintf length of 123456");
}

static void floats(void)
{
	volatile double third = 1.0 / 3.0, big = 1e300, tiny = 5e-324;
	char b[160];

	snprintf(b, sizeof(b), "%f %.2f %.0f %.3f", 0.5, -1.25, 2.5, third);
	expect(b, "0.500000 -1.25 2 0.333");
	snprintf(b, sizeof(b), "%e %.3e %E", 12345.678, 0.00012345, 1e10);
	expect(b, "1.234568e+04 1.234e-04 1.000000E+10");
	snprintf(b, sizeof(b), "%g %g %g %g", 100000.0, 1000000.0, 0.0001, 0.00001);
	expect(b, "100000 1e+06 0.0001 1e-05");
	snprintf(b, sizeof(b), "%.17g %g %g", 0.1, big, tiny);
	expect(b, "0.10000000000000001 1e+300 4.94066e-324");
	snprintf(b, sizeof(b), "%8.3f|%-8.2f|%+.1f", 3.14159, 2.71828, 1.05);
	expect(b, "   3.142|2.72    |+1.1");
	snprintf(b, sizeof(b), "%f %f %f", 1.0 / 0.0 * (third > 0 ? 1 : 0), -1.0 / 0.0, 0.0 / 0.0);
	r3_check(!strcmp(b, "inf -inf nan") || !strcmp(b, "inf -inf -nan"), "inf/nan: '%s'", b);
	snprintf(b, sizeof(b), "%.1f %.1f", (double)(float)0.1f, (double)1e6f);
	expect(b, "0.1 1000000.0");

	/* Parse back what was printed: strtod must round-trip %.17g exactly. */
	snprintf(b, sizeof(b), "%.17g", third);
	r3_check(strtod(b, NULL) == third, "strtod(\"%s\") != 1/3", b);
	r3_check(atof("-2.5e3") == -2500.0, "atof(-2.5e3)");

	/* Arithmetic the compiler cannot fold. */
	double sum = 0;
	for (int i = 1; i <= 1000; i++)
		sum += 1.0 / ((double)i * i);
	snprintf(b, sizeof(b), "%.6f", sum);
	expect(b, "1.643935");
}

int main(int argc, char **argv)
{
	(void)argc;
	r3_start(argv[0]);
	integers();
	floats();
	printf("%s: ints %d %u %#llx, floats %.3f %e %g\n", r3_name(), -12345, 67890u,
	       0xfeedfaceULL, 3.14159265, 6.02214076e23, 1.0 / 8);
	return r3_done();
}
