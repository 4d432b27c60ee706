/*
 * Process address spaces: four-level page tables whose lower half is the
 * process's and whose upper half is the core's (shared PML4 entries), and the
 * list of mappings that says which frames belong to whom.
 *
 * Locking: as->lock (no irqsave: never taken from interrupt context) covers the
 * mapping list and the lower-half page tables. TLB shootdowns run while it is
 * held; the other CPUs take the shootdown IPI even if they spin on this lock,
 * because plain spin_lock leaves interrupts on.
 */
#include "hv/aspace.h"
#include "hv/kobj.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/string.h"
#include "hv/percpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/paging.h"
#include "arch/x86/ipi.h"
#include "abi/include/tern/syscall.h"

#define PT_ENTRIES	512
#define USER_PML4_SLOTS	256	/* slots 0..255: the lower half */

/* A PROT_NONE page keeps its frame in the PTE with P clear; this software bit
 * says the PTE holds one (bit 9 is ignored by the MMU). */
#define PTE_SW_FRAME	(1UL << 9)

struct mapping {
	struct list_node node;
	uintptr_t start, end;	/* page-aligned, end exclusive */
	int prot;
	struct kobj *owner;	/* NULL: the mapping owns its frames (anonymous) */
};

static inline uint64_t *table_va(uint64_t entry)
{
	return frame_va(entry & PTE_ADDR_MASK);
}

static unsigned int pt_index(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

struct aspace *aspace_create(void)
{
	struct aspace *as = kzalloc(sizeof(*as));
	uint64_t *pml4, *kernel;

	if (!as)
		return NULL;
	as->pml4 = frame_alloc(0);
	if (as->pml4 == FRAME_NONE) {
		kfree(as);
		return NULL;
	}
	pml4 = frame_va(as->pml4);
	kernel = frame_va(paging_kernel_cr3());
	/* The core's half is shared: its lower-level tables are the core's own,
	 * so later changes to them (the direct map) show up everywhere. */
	memcpy(&pml4[USER_PML4_SLOTS], &kernel[USER_PML4_SLOTS],
	       (PT_ENTRIES - USER_PML4_SLOTS) * sizeof(uint64_t));
	list_init(&as->mappings);
	return as;
}

void aspace_activate(struct aspace *as)
{
	paddr_t cr3 = as ? as->pml4 : paging_kernel_cr3();

	if (as && !as->loaded)
		__atomic_store_n(&as->loaded, true, __ATOMIC_RELEASE);

	if ((read_cr3() & PTE_ADDR_MASK) != cr3)
		write_cr3(cr3);
}

/* The level-0 PTE for @va, creating the tables on the way when @create. */
static uint64_t *pte_lookup(struct aspace *as, uintptr_t va, bool create)
{
	uint64_t *table = frame_va(as->pml4);
	int level;

	for (level = 3; level > 0; level--) {
		uint64_t *e = &table[pt_index(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa;

			if (!create)
				return NULL;
			pa = frame_alloc(0);
			if (pa == FRAME_NONE)
				return NULL;
			/* Permissions live in the leaves; the upper levels allow all. */
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = table_va(*e);
	}
	return &table[pt_index(va, 0)];
}

static uint64_t leaf_bits(int prot)
{
	uint64_t bits = PTE_SW_FRAME;

	if (prot == TERN_PROT_NONE)
		return bits;
	bits |= PTE_P | PTE_U;
	if (prot & TERN_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & TERN_PROT_EXEC) && cpu_features.nx)
		bits |= PTE_NX;
	return bits;
}

static void flush_this_cpu(void *arg)
{
	struct aspace *as = arg;

	if ((read_cr3() & PTE_ADDR_MASK) == as->pml4)
		write_cr3(read_cr3());
}

/* After PTEs were cleared or downgraded: no CPU may keep a stale translation. */
static void tlb_shootdown(struct aspace *as)
{
	/* An address space being built (process_create) was never loaded: no
	 * CPU can cache its translations. */
	if (!__atomic_load_n(&as->loaded, __ATOMIC_ACQUIRE))
		return;
	flush_this_cpu(as);
	if (cpus_online > 1)
		ipi_call_others(flush_this_cpu, as);
}

static bool range_ok(uintptr_t start, size_t len)
{
	return len && IS_ALIGNED(start, PAGE_SIZE) && start >= ASPACE_USER_BASE &&
	       start < ASPACE_USER_END && len <= ASPACE_USER_END - start;
}

static bool prot_ok(int prot)
{
	return !(prot & ~(TERN_PROT_READ | TERN_PROT_WRITE | TERN_PROT_EXEC));
}

static bool overlaps_any(struct aspace *as, uintptr_t start, uintptr_t end)
{
	struct list_node *pos;

	list_for_each(pos, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);

		if (m->start < end && start < m->end)
			return true;
	}
	return false;
}

/* Lowest free gap of @len at or above @from (ASPACE_MMAP_BASE when 0). */
static uintptr_t find_gap(struct aspace *as, uintptr_t from, size_t len)
{
	uintptr_t cand = from >= ASPACE_USER_BASE ? from : ASPACE_MMAP_BASE;
	struct list_node *pos;

	list_for_each(pos, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);

		if (m->end <= cand)
			continue;
		if (m->start >= cand && m->start - cand >= len)
			break;
		cand = m->end;
	}
	if (cand >= ASPACE_USER_END || len > ASPACE_USER_END - cand)
		return 0;
	return cand;
}

