/*
 * The VM object of the KVM ABI and its memory: process pages mapped into the
 * nested page table, each frame pinned (frame_ref_get) while the VM maps it, so
 * neither munmap nor the death of the process frees memory a guest still uses.
 *
 * What is mapped is what the NPT says (npt_lookup); the region records only
 * carry each TERN_SYS_VM_MAP's flags and dirty bitmap. Every unmap first
 * removes the translations, flushes the guest TLBs and makes every other CPU
 * leave guest mode once (a CPU in a guest keeps its cached translations until
 * its next entry), and only then drops the frame references.
 */
#include "hv/kvm_obj.h"
#include "hv/aspace.h"
#include "hv/clock.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/string.h"
#include "hv/percpu.h"
#include "arch/x86/ipi.h"
#include "arch/x86/virt.h"
#include "abi/include/tern/syscall.h"

#define UNMAP_BATCH	64

static void noop(void *arg)
{
	(void)arg;
}

/* After translations were removed or write-protected: no guest on any CPU
 * may still use the old ones once this returns. */
static void flush_guests(struct kvm_vm *kvm)
{
	virt->vm_flush_tlb(kvm->vm);
	if (cpus_online > 1)
		ipi_call_others(noop, NULL);
}

/*
 * Unmaps [gpa, gpa + pages) and unpins what was mapped there. A page the NPT
 * still maps afterwards (npt_unmap could not split a large leaf) keeps its
 * reference: a leak is logged, a frame freed under a guest would be worse.
 */
static void unmap_pinned(struct kvm_vm *kvm, uint64_t gpa, uint64_t pages)
{
	paddr_t hpa[UNMAP_BATCH];
	bool mapped[UNMAP_BATCH];

	while (pages) {
		uint64_t n = MIN(pages, (uint64_t)UNMAP_BATCH), i;
		bool any = false;

		for (i = 0; i < n; i++) {
			mapped[i] = npt_lookup(kvm->vm->npt, gpa + i * PAGE_SIZE, &hpa[i], NULL);
			any |= mapped[i];
		}
		if (any) {
			if (vm_unmap(kvm->vm, gpa, n * PAGE_SIZE))
				pr_err("vm %u: unmapping %#lx: out of memory splitting a large page\n",
				       kvm->vm->id, (unsigned long)gpa);
			flush_guests(kvm);
			for (i = 0; i < n; i++) {
				if (!mapped[i])
					continue;
				if (npt_lookup(kvm->vm->npt, gpa + i * PAGE_SIZE, NULL, NULL))
					pr_err("vm %u: %#lx stays mapped and pinned\n", kvm->vm->id,
					       (unsigned long)(gpa + i * PAGE_SIZE));
				else
					frame_ref_put(hpa[i]);
			}
		}
		gpa += n * PAGE_SIZE;
		pages -= n;
	}
}

static void region_free(struct kvm_region *r)
{
	kfree(r->dirty);
	kfree(r);
}

static void kvm_vm_release(struct kobj *o)
{
	struct kvm_vm *kvm = to_kvm_vm(o);

	/* No vcpu is left (each held a reference): plain puts, then the tables. */
	while (!list_empty(&kvm->regions)) {
		struct kvm_region *r = list_entry(kvm->regions.next, struct kvm_region, node);

		for (uint64_t i = 0; i < r->pages; i++) {
			paddr_t hpa;

			if (npt_lookup(kvm->vm->npt, r->gpa + i * PAGE_SIZE, &hpa, NULL))
				frame_ref_put(hpa);
		}
		/* Leaves never straddle a region's edges, so this needs no split and a
		 * later region overlapping this one finds its pages gone. */
		npt_unmap(kvm->vm->npt, r->gpa, r->pages * PAGE_SIZE);
		list_del(&r->node);
		region_free(r);
	}
	vm_destroy(kvm->vm);
	frame_ref_put(kvm->coalesced_frame);	/* the vcpus' references are gone */
	kfree(kvm);
}

static const struct kobj_ops kvm_vm_ops = {
	.type = TERN_KOBJ_VM,
	.release = kvm_vm_release,
};

struct kvm_vm *kvm_vm_create(void)
{
	struct kvm_vm *kvm = kzalloc(sizeof(*kvm));

