/*
 * Nested page tables (GPA -> HPA) in Intel EPT or AMD NPT format.
 *
 * Both formats share the 4-level radix layout (9 index bits per level, 4 KiB
 * tables, large-page bit 7 at levels 2 and 3); only the bits of an entry
 * differ, so one walker serves both and the encoding lives in a few helpers.
 *
 * Table pages are never freed before npt_destroy: a table that becomes empty
 * stays, and a large mapping over an existing table is written into that
 * table instead of replacing it. That keeps npt_lookup lock-free (it can never
 * follow a pointer into a freed page) and means no hardware walker on another
 * CPU can be looking at a recycled page either. The cost is bounded: tables
 * exist only for GPA ranges that were mapped at 4 KiB granularity once.
 *
 * Updates (npt_map/unmap/protect) must be serialized by the caller (vm->lock).
 */
#include "mmu/npt.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/mm.h"
#include "hv/string.h"

#define NPT_LEVELS		4
#define NPT_ENTRIES		512
#define NPT_GPA_BITS		48
#define NPT_ADDR_MASK		0x000FFFFFFFFFF000ULL	/* bits 51:12 */
#define NPT_LARGE		(1ULL << 7)		/* both formats */

/* EPT entry bits (Intel SDM vol. 3, "The Extended Page Table Mechanism"). */
#define EPT_R			(1ULL << 0)
#define EPT_W			(1ULL << 1)
#define EPT_X			(1ULL << 2)
#define EPT_MT_WB		(6ULL << 3)
#define EPT_A			(1ULL << 8)
#define EPT_D			(1ULL << 9)

/* AMD NPT entries are long-mode page-table entries. */
#define AMD_P			(1ULL << 0)
#define AMD_RW			(1ULL << 1)
#define AMD_US			(1ULL << 2)
#define AMD_NX			(1ULL << 63)

struct npt {
	struct npt_config cfg;
	paddr_t root;
	uint64_t *root_va;
	uint64_t nr_tables;
	/* A present leaf was changed or removed since npt_take_stale(). */
	bool stale;
};

enum npt_op { OP_MAP, OP_UNMAP, OP_PROTECT };

struct npt_req {
	enum npt_op op;
	uint64_t gpa;		/* start of the whole request (for hpa offsets) */
	paddr_t hpa;
	unsigned int prot;
};

/* Size mapped by one entry at @level (1 = 4 KiB page table). */
static inline uint64_t level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + 9 * (level - 1));
}

static inline unsigned int level_index(uint64_t gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (NPT_ENTRIES - 1);
}

static inline uint64_t entry_read(const uint64_t *e)
{
	return __atomic_load_n(e, __ATOMIC_RELAXED);
}

