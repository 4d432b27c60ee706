// SPDX-License-Identifier: MIT
/* kvmfuzz: the scratch area, guest memory and pointer arguments (fuzz.h). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz.h"

#define USER_TOP	0x0000800000000000ull
#define CORE_TEXT	0xffffffff80000000ull
#define DIRECT_MAP	0xffff800000000000ull

uint8_t *fz_scratch;
uint8_t *fz_guest;

/* @len bytes between two inaccessible pages; returns the accessible part. */
static uint8_t *guarded(size_t len, size_t guard_after)
{
	size_t total = FZ_PAGE + len + guard_after;
	uint8_t *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("kvmfuzz: mmap");
		return NULL;
	}
	if (mprotect(p, FZ_PAGE, PROT_NONE) ||
	    mprotect(p + FZ_PAGE + len, guard_after, PROT_NONE)) {
		perror("kvmfuzz: mprotect");
		return NULL;
	}
	return p + FZ_PAGE;
}

int fz_mem_init(void)
{
	fz_scratch = guarded(FZ_SCRATCH_LEN, FZ_PAGE);
	fz_guest = guarded(FZ_GUEST_LEN, FZ_GUEST_GUARD);
	if (!fz_scratch || !fz_guest)
		return -1;
	fz_fill(fz_scratch, FZ_SCRATCH_LEN);
	fz_fill(fz_guest, FZ_GUEST_LEN);
	return 0;
}

/*
 * Where static x86-64 programs are linked: everything of the fuzzer's own
 * lies above, its image, libtern's heap (at 1 TiB) and its mmaps (thread
 * stacks, libkvm's ring, from 16 TiB). An ioctl writes its answer wherever
 * the pointer says, on Linux as here, and round numbers such as 1 << 40 or
 * 1 << 44 land right on that memory.
 */
#define OWN_FLOOR	0x400000ull

uint64_t fz_not_ours(uint64_t p)
{
	uint64_t scratch = (uint64_t)fz_scratch;

	if (p < OWN_FLOOR || p >= USER_TOP ||
	    (p >= scratch - FZ_PAGE && p < scratch + FZ_SCRATCH_LEN + FZ_PAGE))
		return p;
	/* Still a bad pointer: the same page offset in the guard before the scratch area. */
	return scratch - FZ_PAGE + (p & (FZ_PAGE - 1));
}

uint64_t fz_pick_ptr(void)
{
	uint64_t scratch = (uint64_t)fz_scratch;

	switch (fz_below(10)) {
	case 0: return 0;
	case 1: return fz_below(FZ_PAGE);				/* the NULL page */
	case 2: return scratch - FZ_PAGE + fz_below(FZ_PAGE);		/* guard before */
	case 3: return scratch + FZ_SCRATCH_LEN - 8 + fz_below(16);	/* runs into the guard */
	case 4: return CORE_TEXT + fz_below(1 << 22);
	case 5: return DIRECT_MAP + fz_below(1ull << 32);
	case 6: return USER_TOP - 64 + fz_below(128);			/* the canonical hole */
	case 7: return fz_not_ours(fz_rand());
	default: return scratch + fz_below(FZ_SCRATCH_USE);
	}
}

void *fz_scratch_random(size_t len)
{
	uint8_t *p = fz_scratch + fz_below(FZ_SCRATCH_USE);

	if (fz_chance(50))
		p = (uint8_t *)((uint64_t)p & ~7ull);
	if (len > FZ_SCRATCH_LEN - FZ_SCRATCH_USE)
		len = FZ_SCRATCH_LEN - FZ_SCRATCH_USE;
	fz_fill(p, len);
	return p;
}

/*
 * A slot's memory is what the guest may write: anything else of the fuzzer's
 * (its heap, stacks, the scratch area) would be corrupted by a guest. So a
 * user address that is not guest memory is moved into it, and a slot that
 * starts in guest memory ends at the latest at the end of the guard (which
 * the service domain must refuse: it is not accessible).
 */
void fz_sanitize_region(struct kvm_userspace_memory_region *r)
{
	uint64_t lo = (uint64_t)fz_guest, hi = lo + FZ_GUEST_LEN + FZ_GUEST_GUARD;

	if (r->userspace_addr < USER_TOP && (r->userspace_addr < lo || r->userspace_addr >= hi)) {
		if (r->userspace_addr >= FZ_PAGE || fz_chance(70))
			r->userspace_addr = lo + (r->userspace_addr % FZ_GUEST_LEN);
	}
	if (r->userspace_addr >= lo && r->userspace_addr < hi &&
	    r->memory_size > hi - r->userspace_addr)
		r->memory_size = hi - r->userspace_addr;
}