static void insert_sorted(struct aspace *as, struct mapping *nm)
{
	struct list_node *pos;

	list_for_each(pos, &as->mappings) {
		if (list_entry(pos, struct mapping, node)->start > nm->start)
			break;
	}
	list_insert_between(&nm->node, pos->prev, pos);
}

/*
 * Frames of anonymous mappings being unmapped. They go back to the allocator
 * only after a TLB shootdown, so no CPU can still write to a frame that has a
 * new owner; a full batch forces an early shootdown.
 */
#define FREE_BATCH	64

struct free_batch {
	struct aspace *as;
	bool shoot;		/* false: nobody can hold a translation (destroy) */
	size_t nr;
	paddr_t frames[FREE_BATCH];
};

static void batch_flush(struct free_batch *b)
{
	size_t i;

	if (!b->nr)
		return;
	if (b->shoot)
		tlb_shootdown(b->as);
	/* A put, not a free: a VM may still map the frame (TERN_SYS_VM_MAP). */
	for (i = 0; i < b->nr; i++)
		frame_ref_put(b->frames[i]);
	b->nr = 0;
}

/* Clears the PTEs of [start, end) of mapping @m, queueing owned frames on @b. */
static void clear_ptes(struct aspace *as, struct mapping *m, uintptr_t start, uintptr_t end,
		       struct free_batch *b)
{
	uintptr_t va;

	for (va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(as, va, false);

		if (!pte || !(*pte & PTE_SW_FRAME))
			continue;
		if (!m->owner) {
			if (b->nr == FREE_BATCH)
				batch_flush(b);
			b->frames[b->nr++] = *pte & PTE_ADDR_MASK;
		}
		*pte = 0;
		as->pages--;
	}
}

/*
 * Removes every mapping piece inside [start, end). Returns -ENOMEM when a
 * mapping must be split and there is no memory for the new piece; pieces
 * handled before that stay unmapped.
 */
static int unmap_range(struct aspace *as, uintptr_t start, uintptr_t end, bool shoot)
{
	struct free_batch *b = kmalloc(sizeof(*b));
	struct list_node *pos, *tmp, gone;
	bool any = false;
	int err = 0;

	if (!b)
		return -ENOMEM;
	b->as = as;
	b->shoot = shoot;
	b->nr = 0;
	list_init(&gone);
	list_for_each_safe(pos, tmp, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);
		uintptr_t s = MAX(m->start, start), e = MIN(m->end, end);

		if (s >= e)
			continue;
		if (s > m->start && e < m->end) {
			/* A hole in the middle: the tail becomes its own mapping. */
			struct mapping *tail = kmalloc(sizeof(*tail));

			if (!tail) {
				err = -ENOMEM;
				break;
			}
			*tail = *m;
			tail->start = e;
			if (tail->owner)
				kobj_get(tail->owner);
			list_insert_between(&tail->node, &m->node, m->node.next);
			clear_ptes(as, m, s, e, b);
			m->end = s;
		} else {
			clear_ptes(as, m, s, e, b);
			if (s == m->start && e == m->end) {
				list_del(&m->node);
				list_add_tail(&gone, &m->node);
			} else if (s == m->start) {
				m->start = e;
			} else {
				m->end = s;
			}
		}
		any = true;
	}
	if (any && shoot && !b->nr)
		tlb_shootdown(as);	/* borrowed frames only: still flush */
	batch_flush(b);
	kfree(b);
	/* The owners last: dropping the last reference may free the frames,
	 * which no CPU may still reach through a stale translation. */
	list_for_each_safe(pos, tmp, &gone) {
		struct mapping *m = list_entry(pos, struct mapping, node);

		list_del(&m->node);
		if (m->owner)
			kobj_put(m->owner);
		kfree(m);
	}
	return err;
}

