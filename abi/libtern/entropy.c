/*
 * getentropy() for arc4random: the CPU's RDRAND, which ring 3 may execute.
 * The core has no entropy source of its own, so without RDRAND this fails
 * with ENOSYS rather than hand out predictable bytes.
 */
#include <cpuid.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static int have_rdrand(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND);
}

static int rdrand64(uint64_t *v)
{
	unsigned char ok;

	/* RDRAND may transiently fail; Intel's guidance is to retry a few times. */
	for (int i = 0; i < 10; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

int getentropy(void *buf, size_t len)
{
	unsigned char *p = buf;

	if (len > 256) {
		errno = EIO;	/* POSIX: at most 256 bytes per call */
		return -1;
	}
	if (!have_rdrand()) {
		errno = ENOSYS;
		return -1;
	}
	while (len) {
		uint64_t v;
		size_t n = len < sizeof(v) ? len : sizeof(v);

		if (!rdrand64(&v)) {
			errno = EIO;
			return -1;
		}
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return 0;
}
