/*
 * The program break for newlib's malloc. The core maps memory at once (no
 * demand paging), so the heap cannot be reserved up front; instead it grows
 * page by page at a fixed address range far from where mmap places things,
 * with MAP_FIXED_NOREPLACE so a collision fails cleanly instead of clobbering.
 */
#include <unistd.h>
#include "internal.h"

#define HEAP_BASE	0x0000010000000000UL	/* 1 TiB */
#define HEAP_STEP	(64 * 1024UL)
#define HEAP_LIMIT	0x0000100000000000UL	/* where the core's mmap search starts */

static struct tern_lowlock heap_lock = TERN_LOWLOCK_INIT;
static uintptr_t heap_brk = HEAP_BASE;		/* current break */
static uintptr_t heap_mapped = HEAP_BASE;	/* end of the mapped pages */

void *_sbrk(ptrdiff_t incr)
{
	uintptr_t old, want;
	void *ret = (void *)-1;

	tern_lowlock_acquire(&heap_lock);
	old = heap_brk;
	want = old + (uintptr_t)incr;
	if ((incr > 0 && (want < old || want > HEAP_LIMIT)) || (incr < 0 && want < HEAP_BASE)) {
		errno = ENOMEM;
		goto out;
	}
	if (want > heap_mapped) {
		/* Grow in HEAP_STEP units: malloc asks for a few KiB at a time. */
		uintptr_t end = (want + HEAP_STEP - 1) & ~(HEAP_STEP - 1);
		long r = sys4(TERN_SYS_MMAP, heap_mapped, end - heap_mapped,
			      TERN_PROT_READ | TERN_PROT_WRITE, TERN_MAP_FIXED_NOREPLACE);

		if (r < 0) {
			errno = ENOMEM;
			goto out;
		}
		heap_mapped = end;
	} else if (((want + HEAP_STEP - 1) & ~(HEAP_STEP - 1)) < heap_mapped) {
		/* malloc trimmed the top: give whole steps back to the core. */
		uintptr_t end = (want + HEAP_STEP - 1) & ~(HEAP_STEP - 1);

		if (sys2(TERN_SYS_MUNMAP, end, heap_mapped - end) == 0)
			heap_mapped = end;
	}
	heap_brk = want;
	ret = (void *)old;
out:
	tern_lowlock_release(&heap_lock);
	return ret;
}

void *sbrk(ptrdiff_t incr)
{
	return _sbrk(incr);
}