static int unmap_locked(struct aspace *as, uintptr_t start, uintptr_t end)
{
	return unmap_range(as, start, end, true);
}

/* Maps [start, start + len) with frames from @frames, or fresh zeroed ones. */
static int map_locked(struct aspace *as, uintptr_t start, size_t len, int prot,
		      struct kobj *owner, const paddr_t *frames)
{
	struct mapping *m = kmalloc(sizeof(*m));
	uintptr_t va;
	size_t i;

	if (!m)
		return -ENOMEM;
	m->start = start;
	m->end = start + len;
	m->prot = prot;
	m->owner = owner;
	if (owner)
		kobj_get(owner);
	insert_sorted(as, m);

	for (i = 0, va = start; va < m->end; va += PAGE_SIZE, i++) {
		uint64_t *pte = pte_lookup(as, va, true);
		paddr_t pa = frames ? frames[i] : frame_alloc(0);

		if (!pte || pa == FRAME_NONE) {
			if (!frames && pa != FRAME_NONE)
				frame_free(pa, 0);
			/* Undo what this call mapped. */
			if (va > start) {
				m->end = va;
				unmap_locked(as, start, va);	/* removes m: it is exactly that */
			} else {
				list_del(&m->node);
				if (m->owner)
					kobj_put(m->owner);
				kfree(m);
			}
			return -ENOMEM;
		}
		*pte = pa | leaf_bits(prot);
		as->pages++;
	}
	return 0;
}

static int map_common(struct aspace *as, uintptr_t *addr, size_t len, int prot, int flags,
		      struct kobj *owner, const paddr_t *frames)
{
	uintptr_t start = *addr;
	int err;

	if (!len || !prot_ok(prot) || len > ASPACE_USER_END)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (flags & ~(TERN_MAP_FIXED | TERN_MAP_FIXED_NOREPLACE))
		return -EINVAL;

	spin_lock(&as->lock);
	/* Memory is allocated at once: refuse what cannot fit before trying. */
	if (!frames && (len >> PAGE_SHIFT) > frame_free_pages()) {
		err = -ENOMEM;
		goto out;
	}
	if (flags & (TERN_MAP_FIXED | TERN_MAP_FIXED_NOREPLACE)) {
		if (!range_ok(start, len)) {
			err = -EINVAL;
			goto out;
		}
		if (overlaps_any(as, start, start + len)) {
			if (flags & TERN_MAP_FIXED_NOREPLACE) {
				err = -EEXIST;
				goto out;
			}
			err = unmap_locked(as, start, start + len);
			if (err)
				goto out;
		}
	} else {
		uintptr_t hint = ALIGN_DOWN(start, PAGE_SIZE);

		start = 0;
		if (hint && range_ok(hint, len) && !overlaps_any(as, hint, hint + len))
			start = hint;
		if (!start)
			start = find_gap(as, 0, len);
		if (!start) {
			err = -ENOMEM;
			goto out;
		}
	}
	err = map_locked(as, start, len, prot, owner, frames);
	if (!err)
		*addr = start;
out:
	spin_unlock(&as->lock);
	return err;
}

int aspace_map_anon(struct aspace *as, uintptr_t *addr, size_t len, int prot, int flags)
{
	return map_common(as, addr, len, prot, flags, NULL, NULL);
}

int aspace_map_frames(struct aspace *as, uintptr_t *addr, size_t len, int prot, int flags,
		      struct kobj *owner, const paddr_t *frames)
{
	if (!owner || !frames || !IS_ALIGNED(len, PAGE_SIZE))
		return -EINVAL;
	return map_common(as, addr, len, prot, flags, owner, frames);
}

int aspace_unmap(struct aspace *as, uintptr_t addr, size_t len)
{
	int err;

	if (!len || !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!range_ok(addr, len))
		return -EINVAL;
	spin_lock(&as->lock);
	err = unmap_locked(as, addr, addr + len);
	spin_unlock(&as->lock);
	return err;
}

/* True when [start, end) is covered by mappings without a hole. */
static bool fully_mapped(struct aspace *as, uintptr_t start, uintptr_t end)
{
	struct list_node *pos;
	uintptr_t cur = start;

	list_for_each(pos, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);

		if (m->end <= cur)
			continue;
		if (m->start > cur)
			return false;
		cur = m->end;
		if (cur >= end)
			return true;
	}
	return cur >= end;
}

