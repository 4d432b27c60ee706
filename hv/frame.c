/*
 * Buddy allocator for physical frames (see frame.h).
 *
 * Free blocks of each order sit on a doubly linked list whose links live in the
 * first bytes of the free block itself, so removing a buddy during a merge is
 * O(1) and the allocator needs no memory per free block. Besides the lists there
 * is one metadata byte per page of the span:
 *
 *   META_FREE | order	first page of a free block of that order
 *   META_USED | order	first page of an allocated block of that order
 *   META_TAIL		any other page of a block, free or allocated
 *   META_NONE		not managed: holes, reserved memory, the metadata itself
 *
 * Every page of the span is in exactly one of these states at all times, which
 * is what lets frame_free() reject a double free, a wrong order or a pointer into
 * the middle of a block before it changes anything.
 *
 * After the metadata bytes comes one 16-bit count per page: the references an
 * order-0 frame has beyond the one frame_alloc() gave its first owner
 * (frame_ref_get). Counting only the extra ones keeps frame_alloc() and the
 * callers that never share a frame unchanged; a frame with extra references
 * cannot be frame_free()d, only dropped with frame_ref_put().
 *
 * Block alignment is natural in physical terms: the span base is rounded down to
 * the largest block size, so page index alignment equals address alignment.
 */
#include "hv/frame.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "hv/log.h"

#define META_FREE	0x80
#define META_USED	0x40
#define META_TAIL	0xfe
#define META_NONE	0xff
#define META_KIND(m)	((m) & 0xc0)	/* TAIL and NONE have both bits: neither kind */
#define META_ORDER(m)	((m) & 0x1f)

#define MAX_BLOCK	(PAGE_SIZE << FRAME_MAX_ORDER)

struct free_block {
	struct free_block *next;
	struct free_block *prev;
};

static struct {
	spinlock_t lock;
	uintptr_t virt_offset;
	paddr_t span_base;
	uint64_t span_pages;
	uint8_t *meta;
	uint16_t *refs;			/* extra references per page, after meta */
	struct mem_region meta_region;
	struct free_block lists[FRAME_MAX_ORDER + 1];	/* circular, head is a sentinel */
	uint64_t free_pages;
	uint64_t total_pages;
} fa = { .lock = SPINLOCK_INIT };

void *frame_va(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + fa.virt_offset);
}

paddr_t frame_pa(const void *va)
{
	return (uintptr_t)va - fa.virt_offset;
}

static uint64_t pa_to_index(paddr_t pa)
{
	return (pa - fa.span_base) >> PAGE_SHIFT;
}

static paddr_t index_to_pa(uint64_t idx)
{
	return fa.span_base + (idx << PAGE_SHIFT);
}

static bool in_span(paddr_t pa)
{
	return pa >= fa.span_base && pa_to_index(pa) < fa.span_pages;
}

static void list_push(unsigned int order, uint64_t idx)
{
	struct free_block *head = &fa.lists[order];
	struct free_block *b = frame_va(index_to_pa(idx));

	b->next = head->next;
	b->prev = head;
	head->next->prev = b;
	head->next = b;
}

