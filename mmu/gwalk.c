/*
 * Guest page-table walker (Intel SDM vol. 3 ch. 4 "Paging", AMD APM vol. 2
 * ch. 5): what the guest's MMU would do for one linear address, without ever
 * touching guest memory other than through the gwalk_mem callbacks.
 *
 * The walk reads one entry per level, remembers the rights they grant, checks
 * the access against them at the end and only then sets the Accessed/Dirty
 * flags (with cmpxchg, so a guest CPU changing an entry under us restarts the
 * walk instead of losing its update).
 */
#include "mmu/gwalk.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/string.h"

#define CR4_PSE			(1ULL << 4)
#define CR4_LA57		(1ULL << 12)

#define PTE_P			(1ULL << 0)
#define PTE_RW			(1ULL << 1)
#define PTE_US			(1ULL << 2)
#define PTE_A			(1ULL << 5)
#define PTE_D			(1ULL << 6)
#define PTE_PS			(1ULL << 7)
#define PTE_XD			(1ULL << 63)
#define PTE_ADDR_MASK		0x000FFFFFFFFFF000ULL	/* bits 51:12 */

#define GWALK_MAX_LEVELS	5
/* A guest CPU that keeps rewriting the entries we walk wins after this many tries. */
#define GWALK_MAX_RETRIES	16

enum gwalk_mode { MODE_32BIT, MODE_PAE, MODE_LONG4, MODE_LONG5 };

struct gwalk_step {
	uint64_t gpa;		/* where the entry is */
	uint64_t entry;		/* its value as read */
	bool has_ad;		/* PAE PDPTEs have no Accessed flag */
};

struct gwalk {
	const struct gwalk_mem *mem;
	const struct gwalk_regs *regs;
	enum gwalk_mode mode;
	unsigned int esize;	/* entry size: 4 or 8 */
	uint64_t rsvd_addr;	/* address bits above MAXPHYADDR */
	bool nx;		/* XD bit in use (PAE/long mode with EFER.NXE) */
	struct gwalk_step steps[GWALK_MAX_LEVELS];
	unsigned int nsteps;
};

static enum gwalk_mode paging_mode(const struct gwalk_regs *regs)
{
	if (!(regs->cr4 & CR4_PAE))
		return MODE_32BIT;
	if (!(regs->efer & EFER_LMA))
		return MODE_PAE;
	return (regs->cr4 & CR4_LA57) ? MODE_LONG5 : MODE_LONG4;
}