	if (!kvm)
		return NULL;
	kvm->coalesced_frame = frame_alloc(0);
	if (kvm->coalesced_frame == FRAME_NONE) {
		kfree(kvm);
		return NULL;
	}
	kvm->vm = vm_create();
	if (!kvm->vm) {
		frame_ref_put(kvm->coalesced_frame);
		kfree(kvm);
		return NULL;
	}
	kvm->lock = (spinlock_t)SPINLOCK_INIT;
	/* A new VM's clock starts at 0, as Linux's kvmclock does. */
	kvm->clock_offset = -(int64_t)clock_ns();
	kvm_coalesced_init(&kvm->coalesced, frame_va(kvm->coalesced_frame));
	list_init(&kvm->regions);
	kobj_init(&kvm->obj, &kvm_vm_ops);
	return kvm;
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
	return size && IS_ALIGNED(gpa, PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) &&
	       gpa + size > gpa;
}

static unsigned int npt_prot(uint32_t flags)
{
	/* Dirty logging starts write-protected: the first write faults and is recorded. */
	if (flags & (TERN_VM_MAP_READONLY | TERN_VM_MAP_LOG_DIRTY))
		return NPT_R | NPT_X;
	return NPT_RWX;
}

/* Maps the pinned run [gpa, gpa + n pages) -> [hpa, ...); unpins it on failure. */
static int map_run(struct kvm_vm *kvm, uint64_t gpa, paddr_t hpa, uint64_t n, unsigned int prot)
{
	int err;

	if (!n)
		return 0;
	err = vm_map(kvm->vm, gpa, hpa, n * PAGE_SIZE, prot);
	if (err)
		for (uint64_t i = 0; i < n; i++)
			frame_ref_put(hpa + i * PAGE_SIZE);
	return err;
}

/* Pins and maps page by page, handing physically contiguous runs to vm_map
 * whole so that aligned runs get large leaves. *@mapped: the pages mapped (and
 * pinned) from the start when it fails; nothing else stays pinned. */
static int map_pages(struct kvm_vm *kvm, struct aspace *as, uint64_t uva, uint64_t gpa,
		     uint64_t pages, uint32_t flags, uint64_t *mapped)
{
	unsigned int prot = npt_prot(flags);
	paddr_t run_hpa = 0;
	uint64_t run = 0, i;
	int err = 0;

	*mapped = 0;
	for (i = 0; i < pages; i++) {
		paddr_t pa;
		int uprot;

		err = aspace_pin(as, uva + i * PAGE_SIZE, &pa, &uprot);
		if (!err && (!(uprot & TERN_PROT_READ) ||
			     (!(flags & TERN_VM_MAP_READONLY) && !(uprot & TERN_PROT_WRITE)))) {
			frame_ref_put(pa);
			err = -EFAULT;
		}
		if (err) {
			for (uint64_t j = 0; j < run; j++)
				frame_ref_put(run_hpa + j * PAGE_SIZE);
			return err;
		}
		if (run && pa == run_hpa + run * PAGE_SIZE) {
			run++;
			continue;
		}
		err = map_run(kvm, gpa + (i - run) * PAGE_SIZE, run_hpa, run, prot);
		if (err) {
			frame_ref_put(pa);
			return err;
		}
		*mapped = i;
		run_hpa = pa;
		run = 1;
	}
	err = map_run(kvm, gpa + (i - run) * PAGE_SIZE, run_hpa, run, prot);
	if (!err)
		*mapped = pages;
	return err;
}

int kvm_vm_map(struct kvm_vm *kvm, struct aspace *as, uint64_t uva, uint64_t gpa,
	       uint64_t size, uint32_t flags)
{
	struct kvm_region *r;
	uint64_t pages = size / PAGE_SIZE, done, i;
	int err = 0;

	if (!range_ok(gpa, size) || !range_ok(uva, size) ||
	    (flags & ~(TERN_VM_MAP_READONLY | TERN_VM_MAP_LOG_DIRTY)))
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->gpa = gpa;
	r->pages = pages;
	r->flags = flags;
	if (flags & TERN_VM_MAP_LOG_DIRTY) {
		r->dirty = kzalloc(ALIGN_UP(pages, 64) / 8);
		if (!r->dirty) {
			kfree(r);
			return -ENOMEM;
		}
	}

	spin_lock(&kvm->lock);
	if (kvm->nr_regions >= KVM_MAX_REGIONS) {
		err = -ENOSPC;
		goto out;
	}
	for (i = 0; i < pages; i++) {
		if (npt_lookup(kvm->vm->npt, gpa + i * PAGE_SIZE, NULL, NULL)) {
			err = -EEXIST;
			goto out;
		}
	}
	err = map_pages(kvm, as, uva, gpa, pages, flags, &done);
	if (err) {
		unmap_pinned(kvm, gpa, done);
		goto out;
	}
	list_insert_between(&r->node, &kvm->regions, kvm->regions.next);
	kvm->nr_regions++;
	r = NULL;
out:
	spin_unlock(&kvm->lock);
	if (r)
		region_free(r);
	return err;
}

