/*
 * Sets of physical address ranges, kept as arrays of struct mem_region that are
 * sorted by base, disjoint and merged (no two ranges touch). The memory map
 * parser and memory_init build RAM lists with these; the arrays have a fixed
 * capacity because they exist before any allocator does.
 */
#ifndef HV_REGION_H
#define HV_REGION_H

#include "hv/types.h"
#include "hv/frame.h"

static inline paddr_t region_end(const struct mem_region *r)
{
	return r->base + r->size;
}

/*
 * Adds [base, end) to the set in r[0..*nr), merging it with every range it
 * overlaps or touches. Returns false (set unchanged) when the range would need
 * a new slot and all @max are in use.
 */
bool region_add(struct mem_region *r, unsigned int *nr, unsigned int max, paddr_t base, paddr_t end);

/*
 * Removes [base, end) from the set. Cutting a hole into a range needs one more
 * slot; without one the upper piece is dropped and false is returned (losing
 * RAM is safe, handing out a removed range is not).
 */
bool region_remove(struct mem_region *r, unsigned int *nr, unsigned int max, paddr_t base, paddr_t end);

/* Shrinks every range inward to page boundaries and drops the empty ones. */
void region_trim_to_pages(struct mem_region *r, unsigned int *nr);

/* Sum of the sizes. */
uint64_t region_total(const struct mem_region *r, unsigned int nr);

#endif