static void list_unlink(struct free_block *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

/* Frees the block at @idx of @order (its pages already META_TAIL or about to be
 * covered by the head byte written here), merging it with free buddies. */
static void free_and_merge(uint64_t idx, unsigned int order)
{
	while (order < FRAME_MAX_ORDER) {
		uint64_t buddy = idx ^ (1UL << order);

		if (buddy >= fa.span_pages || fa.meta[buddy] != (META_FREE | order))
			break;
		list_unlink(frame_va(index_to_pa(buddy)));
		fa.meta[MAX(idx, buddy)] = META_TAIL;
		idx = MIN(idx, buddy);
		order++;
	}
	fa.meta[idx] = META_FREE | order;
	list_push(order, idx);
}

/* The largest naturally aligned block that starts at @pa and ends by @end. */
static unsigned int largest_order(paddr_t pa, paddr_t end)
{
	unsigned int order = FRAME_MAX_ORDER;

	while (order && (!IS_ALIGNED(pa, PAGE_SIZE << order) || end - pa < (PAGE_SIZE << order)))
		order--;
	return order;
}

/* Hands [base, end) (page-aligned, in the span, all META_NONE) to the free lists. */
static void add_range(paddr_t base, paddr_t end)
{
	paddr_t pa;

	for (pa = base; pa < end;) {
		unsigned int order = largest_order(pa, end);
		uint64_t idx = pa_to_index(pa), n = 1UL << order;

		memset(&fa.meta[idx + 1], META_TAIL, n - 1);
		free_and_merge(idx, order);
		fa.free_pages += n;
		fa.total_pages += n;
		pa += PAGE_SIZE << order;
	}
}

/* Checks that [base, end) can be added: in the span and not managed yet. */
static bool range_addable(paddr_t base, paddr_t end)
{
	uint64_t i;

	if (base < fa.span_base || end < base || pa_to_index(end) > fa.span_pages) {
		pr_err("frame: [%#lx, %#lx) lies outside the span [%#lx, %#lx)\n", base, end,
		       fa.span_base, index_to_pa(fa.span_pages));
		return false;
	}
	for (i = pa_to_index(base); i < pa_to_index(end); i++) {
		if (fa.meta[i] != META_NONE) {
			pr_err("frame: [%#lx, %#lx) overlaps managed memory at %#lx\n", base, end,
			       index_to_pa(i));
			return false;
		}
	}
	return true;
}

/* Back to "nothing managed"; frame_alloc then fails cleanly. */
static void frame_reset(void)
{
	unsigned int i;

	memset(&fa, 0, sizeof(fa));
	for (i = 0; i <= FRAME_MAX_ORDER; i++)
		fa.lists[i].next = fa.lists[i].prev = &fa.lists[i];
}

bool frame_init(paddr_t span_base, paddr_t span_end, const struct mem_region *ram,
		unsigned int nr, uintptr_t virt_offset)
{
	uint64_t meta_bytes;
	paddr_t meta_pa = 0;
	unsigned int i;
	int home = -1;

	frame_reset();
	fa.virt_offset = virt_offset;
	fa.span_base = ALIGN_DOWN(span_base, MAX_BLOCK);
	span_end = ALIGN_UP(span_end, (paddr_t)PAGE_SIZE);
	if (span_end <= fa.span_base) {
		pr_err("frame: empty span [%#lx, %#lx)\n", span_base, span_end);
		return false;
	}
	fa.span_pages = (span_end - fa.span_base) >> PAGE_SHIFT;
	meta_bytes = ALIGN_UP(ALIGN_UP(fa.span_pages, 8) + fa.span_pages * sizeof(uint16_t),
			      PAGE_SIZE);

	/* The top of the last (highest, when sorted) region that fits, keeping low
	 * memory for whoever needs low addresses. */
	for (i = nr; i-- > 0;) {
		paddr_t base = ALIGN_UP(ram[i].base, (paddr_t)PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(ram[i].base + ram[i].size, (paddr_t)PAGE_SIZE);

		if (base < fa.span_base || end > span_end) {
			pr_err("frame: region [%#lx, %#lx) lies outside the span\n", base, end);
			return false;
		}
		if (home < 0 && end > base && end - base >= meta_bytes) {
			home = i;
			meta_pa = end - meta_bytes;
		}
	}
	if (home < 0) {
		pr_err("frame: no region holds the %lu KiB of frame metadata\n", meta_bytes / KiB);
		return false;
	}
	fa.meta = frame_va(meta_pa);
	fa.meta_region.base = meta_pa;
	fa.meta_region.size = meta_bytes;
	memset(fa.meta, META_NONE, fa.span_pages);
	fa.refs = (uint16_t *)(fa.meta + ALIGN_UP(fa.span_pages, 8));
	memset(fa.refs, 0, fa.span_pages * sizeof(uint16_t));

	for (i = 0; i < nr; i++) {
		paddr_t base = ALIGN_UP(ram[i].base, (paddr_t)PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(ram[i].base + ram[i].size, (paddr_t)PAGE_SIZE);

		if ((int)i == home)
			end = meta_pa;
		if (end <= base)
			continue;
		if (!range_addable(base, end)) {
			frame_reset();
			return false;
		}
		add_range(base, end);
	}
	return true;
}

bool frame_add_region(paddr_t base, uint64_t size)
{
	paddr_t start = ALIGN_UP(base, (paddr_t)PAGE_SIZE);
	paddr_t end = ALIGN_DOWN(base + size, (paddr_t)PAGE_SIZE);
	uint64_t flags;
	bool ok = true;

	if (!fa.meta) {
		pr_err("frame: frame_add_region before frame_init\n");
		return false;
	}
	if (end <= start)
		return true;
	flags = spin_lock_irqsave(&fa.lock);
	if (range_addable(start, end))
		add_range(start, end);
	else
		ok = false;
	spin_unlock_irqrestore(&fa.lock, flags);
	return ok;
}

struct mem_region frame_metadata_region(void)
{
	return fa.meta_region;
}

paddr_t frame_alloc(unsigned int order)
{
	struct free_block *b;
	unsigned int o;
	uint64_t idx, flags;
	paddr_t pa;

	if (order > FRAME_MAX_ORDER || !fa.meta)
		return FRAME_NONE;
	flags = spin_lock_irqsave(&fa.lock);
	for (o = order; o <= FRAME_MAX_ORDER && fa.lists[o].next == &fa.lists[o]; o++)
		;
	if (o > FRAME_MAX_ORDER) {
		spin_unlock_irqrestore(&fa.lock, flags);
		return FRAME_NONE;
	}
	b = fa.lists[o].next;
	list_unlink(b);
	pa = frame_pa(b);
	idx = pa_to_index(pa);
	/* Split: keep the lower half, free the upper half at each step down. */
	while (o > order) {
		o--;
		fa.meta[idx + (1UL << o)] = META_FREE | o;
		list_push(o, idx + (1UL << o));
	}
	fa.meta[idx] = META_USED | order;
	fa.free_pages -= 1UL << order;
	spin_unlock_irqrestore(&fa.lock, flags);

	/* Outside the lock: the block is ours now, and zeroing 1 GiB takes a while. */
	memset(frame_va(pa), 0, PAGE_SIZE << order);
	return pa;
}

/* Why @pa of @order cannot be freed, or NULL if it can. Called with the lock held. */
static const char *free_refusal(paddr_t pa, unsigned int order)
{
	uint8_t m;

	if (order > FRAME_MAX_ORDER)
		return "order out of range";
	if (!fa.meta || !in_span(pa))
		return "not a managed address";
	if (!IS_ALIGNED(pa - fa.span_base, PAGE_SIZE << order))
		return "misaligned for this order";
	m = fa.meta[pa_to_index(pa)];
	if (m == (META_USED | order))
		return fa.refs[pa_to_index(pa)] ? "still referenced (frame_ref_get)" : NULL;
	if (META_KIND(m) == META_FREE)
		return "double free (block is free)";
	if (META_KIND(m) == META_USED)
		return "wrong order (block was allocated with another order)";
	if (m == META_TAIL)
		return "not the start of a block";
	return "not a managed address";
}

bool frame_free(paddr_t pa, unsigned int order)
{
	const char *why;
	uint64_t flags;

	flags = spin_lock_irqsave(&fa.lock);
	why = free_refusal(pa, order);
	if (!why) {
		free_and_merge(pa_to_index(pa), order);
		fa.free_pages += 1UL << order;
	}
	spin_unlock_irqrestore(&fa.lock, flags);
	if (why)
		pr_err("frame_free(%#lx, order %u) refused: %s\n", pa, order, why);
	return !why;
}

bool frame_ref_get(paddr_t pa)
{
	const char *why = NULL;
	uint64_t flags, idx;

	flags = spin_lock_irqsave(&fa.lock);
	if (!fa.meta || !in_span(pa) || !IS_ALIGNED(pa, PAGE_SIZE))
		why = "not a managed frame";
	else if (fa.meta[idx = pa_to_index(pa)] != (META_USED | 0))
		why = "not an allocated order-0 frame";
	else if (fa.refs[idx] == UINT16_MAX)
		why = "too many references";
	else
		fa.refs[idx]++;
	spin_unlock_irqrestore(&fa.lock, flags);
	if (why)
		pr_err("frame_ref_get(%#lx) refused: %s\n", pa, why);
	return !why;
}

bool frame_ref_put(paddr_t pa)
{
	const char *why = NULL;
	uint64_t flags, idx;

	flags = spin_lock_irqsave(&fa.lock);
	if (!fa.meta || !in_span(pa) || !IS_ALIGNED(pa, PAGE_SIZE))
		why = "not a managed frame";
	else if (fa.meta[idx = pa_to_index(pa)] != (META_USED | 0))
		why = "not an allocated order-0 frame";
	else if (fa.refs[idx])
		fa.refs[idx]--;
	else {
		free_and_merge(idx, 0);
		fa.free_pages++;
	}
	spin_unlock_irqrestore(&fa.lock, flags);
	if (why)
		pr_err("frame_ref_put(%#lx) refused: %s\n", pa, why);
	return !why;
}

unsigned int frame_ref_count(paddr_t pa)
{
	unsigned int n = 0;
	uint64_t flags, idx;

	flags = spin_lock_irqsave(&fa.lock);
	if (fa.meta && in_span(pa) && IS_ALIGNED(pa, PAGE_SIZE) &&
	    fa.meta[idx = pa_to_index(pa)] == (META_USED | 0))
		n = 1 + fa.refs[idx];
	spin_unlock_irqrestore(&fa.lock, flags);
	return n;
}

int frame_block_order(paddr_t pa)
{
	uint64_t flags;
	int order = -1;
	uint8_t m;

	flags = spin_lock_irqsave(&fa.lock);
	if (fa.meta && in_span(pa) && IS_ALIGNED(pa, PAGE_SIZE)) {
		m = fa.meta[pa_to_index(pa)];
		if (META_KIND(m) == META_USED)
			order = META_ORDER(m);
	}
	spin_unlock_irqrestore(&fa.lock, flags);
	return order;
}

uint64_t frame_free_pages(void)
{
	return __atomic_load_n(&fa.free_pages, __ATOMIC_RELAXED);
}

uint64_t frame_total_pages(void)
{
	return __atomic_load_n(&fa.total_pages, __ATOMIC_RELAXED);
}