int kvm_vm_unmap(struct kvm_vm *kvm, uint64_t gpa, uint64_t size)
{
	struct list_node *pos, *next;

	if (!range_ok(gpa, size))
		return -EINVAL;
	spin_lock(&kvm->lock);
	unmap_pinned(kvm, gpa, size / PAGE_SIZE);
	/* Records wholly inside the range have nothing left to describe. */
	for (pos = kvm->regions.next; pos != &kvm->regions; pos = next) {
		struct kvm_region *r = list_entry(pos, struct kvm_region, node);

		next = pos->next;
		if (r->gpa >= gpa && r->gpa + r->pages * PAGE_SIZE <= gpa + size) {
			list_del(&r->node);
			kvm->nr_regions--;
			region_free(r);
		}
	}
	spin_unlock(&kvm->lock);
	return 0;
}

/* The newest region containing @gpa. @pre kvm->lock held. */
static struct kvm_region *region_at(struct kvm_vm *kvm, uint64_t gpa)
{
	struct list_node *pos;

	list_for_each(pos, &kvm->regions) {
		struct kvm_region *r = list_entry(pos, struct kvm_region, node);

		if (gpa >= r->gpa && (gpa - r->gpa) / PAGE_SIZE < r->pages)
			return r;
	}
	return NULL;
}

bool kvm_vm_dirty_fault(struct kvm_vm *kvm, uint64_t gpa)
{
	struct kvm_region *r;
	uint64_t page;
	bool handled = false;

	gpa = ALIGN_DOWN(gpa, PAGE_SIZE);
	spin_lock(&kvm->lock);
	r = region_at(kvm, gpa);
	if (r && r->dirty && !(r->flags & TERN_VM_MAP_READONLY) &&
	    npt_lookup(kvm->vm->npt, gpa, NULL, NULL)) {
		page = (gpa - r->gpa) / PAGE_SIZE;
		r->dirty[page / 64] |= 1ULL << (page % 64);
		/* Granting a right needs no TLB flush: the faulting access
		 * dropped the stale translation. */
		npt_protect(kvm->vm->npt, gpa, PAGE_SIZE, NPT_RWX);
		handled = true;
	}
	spin_unlock(&kvm->lock);
	return handled;
}

int kvm_vm_dirty_harvest(struct kvm_vm *kvm, uint64_t gpa, uint64_t size, uint64_t *bits)
{
	struct kvm_region *r;
	uint64_t pages = size / PAGE_SIZE, first, i;
	bool any = false;

	if (!range_ok(gpa, size))
		return -EINVAL;
	memset(bits, 0, ALIGN_UP(pages, 64) / 8);
	spin_lock(&kvm->lock);
	r = region_at(kvm, gpa);
	if (!r || !r->dirty || gpa + size > r->gpa + r->pages * PAGE_SIZE) {
		spin_unlock(&kvm->lock);
		return -ENOENT;
	}
	first = (gpa - r->gpa) / PAGE_SIZE;
	for (i = 0; i < pages; i++) {
		uint64_t p = first + i;

		if (!(r->dirty[p / 64] & (1ULL << (p % 64))))
			continue;
		r->dirty[p / 64] &= ~(1ULL << (p % 64));
		bits[i / 64] |= 1ULL << (i % 64);
		npt_protect(kvm->vm->npt, gpa + i * PAGE_SIZE, PAGE_SIZE, NPT_R | NPT_X);
		any = true;
	}
	/* Writes after the harvest must fault again before it returns. */
	if (any && npt_take_stale(kvm->vm->npt))
		flush_guests(kvm);
	spin_unlock(&kvm->lock);
	return 0;
}
