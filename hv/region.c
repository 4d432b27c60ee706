/* Sorted, disjoint sets of physical ranges (see region.h). */
#include "hv/region.h"
#include "hv/string.h"

static void region_insert_at(struct mem_region *r, unsigned int *nr, unsigned int i,
			     paddr_t base, paddr_t end)
{
	memmove(&r[i + 1], &r[i], (*nr - i) * sizeof(*r));
	r[i].base = base;
	r[i].size = end - base;
	(*nr)++;
}

static void region_delete_range(struct mem_region *r, unsigned int *nr, unsigned int from,
				unsigned int to)
{
	memmove(&r[from], &r[to], (*nr - to) * sizeof(*r));
	*nr -= to - from;
}

bool region_add(struct mem_region *r, unsigned int *nr, unsigned int max, paddr_t base, paddr_t end)
{
	unsigned int i, j;

	if (end <= base)
		return true;
	/* r[i] is the first range that ends at or after base: it may touch us. */
	for (i = 0; i < *nr && region_end(&r[i]) < base; i++)
		;
	/* r[i..j) are all the ranges that overlap or touch [base, end). */
	for (j = i; j < *nr && r[j].base <= end; j++)
		;
	if (i == j) {
		if (*nr >= max)
			return false;
		region_insert_at(r, nr, i, base, end);
		return true;
	}
	base = MIN(base, r[i].base);
	end = MAX(end, region_end(&r[j - 1]));
	r[i].base = base;
	r[i].size = end - base;
	region_delete_range(r, nr, i + 1, j);
	return true;
}

bool region_remove(struct mem_region *r, unsigned int *nr, unsigned int max, paddr_t base, paddr_t end)
{
	bool complete = true;
	unsigned int i;

	if (end <= base)
		return true;
	for (i = 0; i < *nr; i++) {
		paddr_t rb = r[i].base, re = region_end(&r[i]);

		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) {
			r[i].size = base - rb;
			if (*nr < max)
				region_insert_at(r, nr, i + 1, end, re);
			else
				complete = false;
			/* The ranges are disjoint: nothing further can overlap. */
			break;
		} else if (rb < base) {
			r[i].size = base - rb;
		} else if (re > end) {
			r[i].base = end;
			r[i].size = re - end;
		} else {
			region_delete_range(r, nr, i, i + 1);
			i--;
		}
	}
	return complete;
}

void region_trim_to_pages(struct mem_region *r, unsigned int *nr)
{
	unsigned int i, out = 0;

	for (i = 0; i < *nr; i++) {
		paddr_t base = ALIGN_UP(r[i].base, (paddr_t)PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(region_end(&r[i]), (paddr_t)PAGE_SIZE);

		/* ALIGN_UP of a base in the last page of the address space wraps to 0. */
		if (base < r[i].base || end <= base)
			continue;
		r[out].base = base;
		r[out].size = end - base;
		out++;
	}
	*nr = out;
}

uint64_t region_total(const struct mem_region *r, unsigned int nr)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		sum += r[i].size;
	return sum;
}