/* Makes [start, end) begin and end on mapping boundaries. */
static int split_at(struct aspace *as, uintptr_t at)
{
	struct list_node *pos;

	list_for_each(pos, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);

		if (m->start < at && at < m->end) {
			struct mapping *tail = kmalloc(sizeof(*tail));

			if (!tail)
				return -ENOMEM;
			*tail = *m;
			tail->start = at;
			if (tail->owner)
				kobj_get(tail->owner);
			m->end = at;
			list_insert_between(&tail->node, &m->node, m->node.next);
			return 0;
		}
	}
	return 0;
}

int aspace_protect(struct aspace *as, uintptr_t addr, size_t len, int prot)
{
	struct list_node *pos;
	uintptr_t end;
	int err;

	if (!len || !IS_ALIGNED(addr, PAGE_SIZE) || !prot_ok(prot))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!range_ok(addr, len))
		return -EINVAL;
	end = addr + len;

	spin_lock(&as->lock);
	if (!fully_mapped(as, addr, end)) {
		err = -ENOMEM;
		goto out;
	}
	err = split_at(as, addr);
	if (!err)
		err = split_at(as, end);
	if (err)
		goto out;
	list_for_each(pos, &as->mappings) {
		struct mapping *m = list_entry(pos, struct mapping, node);
		uintptr_t va;

		if (m->start < addr || m->end > end)
			continue;
		m->prot = prot;
		for (va = m->start; va < m->end; va += PAGE_SIZE) {
			uint64_t *pte = pte_lookup(as, va, false);

			if (pte && (*pte & PTE_SW_FRAME))
				*pte = (*pte & PTE_ADDR_MASK) | leaf_bits(prot);
		}
	}
	tlb_shootdown(as);
out:
	spin_unlock(&as->lock);
	return err;
}

bool aspace_translate(struct aspace *as, uintptr_t va, paddr_t *pa, int *prot)
{
	struct list_node *pos;
	uint64_t *pte;
	bool found = false;

	if (va < ASPACE_USER_BASE || va >= ASPACE_USER_END)
		return false;
	spin_lock(&as->lock);
	pte = pte_lookup(as, ALIGN_DOWN(va, PAGE_SIZE), false);
	if (pte && (*pte & PTE_SW_FRAME)) {
		*pa = (*pte & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
		list_for_each(pos, &as->mappings) {
			struct mapping *m = list_entry(pos, struct mapping, node);

			if (m->start <= va && va < m->end) {
				if (prot)
					*prot = m->prot;
				found = true;
				break;
			}
		}
	}
	spin_unlock(&as->lock);
	return found;
}

int aspace_pin(struct aspace *as, uintptr_t va, paddr_t *pa, int *prot)
{
	struct list_node *pos;
	uint64_t *pte;
	int err = -EFAULT;

	if (va < ASPACE_USER_BASE || va >= ASPACE_USER_END || !IS_ALIGNED(va, PAGE_SIZE))
		return -EFAULT;
	/* Under the lock, so an unmap cannot put the frame between the lookup
	 * and the reference. */
	spin_lock(&as->lock);
	pte = pte_lookup(as, va, false);
	if (pte && (*pte & PTE_SW_FRAME)) {
		list_for_each(pos, &as->mappings) {
			struct mapping *m = list_entry(pos, struct mapping, node);

			if (m->start <= va && va < m->end) {
				*pa = *pte & PTE_ADDR_MASK;
				*prot = m->prot;
				err = frame_ref_get(*pa) ? 0 : -EFAULT;
				break;
			}
		}
	}
	spin_unlock(&as->lock);
	return err;
}

static void free_tables(uint64_t *table, int level)
{
	unsigned int i, n = level == 3 ? USER_PML4_SLOTS : PT_ENTRIES;

	for (i = 0; i < n; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level > 1)
			free_tables(table_va(table[i]), level - 1);
		frame_free(table[i] & PTE_ADDR_MASK, 0);
	}
}

void aspace_destroy(struct aspace *as)
{
	if (!as)
		return;
	/* Whole mappings only, so nothing needs splitting; no CPU has this
	 * address space loaded any more, so no shootdown either. unmap_range
	 * only fails for want of its small batch buffer: retry until the heap
	 * has one (teardown must not leak). */
	while (!list_empty(&as->mappings)) {
		struct mapping *m = list_first(&as->mappings, struct mapping, node);

		if (unmap_range(as, m->start, m->end, false))
			cpu_relax();
	}
	free_tables(frame_va(as->pml4), 3);
	frame_free(as->pml4, 0);
	kfree(as);
}
