// SPDX-License-Identifier: MIT
/* kvmfuzz: random numbers, values and mutations (fuzz.h). */
#include <string.h>

#include "fuzz.h"

static __thread uint64_t rng = 0x9e3779b97f4a7c15ull;

void fz_seed(uint64_t seed)
{
	rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t fz_rand(void)
{
	/* xorshift64*: fast, and good enough to pick ioctls. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

void fz_fill(void *p, size_t len)
{
	uint8_t *b = p;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			v = fz_rand();
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t fz_interesting(void)
{
	switch (fz_below(9)) {
	case 0: return 0;
	case 1: return 1 + fz_below(8);
	case 2: return fz_below(0x1000);
	case 3: return ~0ull;
	case 4: return ~0ull - fz_below(0x1000);
	case 5: return 1ull << fz_below(64);
	case 6: return (1ull << fz_below(64)) - 1;
	case 7: return 0x80000000u + fz_below(16) - 8;
	default: return fz_rand();
	}
}

void fz_mutate(void *p, size_t len)
{
	uint8_t *b = p;
	unsigned int n = 1 + (unsigned int)fz_below(4);
	uint64_t v;
	size_t off;

	if (!len)
		return;
	while (n--) {
		off = fz_below(len);
		switch (fz_below(4)) {
		case 0:
			b[off] ^= (uint8_t)(1u << fz_below(8));
			break;
		case 1:
			b[off] = (uint8_t)fz_rand();
			break;
		case 2:	/* an interesting value in an aligned field */
			v = fz_interesting();
			off &= ~(size_t)7;
			memcpy(b + off, &v, len - off < 8 ? len - off : 8);
			break;
		default:
			off &= ~(size_t)3;
			v = fz_interesting();
			memcpy(b + off, &v, len - off < 4 ? len - off : 4);
			break;
		}
	}
}
