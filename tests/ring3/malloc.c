/*
 * malloc stress: many blocks of mixed sizes allocated, filled with a pattern,
 * checked and freed in a pseudo-random order; realloc keeps contents; calloc
 * zeroes; posix_memalign aligns; a large block works; anonymous mmap,
 * mprotect and munmap behave. Sized for Bochs (a few MB touched in all).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/r3.h"

#define SLOTS	256
#define ROUNDS	6000

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

struct block {
	unsigned char *p;
	size_t len;
	unsigned char tag;
};

static size_t pick_size(void)
{
	uint32_t r = rnd() % 100;

	if (r < 60)
		return 1 + rnd() % 128;
	if (r < 95)
		return 129 + rnd() % 4096;
	return 4097 + rnd() % (64 * 1024);
}

/* Only the ends and a middle byte: touching every byte would be slow on Bochs. */
static void fill(struct block *b)
{
	memset(b->p, b->tag, b->len < 64 ? b->len : 64);
	b->p[b->len / 2] = b->tag;
	b->p[b->len - 1] = b->tag;
}

static bool intact(const struct block *b)
{
	size_t n = b->len < 64 ? b->len : 64;

	for (size_t i = 0; i < n; i++)
		if (b->p[i] != b->tag)
			return false;
	return b->p[b->len / 2] == b->tag && b->p[b->len - 1] == b->tag;
}

static void stress(void)
{
	static struct block slot[SLOTS];
	unsigned int allocs = 0, reallocs = 0, bad = 0;

	for (int round = 0; round < ROUNDS; round++) {
		struct block *b = &slot[rnd() % SLOTS];

		if (b->p && !intact(b))
			bad++;
		if (b->p && rnd() % 4 == 0) {
			/* realloc keeps the common prefix. */
			size_t nlen = pick_size(), keep = nlen < b->len ? nlen : b->len;
			unsigned char *q = realloc(b->p, nlen);

			if (!r3_check(q != NULL, "realloc(%zu) failed", nlen))
				return;
			for (size_t i = 0; i < (keep < 64 ? keep : 64); i++)
				if (q[i] != b->tag)
					bad++;
			b->p = q;
			b->len = nlen;
			fill(b);
			reallocs++;
			continue;
		}
		free(b->p);
		b->len = pick_size();
		b->tag = (unsigned char)(round | 1);
		b->p = malloc(b->len);
		if (!r3_check(b->p != NULL, "malloc(%zu) failed after %u allocations", b->len,
			      allocs))
			return;
		fill(b);
		allocs++;
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slot[i].p && !intact(&slot[i]))
			bad++;
		free(slot[i].p);
		slot[i].p = NULL;
	}
	r3_check(bad == 0, "%u corrupted blocks", bad);
	printf("%s: %u mallocs, %u reallocs\n", r3_name(), allocs, reallocs);
}

static void special(void)
{
	unsigned char *z = calloc(1000, 7);
	void *a = NULL;
	size_t zeros = 0;

	if (r3_check(z != NULL, "calloc failed")) {
		for (size_t i = 0; i < 7000; i++)
			zeros += z[i] == 0;
		r3_check(zeros == 7000, "calloc: %zu of 7000 bytes zero", zeros);
		free(z);
	}
	r3_check(posix_memalign(&a, 4096, 100) == 0 && ((uintptr_t)a & 4095) == 0,
		 "posix_memalign(4096) gave %p", a);
	free(a);
	r3_check(posix_memalign(&a, 3, 100) == EINVAL, "posix_memalign(3) accepted");

	/* A block larger than any heap growth step so far. */
	size_t big_len = 8u << 20;
	unsigned char *big = malloc(big_len);

	if (r3_check(big != NULL, "malloc(8 MiB) failed")) {
		for (size_t i = 0; i < big_len; i += 4096)
			big[i] = (unsigned char)(i >> 12);
		size_t wrong = 0;
		for (size_t i = 0; i < big_len; i += 4096)
			wrong += big[i] != (unsigned char)(i >> 12);
		r3_check(wrong == 0, "8 MiB block: %zu pages wrong", wrong);
		free(big);
	}
	r3_check(malloc(SIZE_MAX / 2) == NULL, "malloc(SIZE_MAX/2) succeeded");
}

static void mapping(void)
{
	size_t len = 16 * 4096;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	size_t nonzero = 0;

	if (!r3_check(m != MAP_FAILED, "mmap of 64 KiB failed (errno %d)", errno))
		return;
	r3_check(((uintptr_t)m & 4095) == 0, "mmap address %p not page aligned", (void *)m);
	for (size_t i = 0; i < len; i += 512)
		nonzero += m[i] != 0;
	r3_check(nonzero == 0, "fresh mmap memory not zero");
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 0x5a;
	r3_check(mprotect(m, 4096, PROT_READ) == 0, "mprotect read-only failed (errno %d)", errno);
	r3_check(m[0] == 0x5a, "read after mprotect");
	r3_check(munmap(m, len) == 0, "munmap failed (errno %d)", errno);
	r3_check(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
		 errno == EINVAL, "mmap of 0 bytes did not fail with EINVAL");
}

int main(int argc, char **argv)
{
	(void)argc;
	r3_start(argv[0]);
	stress();
	special();
	mapping();
	return r3_done();
}
