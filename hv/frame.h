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

/*
 * Starts the allocator. Every address it will ever manage (also what
 * frame_add_region brings later) lies in [span_base, span_end); its metadata,
 * one byte per page of the span, is carved out of the top of the last region
 * in @ram that can hold it (the highest one when @ram is sorted). The rest of @ram (page-aligned, disjoint)
 * becomes free. The allocator reaches physical address pa at virtual
 * pa + @virt_offset (the direct map in the core, a test arena on the host).
 * Returns false, with nothing managed, when no region can hold the metadata.
 */
bool frame_init(paddr_t span_base, paddr_t span_end, const struct mem_region *ram,
		unsigned int nr, uintptr_t virt_offset);
/* Adds free memory inside the span that is not managed yet (e.g. RAM that
 * became reachable later). Returns false, changing nothing, otherwise. */
bool frame_add_region(paddr_t base, uint64_t size);
/* Where the allocator's metadata lives (for the boot log). */
struct mem_region frame_metadata_region(void);

/* The allocator's view of memory: virtual address of a managed frame and back. */
void *frame_va(paddr_t pa);
paddr_t frame_pa(const void *va);
/* The order of the allocated block that starts at @pa, or -1 when @pa does not
 * start an allocated block. Lets the heap vet pointers it is handed. */
int frame_block_order(paddr_t pa);

/* Returns the physical address of a zeroed block of 2^order pages, or FRAME_NONE. */
paddr_t frame_alloc(unsigned int order);
/* Frees a block from frame_alloc. Freeing a block that is not allocated with
 * that order (double free, wrong order, misaligned) is detected: the call logs
 * and returns false without touching the allocator's state. */
bool frame_free(paddr_t pa, unsigned int order);
/*
 * Shared order-0 frames (guest memory that is both a process's and a VM's):
 * frame_alloc() gives the first reference; frame_ref_get() adds one and
 * frame_ref_put() drops one, freeing the frame when it was the last. A frame
 * with more than one reference cannot be frame_free()d. Both log and return
 * false, changing nothing, for a pa that is not an allocated order-0 frame
 * (or, for get, one with 65536 references already).
 */
bool frame_ref_get(paddr_t pa);
bool frame_ref_put(paddr_t pa);
/* References @pa holds (0: not an allocated order-0 frame). For tests. */
unsigned int frame_ref_count(paddr_t pa);

/* Pages currently free / managed in total. */
uint64_t frame_free_pages(void);
uint64_t frame_total_pages(void);

#endif
