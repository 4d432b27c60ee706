/*
 * KVM_SET_USER_MEMORY_REGION's rules. The order of the checks decides which
 * errno a request with several faults gets; it follows Linux 6.1: flags, the
 * sizes and alignment, the host range, the slot number, the guest range, and
 * only then what the slot holds now.
 */
#include <linux/kvm.h>
#include <stdbool.h>

#include "sd/kvm_errno.h"
#include "sd/kvm_memslot.h"

#define PAGE_MASK	0xfffull
#define VALID_FLAGS	(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)

/* tern maps one guest physical address space per VM (no SMM space). */
#define NR_ADDRESS_SPACES	1

static bool ranges_meet(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

/* Another non-empty slot than @id sharing a guest page with [gpa, gpa + size). */
static bool overlaps_other(const struct sd_memslots *s, uint32_t id, uint64_t gpa, uint64_t size)
{
	for (uint32_t i = 0; i < TERN_KVM_USER_MEM_SLOTS; i++) {
		const struct sd_memslot *o = &s->slot[i];

		if (i != id && o->size && ranges_meet(gpa, size, o->gpa, o->size))
			return true;
	}
	return false;
}

static int check_shape(const struct sd_memslot_req *req)
{
	if (req->flags & ~VALID_FLAGS)
		return -EINVAL;
	if ((req->size & PAGE_MASK) || (req->gpa & PAGE_MASK) || (req->uva & PAGE_MASK))
		return -EINVAL;
	/* The host range must lie in user space (Linux's access_ok). */
	if (req->uva > SD_USER_ADDR_END || req->size > SD_USER_ADDR_END - req->uva)
		return -EINVAL;
	if ((req->slot >> 16) >= NR_ADDRESS_SPACES || (req->slot & 0xffff) >= TERN_KVM_USER_MEM_SLOTS)
		return -EINVAL;
	if (req->gpa + req->size < req->gpa)
		return -EINVAL;
	if ((req->size >> 12) > SD_SLOT_MAX_PAGES)
		return -EINVAL;
	return 0;
}

int sd_memslot_check(const struct sd_memslots *s, const struct sd_memslot_req *req,
		     struct sd_memslot_plan *plan)
{
	const struct sd_memslot *old;
	int err = check_shape(req);

	if (err)
		return err;
	plan->id = req->slot & 0xffff;
	old = &s->slot[plan->id];
	plan->old = *old;
	plan->new = (struct sd_memslot){
		.gpa = req->gpa, .size = req->size, .uva = req->uva, .flags = req->flags,
	};

	if (!req->size) {
		/* Linux 6.1 refuses to delete what is not there. */
		if (!old->size)
			return -EINVAL;
		plan->new = (struct sd_memslot){ 0 };
		plan->change = SD_SLOT_DELETE;
		return 0;
	}
	if (!old->size) {
		plan->change = SD_SLOT_CREATE;
	} else {
		/* A live slot keeps its memory and its size; only where the guest
		 * sees it and whether writes are logged may change. */
		if (req->uva != old->uva || req->size != old->size ||
		    ((req->flags ^ old->flags) & KVM_MEM_READONLY))
			return -EINVAL;
		if (req->gpa != old->gpa)
			plan->change = SD_SLOT_MOVE;
		else if (req->flags != old->flags)
			plan->change = SD_SLOT_FLAGS;
		else
			plan->change = SD_SLOT_UNCHANGED;
	}
	if ((plan->change == SD_SLOT_CREATE || plan->change == SD_SLOT_MOVE) &&
	    overlaps_other(s, plan->id, req->gpa, req->size))
		return -EEXIST;
	return 0;
}

void sd_memslot_commit(struct sd_memslots *s, const struct sd_memslot_plan *plan)
{
	s->slot[plan->id] = plan->new;
}

int sd_memslot_dirty(const struct sd_memslots *s, uint32_t slot, struct sd_memslot *out)
{
	const struct sd_memslot *m;

	if ((slot >> 16) >= NR_ADDRESS_SPACES || (slot & 0xffff) >= TERN_KVM_USER_MEM_SLOTS)
		return -EINVAL;
	m = &s->slot[slot & 0xffff];
	if (!m->size || !(m->flags & KVM_MEM_LOG_DIRTY_PAGES))
		return -ENOENT;
	*out = *m;
	return 0;
}