/* One 64-bit store: a hardware walker sees the old or the new entry, never a mix. */
static inline void entry_write(uint64_t *e, uint64_t v)
{
	__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

static inline bool entry_present(const struct npt *npt, uint64_t e)
{
	if (npt->cfg.format == NPT_FORMAT_EPT)
		return (e & (EPT_R | EPT_W | EPT_X)) != 0;
	return (e & AMD_P) != 0;
}

static inline bool entry_is_leaf(uint64_t e, int level)
{
	return level == 1 || (e & NPT_LARGE);
}

static inline bool entry_is_table(const struct npt *npt, uint64_t e, int level)
{
	return entry_present(npt, e) && !entry_is_leaf(e, level);
}

static uint64_t make_table_entry(const struct npt *npt, paddr_t table)
{
	if (npt->cfg.format == NPT_FORMAT_EPT)
		return table | EPT_R | EPT_W | EPT_X | (npt->cfg.ept_ad ? EPT_A : 0);
	/* QEMU's NPT walk checks U at every level like a user access would. */
	return table | AMD_P | AMD_RW | AMD_US;
}

/*
 * Leaf entry for @hpa at @level. With EPT A/D enabled the A and D flags are
 * preset so the CPU never has to write the tables back on first access.
 */
static uint64_t make_leaf(const struct npt *npt, paddr_t hpa, int level, unsigned int prot)
{
	uint64_t e = hpa;

	if (level > 1)
		e |= NPT_LARGE;
	if (npt->cfg.format == NPT_FORMAT_EPT) {
		e |= EPT_MT_WB;
		if (prot & NPT_R)
			e |= EPT_R;
		if (prot & NPT_W)
			e |= EPT_W;
		if (prot & NPT_X)
			e |= EPT_X;
		if (npt->cfg.ept_ad)
			e |= EPT_A | ((prot & NPT_W) ? EPT_D : 0);
		return e;
	}
	e |= AMD_P | AMD_US;
	if (prot & NPT_W)
		e |= AMD_RW;
	if (!(prot & NPT_X))
		e |= AMD_NX;
	return e;
}

static unsigned int leaf_prot(const struct npt *npt, uint64_t e)
{
	unsigned int prot = 0;

	if (npt->cfg.format == NPT_FORMAT_EPT) {
		if (e & EPT_R)
			prot |= NPT_R;
		if (e & EPT_W)
			prot |= NPT_W;
		if (e & EPT_X)
			prot |= NPT_X;
		return prot;
	}
	prot = NPT_R;
	if (e & AMD_RW)
		prot |= NPT_W;
	if (!(e & AMD_NX))
		prot |= NPT_X;
	return prot;
}

static inline paddr_t leaf_addr(uint64_t e, int level)
{
	/* For large leaves this also drops the AMD PAT bit (bit 12), never set here. */
	return e & NPT_ADDR_MASK & ~(level_size(level) - 1);
}

static uint64_t *table_alloc(struct npt *npt, paddr_t *pa)
{
	paddr_t p = frame_alloc(0);

	if (p == FRAME_NONE)
		return NULL;
	npt->nr_tables++;
	*pa = p;
	return phys_to_virt(p);	/* frame_alloc returns zeroed frames: all not present */
}

static inline uint64_t *table_of(uint64_t e)
{
	return phys_to_virt(e & NPT_ADDR_MASK);
}

struct npt *npt_create(const struct npt_config *cfg)
{
	struct npt *npt = kzalloc(sizeof(*npt));

	if (!npt)
		return NULL;
	npt->cfg = *cfg;
	npt->root_va = table_alloc(npt, &npt->root);
	if (!npt->root_va) {
		kfree(npt);
		return NULL;
	}
	return npt;
}

static void free_tables(struct npt *npt, uint64_t *table, int level)
{
	for (unsigned int i = 0; i < NPT_ENTRIES; i++) {
		uint64_t e = table[i];

		if (level > 1 && entry_is_table(npt, e, level)) {
			if (level > 2)
				free_tables(npt, table_of(e), level - 1);
			frame_free(e & NPT_ADDR_MASK, 0);
			npt->nr_tables--;
		}
	}
}

void npt_destroy(struct npt *npt)
{
	if (!npt)
		return;
	free_tables(npt, npt->root_va, NPT_LEVELS);
	frame_free(npt->root, 0);
	kfree(npt);
}

paddr_t npt_root(const struct npt *npt)
{
	return npt->root;
}

uint64_t npt_table_count(const struct npt *npt)
{
	return npt->nr_tables;
}

bool npt_take_stale(struct npt *npt)
{
	bool stale = npt->stale;

	npt->stale = false;
	return stale;
}

static bool large_allowed(const struct npt *npt, int level)
{
	if (level == 2)
		return npt->cfg.large_2m;
	if (level == 3)
		return npt->cfg.large_1g;
	return false;
}

enum npt_action { ACT_SKIP, ACT_LEAF, ACT_DESCEND };

/*
 * What @req does to entry @e at @level covering [addr, next): nothing, write
 * (or clear) the entry itself, or go one level down (which needs a table).
 */
static enum npt_action decide(const struct npt *npt, const struct npt_req *req, uint64_t e,
			      int level, uint64_t addr, uint64_t next)
{
	bool whole = next - addr == level_size(level);
	bool present = entry_present(npt, e);

	if (level == 1)
		return (req->op == OP_MAP || present) ? ACT_LEAF : ACT_SKIP;
	if (present && !entry_is_leaf(e, level))
		return ACT_DESCEND;
	if (req->op == OP_MAP) {
		paddr_t hpa = req->hpa + (addr - req->gpa);

		if (whole && large_allowed(npt, level) && IS_ALIGNED(hpa, level_size(level)))
			return ACT_LEAF;
		return ACT_DESCEND;
	}
	if (!present)
		return ACT_SKIP;
	return whole ? ACT_LEAF : ACT_DESCEND;
}

/*
 * A table holding the same translations as the large leaf @e (or nothing if
 * @e is not present). 1 GiB leaves split into 2 MiB leaves: every CPU with
 * 1 GiB pages has 2 MiB pages.
 */
static int make_child_table(struct npt *npt, uint64_t *slot, int level)
{
	uint64_t e = entry_read(slot);
	uint64_t *child;
	paddr_t pa;

	child = table_alloc(npt, &pa);
	if (!child)
		return -ENOMEM;
	if (entry_present(npt, e)) {
		uint64_t flags = e & ~NPT_ADDR_MASK & ~NPT_LARGE;
		uint64_t sub = level_size(level - 1);
		paddr_t base = leaf_addr(e, level);

		if (level - 1 > 1)
			flags |= NPT_LARGE;
		for (unsigned int i = 0; i < NPT_ENTRIES; i++)
			child[i] = (base + i * sub) | flags;
	}
	/* Same translations as before, so no TLB flush is needed for the split itself. */
	entry_write(slot, make_table_entry(npt, pa));
	return 0;
}

/*
 * Pass 1: create every table the request will need (splitting large leaves
 * into equivalent tables). Translations do not change, so failing here with
 * -ENOMEM leaves the mapping as it was.
 */
static int prepare(struct npt *npt, const struct npt_req *req, uint64_t *table, int level,
		   uint64_t start, uint64_t end)
{
	uint64_t size = level_size(level);

	for (uint64_t addr = start, next; addr < end; addr = next) {
		uint64_t *slot = &table[level_index(addr, level)];
		int err;

		next = MIN(ALIGN_DOWN(addr, size) + size, end);
		if (decide(npt, req, entry_read(slot), level, addr, next) != ACT_DESCEND)
			continue;
		if (!entry_is_table(npt, entry_read(slot), level)) {
			err = make_child_table(npt, slot, level);
			if (err)
				return err;
		}
		err = prepare(npt, req, table_of(entry_read(slot)), level - 1, addr, next);
		if (err)
			return err;
	}
	return 0;
}

/* Pass 2: change the leaves; cannot fail because pass 1 made the tables. */
static void apply(struct npt *npt, const struct npt_req *req, uint64_t *table, int level,
		  uint64_t start, uint64_t end)
{
	uint64_t size = level_size(level);

	for (uint64_t addr = start, next; addr < end; addr = next) {
		uint64_t *slot = &table[level_index(addr, level)];
		uint64_t e = entry_read(slot), v;

		next = MIN(ALIGN_DOWN(addr, size) + size, end);
		switch (decide(npt, req, e, level, addr, next)) {
		case ACT_SKIP:
			continue;
		case ACT_DESCEND:
			apply(npt, req, table_of(e), level - 1, addr, next);
			continue;
		case ACT_LEAF:
			break;
		}
		switch (req->op) {
		case OP_MAP:
			v = make_leaf(npt, req->hpa + (addr - req->gpa), level, req->prot);
			break;
		case OP_UNMAP:
			v = 0;
			break;
		default:
			v = make_leaf(npt, leaf_addr(e, level), level, req->prot);
			break;
		}
		if (v != e) {
			if (entry_present(npt, e))
				npt->stale = true;
			entry_write(slot, v);
		}
	}
}

static int check_range(uint64_t gpa, uint64_t size)
{
	if (!size || !IS_ALIGNED(gpa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	if (gpa >= (1ULL << NPT_GPA_BITS) || size > (1ULL << NPT_GPA_BITS) - gpa)
		return -EINVAL;
	return 0;
}

/* Rights every format can express: readable, optionally writable/executable. */
static bool prot_valid(unsigned int prot)
{
	return (prot & NPT_R) && !(prot & ~NPT_RWX);
}

static int run(struct npt *npt, const struct npt_req *req, uint64_t size)
{
	int err = prepare(npt, req, npt->root_va, NPT_LEVELS, req->gpa, req->gpa + size);

	if (err)
		return err;
	apply(npt, req, npt->root_va, NPT_LEVELS, req->gpa, req->gpa + size);
	return 0;
}

int npt_map(struct npt *npt, uint64_t gpa, paddr_t hpa, uint64_t size, unsigned int prot)
{
	struct npt_req req = { .op = OP_MAP, .gpa = gpa, .hpa = hpa, .prot = prot };
	int err = check_range(gpa, size);

	if (err)
		return err;
	/* Host addresses are 52 bits at most in both formats. */
	if (!IS_ALIGNED(hpa, PAGE_SIZE) || !prot_valid(prot) || hpa >= (1ULL << 52) ||
	    size > (1ULL << 52) - hpa)
		return -EINVAL;
	return run(npt, &req, size);
}

int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t size)
{
	struct npt_req req = { .op = OP_UNMAP, .gpa = gpa };
	int err = check_range(gpa, size);

	if (err)
		return err;
	return run(npt, &req, size);
}

int npt_protect(struct npt *npt, uint64_t gpa, uint64_t size, unsigned int prot)
{
	struct npt_req req = { .op = OP_PROTECT, .gpa = gpa, .prot = prot };
	int err = check_range(gpa, size);

	if (err)
		return err;
	if (!prot_valid(prot))
		return -EINVAL;
	return run(npt, &req, size);
}

bool npt_lookup(const struct npt *npt, uint64_t gpa, paddr_t *hpa, unsigned int *prot)
{
	const uint64_t *table = npt->root_va;

	if (gpa >> NPT_GPA_BITS)
		return false;
	for (int level = NPT_LEVELS; level >= 1; level--) {
		uint64_t e = entry_read(&table[level_index(gpa, level)]);

		if (!entry_present(npt, e))
			return false;
		if (entry_is_leaf(e, level)) {
			if (hpa)
				*hpa = leaf_addr(e, level) | (gpa & (level_size(level) - 1));
			if (prot)
				*prot = leaf_prot(npt, e);
			return true;
		}
		table = table_of(e);
	}
	return false;
}
