/*
 * Buddy allocator for physical frames: blocks of 2^order pages, order 0 (4 KiB)
 * up to FRAME_MAX_ORDER (1 GiB). Blocks are naturally aligned to their size.
 */
#ifndef HV_FRAME_H
#define HV_FRAME_H

#include "hv/types.h"

#define FRAME_MAX_ORDER		18
#define FRAME_NONE		((paddr_t)-1)

struct mem_region {
	paddr_t base;
	uint64_t size;
};

/* Returns the physical address of a zeroed block of 2^order pages, or FRAME_NONE. */
paddr_t frame_alloc(unsigned int order);
/* Frees a block from frame_alloc. Freeing a block that is not allocated with
 * that order (double free, wrong order, misaligned) is detected: the call logs
 * and returns false without touching the allocator's state. */
bool frame_free(paddr_t pa, unsigned int order);
/* Pages currently free / managed in total. */
uint64_t frame_free_pages(void);
uint64_t frame_total_pages(void);

#endif