/* Bit position of the lowest linear-address bit that indexes a table at @level. */
static unsigned int level_shift(enum gwalk_mode mode, int level)
{
	if (mode == MODE_32BIT)
		return level == 2 ? 22 : 12;
	return PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int level_index(enum gwalk_mode mode, uint64_t gva, int level)
{
	if (mode == MODE_32BIT)
		return (gva >> level_shift(mode, level)) & 0x3ff;
	if (mode == MODE_PAE && level == 3)
		return (gva >> 30) & 3;
	return (gva >> level_shift(mode, level)) & 0x1ff;
}

/* Reserved bits of a present entry at @level; large: it maps a page. */
static uint64_t rsvd_bits(const struct gwalk *w, int level, bool large)
{
	uint64_t rsvd;

	if (w->mode == MODE_32BIT) {
		/* Only 4 MiB PDEs have reserved bits: bit 21 and PSE-36 bits above MAXPHYADDR. */
		return large ? (1ULL << 21) : 0;
	}
	rsvd = w->rsvd_addr;
	if (w->mode == MODE_PAE && level == 3)
		/* PAE PDPTEs: bits 2:1 and 63:52 are reserved (no rights there).
		 * Intel also reserves bits 8:5, but AMD CPUs (and QEMU's model
		 * of them) set the Accessed flag, bit 5, in PDPTEs: bits 8:5 are
		 * left unchecked so one walker fits both vendors. */
		return rsvd | 0x6 | 0xFFF0000000000000ULL;
	if (!w->nx)
		rsvd |= PTE_XD;
	if (large)
		/* Large-page address bits below the page size, above the PAT bit (12). */
		rsvd |= ((1ULL << level_shift(w->mode, level)) - 1) & ~0x1fffULL;
	else if (level >= 4)
		rsvd |= PTE_PS;		/* no large pages at PML4/PML5 */
	return rsvd;
}

static bool level_can_be_large(const struct gwalk *w, int level)
{
	if (w->mode == MODE_32BIT)
		return level == 2 && (w->regs->cr4 & CR4_PSE);
	if (w->mode == MODE_PAE)
		return level == 2;
	return level == 2 || level == 3;
}

/* Physical base of the page a leaf maps. */
static uint64_t leaf_base(const struct gwalk *w, uint64_t e, int level, bool large)
{
	if (w->mode == MODE_32BIT) {
		if (!large)
			return e & 0xfffff000;
		/* PSE-36: PDE bits 20:13 are physical-address bits 39:32. */
		return (e & 0xffc00000) | (((e >> 13) & 0xff) << 32);
	}
	return e & PTE_ADDR_MASK & ~((1ULL << level_shift(w->mode, level)) - 1);
}

static uint32_t access_error_bits(const struct gwalk *w, unsigned int access)
{
	uint32_t ec = access & (GWALK_WRITE | GWALK_USER);

	/* I/D is reported only where fetches can be refused: NX or SMEP. */
	if ((access & GWALK_FETCH) && (w->nx || (w->regs->cr4 & CR4_SMEP)))
		ec |= PFERR_FETCH;
	return ec;
}

/* Final rights check (SDM 4.6 "Access Rights"). */
static bool access_allowed(const struct gwalk *w, unsigned int access, bool writable,
			   bool user_page, bool no_exec)
{
	const struct gwalk_regs *r = w->regs;
	bool write = access & GWALK_WRITE, fetch = access & GWALK_FETCH;

	if (fetch && no_exec)
		return false;
	if (access & GWALK_USER)
		return user_page && (!write || writable);
	if (user_page) {
		if (fetch && (r->cr4 & CR4_SMEP))
			return false;
		if (!fetch && (r->cr4 & CR4_SMAP) && !r->supervisor_smap_exempt)
			return false;
	}
	return !write || writable || !(r->cr0 & CR0_WP);
}

/* Sets A on every entry used and D on the leaf for writes. */
static int set_accessed_dirty(struct gwalk *w, bool write)
{
	for (unsigned int i = 0; i < w->nsteps; i++) {
		struct gwalk_step *s = &w->steps[i];
		uint64_t want = s->entry;
		int err;

		if (!s->has_ad)
			continue;
		want |= PTE_A;
		if (write && i == w->nsteps - 1)
			want |= PTE_D;
		if (want == s->entry)
			continue;
		err = w->mem->cmpxchg(w->mem->ctx, s->gpa, s->entry, want, w->esize);
		if (err)
			return err;
	}
	return 0;
}

static void set_fault(struct gwalk_result *out, uint32_t ec)
{
	out->fault = true;
	out->error_code = ec;
}

/* One walk: 0 (translation or fault in @out), -EFAULT, or -EAGAIN to retry. */
static int walk_once(struct gwalk *w, uint64_t gva, unsigned int access, struct gwalk_result *out)
{
	const struct gwalk_regs *r = w->regs;
	bool writable = true, user_page = true, no_exec = false;
	uint32_t ec = access_error_bits(w, access);
	uint64_t table;
	int level;

	switch (w->mode) {
	case MODE_32BIT:
		table = r->cr3 & 0xfffff000;
		level = 2;
		break;
	case MODE_PAE:
		table = r->cr3 & 0xffffffe0;
		level = 3;
		break;
	case MODE_LONG4:
		table = r->cr3 & PTE_ADDR_MASK;
		level = 4;
		break;
	default:
		table = r->cr3 & PTE_ADDR_MASK;
		level = 5;
		break;
	}
	w->nsteps = 0;

	for (;; level--) {
		struct gwalk_step *s = &w->steps[w->nsteps++];
		bool pdpte = w->mode == MODE_PAE && level == 3;
		bool large;
		uint64_t e = 0;
		int err;

		s->gpa = table + level_index(w->mode, gva, level) * w->esize;
		err = w->mem->read(w->mem->ctx, s->gpa, &e, w->esize);
		if (err)
			return err;
		s->entry = e;
		s->has_ad = !pdpte;

		if (!(e & PTE_P)) {
			set_fault(out, ec);
			return 0;
		}
		large = level > 1 && level_can_be_large(w, level) && (e & PTE_PS);
		if (e & rsvd_bits(w, level, large)) {
			set_fault(out, ec | PFERR_PRESENT | PFERR_RSVD);
			return 0;
		}
		if (!pdpte) {
			writable = writable && (e & PTE_RW);
			user_page = user_page && (e & PTE_US);
			no_exec = no_exec || (w->nx && (e & PTE_XD));
		}
		if (level == 1 || large) {
			uint64_t size = 1ULL << level_shift(w->mode, level);
			uint64_t base = leaf_base(w, e, level, large);

			if (w->mode == MODE_32BIT && large && base > r->max_gpa) {
				set_fault(out, ec | PFERR_PRESENT | PFERR_RSVD);
				return 0;
			}
			if (!access_allowed(w, access, writable, user_page, no_exec)) {
				set_fault(out, ec | PFERR_PRESENT);
				return 0;
			}
			err = set_accessed_dirty(w, access & GWALK_WRITE);
			if (err)
				return err;
			out->gpa = base | (gva & (size - 1));
			out->page_size = size;
			return 0;
		}
		table = w->mode == MODE_32BIT ? (e & 0xfffff000) : (e & PTE_ADDR_MASK);
	}
}

int gwalk_translate(const struct gwalk_mem *mem, const struct gwalk_regs *regs,
		    uint64_t gva, unsigned int access, struct gwalk_result *out)
{
	struct gwalk w = { .mem = mem, .regs = regs };
	uint64_t max_gpa = regs->max_gpa ? regs->max_gpa : (1ULL << 52) - 1;
	int err = -EAGAIN;

	memset(out, 0, sizeof(*out));
	if (!(regs->cr0 & CR0_PG)) {
		/* No paging: linear addresses are 32 bits and are the physical ones. */
		out->gpa = (uint32_t)gva;
		out->page_size = PAGE_SIZE;
		return 0;
	}
	w.mode = paging_mode(regs);
	w.esize = w.mode == MODE_32BIT ? 4 : 8;
	w.nx = w.mode != MODE_32BIT && (regs->efer & EFER_NXE);
	w.rsvd_addr = PTE_ADDR_MASK & ~max_gpa;
	if (w.mode == MODE_32BIT || w.mode == MODE_PAE)
		gva = (uint32_t)gva;

	for (int tries = 0; tries < GWALK_MAX_RETRIES && err == -EAGAIN; tries++) {
		memset(out, 0, sizeof(*out));
		err = walk_once(&w, gva, access, out);
	}
	return err;
}
