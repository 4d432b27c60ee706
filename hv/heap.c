/*
 * The core's heap: size classes on top of frame pages.
 *
 * Small objects (up to 2016 bytes) come from slabs: one 4 KiB page per slab,
 * a header at the start of the page and equal objects behind it. A bitmap in
 * the header records which objects are in use, so a double free or a pointer
 * that does not start an object is caught, and no free-list link lives inside
 * freed objects where a use-after-free could corrupt it. Slab objects are never
 * page-aligned (the header occupies offset 0 of the page).
 *
 * Larger requests get their own frame block (page-aligned, rounded up to a
 * power of two pages) and a small record in a hash table keyed by address;
 * kfree of a page-aligned pointer must find that record, so a stray pointer is
 * reported instead of being freed.
 */
#include "hv/heap.h"
#include "hv/frame.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "hv/log.h"

#define SLAB_MAGIC	0x736c6162	/* "slab" */
#define SLAB_HDR	64
#define SLAB_ROOM	(PAGE_SIZE - SLAB_HDR)
#define SLAB_MAX_OBJS	(SLAB_ROOM / 16)

/* Sizes chosen so that each class fills a page with little waste (SLAB_ROOM / n,
 * rounded down to 16). */
static const uint16_t class_size[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 336, 400, 496, 576, 672, 800, 1008, 1344, 2016,
};
#define NR_CLASSES	ARRAY_SIZE(class_size)
#define SMALL_MAX	2016

struct slab {
	uint32_t magic;			/* slab_magic(): also encodes where the slab is */
	uint16_t size;
	uint16_t nr_objs;
	uint16_t nr_used;
	uint8_t class;
	struct slab *next, *prev;	/* on its class's partial list while it has a free object */
	uint64_t used[(SLAB_MAX_OBJS + 63) / 64];
};
_Static_assert(sizeof(struct slab) <= SLAB_HDR, "slab header outgrew its room");

struct big_alloc {
	struct big_alloc *next;
	uintptr_t va;
	unsigned int order;
};

#define BIG_BUCKETS	64

static struct {
	spinlock_t lock;
	struct slab *partial[NR_CLASSES];
	struct big_alloc *big[BIG_BUCKETS];
} heap = { .lock = SPINLOCK_INIT };

/* Mixing the slab's own address into the magic makes it unlikely that a page
 * which is not a slab (or a stale copy of one) passes for one. */
static uint32_t slab_magic(const struct slab *s)
{
	return SLAB_MAGIC ^ (uint32_t)((uintptr_t)s >> PAGE_SHIFT);
}

static unsigned int big_bucket(uintptr_t va)
{
	return (va >> PAGE_SHIFT) % BIG_BUCKETS;
}

static void partial_add(struct slab *s)
{
	s->prev = NULL;
	s->next = heap.partial[s->class];
	if (s->next)
		s->next->prev = s;
	heap.partial[s->class] = s;
}

static void partial_del(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		heap.partial[s->class] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static struct slab *slab_new(unsigned int class)
{
	paddr_t pa = frame_alloc(0);
	struct slab *s;

	if (pa == FRAME_NONE)
		return NULL;
	s = frame_va(pa);		/* zeroed: the bitmap starts empty */
	s->magic = slab_magic(s);
	s->size = class_size[class];
	s->nr_objs = SLAB_ROOM / class_size[class];
	s->class = class;
	partial_add(s);
	return s;
}

static void *small_alloc(size_t size)
{
	unsigned int class, w, bit;
	struct slab *s;

	for (class = 0; class_size[class] < size; class++)
		;
	s = heap.partial[class];
	if (!s && !(s = slab_new(class)))
		return NULL;
	for (w = 0; ~s->used[w] == 0; w++)
		;
	bit = __builtin_ctzll(~s->used[w]);
	/* The bitmap tail beyond nr_objs stays zero, but the partial list only holds
	 * slabs with a free object, so the first clear bit is below nr_objs. */
	s->used[w] |= 1UL << bit;
	if (++s->nr_used == s->nr_objs)
		partial_del(s);
	return (char *)s + SLAB_HDR + (w * 64 + bit) * s->size;
}

static void small_free(void *p)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	uintptr_t off;
	unsigned int i;

	/* Only a page the frame allocator has handed out may be read as a header. */
	if (frame_block_order(frame_pa(s)) != 0 || s->magic != slab_magic(s)) {
		pr_err("kfree(%p): not a heap pointer\n", p);
		return;
	}
	off = (uintptr_t)p - (uintptr_t)s - SLAB_HDR;
	i = off / s->size;
	if ((uintptr_t)p < (uintptr_t)s + SLAB_HDR || off % s->size || i >= s->nr_objs) {
		pr_err("kfree(%p): points into a %u-byte object, not at its start\n", p, s->size);
		return;
	}
	if (!(s->used[i / 64] & (1UL << (i % 64)))) {
		pr_err("kfree(%p): double free of a %u-byte object\n", p, s->size);
		return;
	}
	s->used[i / 64] &= ~(1UL << (i % 64));
	if (s->nr_used-- == s->nr_objs)
		partial_add(s);
	/* Keep one empty slab per class so that alloc/free pairs do not churn pages. */
	if (s->nr_used == 0 && (heap.partial[s->class] != s || s->next)) {
		partial_del(s);
		s->magic = 0;
		frame_free(frame_pa(s), 0);
	}
}

static void *big_alloc(size_t size)
{
	unsigned int order = 0;
	struct big_alloc *rec;
	paddr_t pa;

	while (order <= FRAME_MAX_ORDER && (PAGE_SIZE << order) < size)
		order++;
	if (order > FRAME_MAX_ORDER)
		return NULL;
	rec = small_alloc(sizeof(*rec));
	if (!rec)
		return NULL;
	pa = frame_alloc(order);
	if (pa == FRAME_NONE) {
		small_free(rec);
		return NULL;
	}
	rec->va = (uintptr_t)frame_va(pa);
	rec->order = order;
	rec->next = heap.big[big_bucket(rec->va)];
	heap.big[big_bucket(rec->va)] = rec;
	return (void *)rec->va;
}

static void big_free(void *p)
{
	struct big_alloc **link, *rec;

	for (link = &heap.big[big_bucket((uintptr_t)p)]; (rec = *link); link = &rec->next) {
		if (rec->va == (uintptr_t)p) {
			*link = rec->next;
			frame_free(frame_pa(p), rec->order);
			small_free(rec);
			return;
		}
	}
	pr_err("kfree(%p): not a heap pointer\n", p);
}

void *kmalloc(size_t size)
{
	uint64_t flags;
	void *p;

	flags = spin_lock_irqsave(&heap.lock);
	p = size <= SMALL_MAX ? small_alloc(size) : big_alloc(size);
	spin_unlock_irqrestore(&heap.lock, flags);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	uint64_t flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&heap.lock);
	if (IS_ALIGNED((uintptr_t)p, PAGE_SIZE))
		big_free(p);
	else
		small_free(p);
	spin_unlock_irqrestore(&heap.lock, flags);
}
