/*
 * The memory slots of one VM and the rules of KVM_SET_USER_MEMORY_REGION
 * (Linux 6.1's semantics, tests/conformance/memslot.c). Pure bookkeeping, no
 * system calls, so the rules are unit-tested on the host
 * (tests/unit/test_sd_memslot.c); sd/kvm_vm.c applies a planned change to
 * the VM with TERN_SYS_VM_MAP / TERN_SYS_VM_UNMAP and then commits it.
 */
#ifndef SD_KVM_MEMSLOT_H
#define SD_KVM_MEMSLOT_H

#include <stdint.h>
/* By path, not <tern/...>: the host unit test builds this without the SDK. */
#include "abi/include/tern/kvm_ring.h"

/* The first address a device model cannot use (Linux's TASK_SIZE_MAX on
 * x86-64 with 4-level paging; tern's user address space ends there too). */
#define SD_USER_ADDR_END	0x00007ffffffff000ull
/* Largest slot, in pages (Linux's KVM_MEM_MAX_NR_PAGES on x86). */
#define SD_SLOT_MAX_PAGES	((1ull << 31) - 1)

/* One slot; size 0 means the slot is empty. */
struct sd_memslot {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint32_t flags;		/* KVM_MEM_* */
};

struct sd_memslots {
	struct sd_memslot slot[TERN_KVM_USER_MEM_SLOTS];
};

enum sd_memslot_change {
	SD_SLOT_UNCHANGED,	/* the request restates the slot as it is */
	SD_SLOT_CREATE,
	SD_SLOT_DELETE,
	SD_SLOT_MOVE,		/* same memory, new guest physical address */
	SD_SLOT_FLAGS,		/* KVM_MEM_LOG_DIRTY_PAGES switched */
};

/* What a valid request does: the slot's old and new state. */
struct sd_memslot_plan {
	enum sd_memslot_change change;
	uint32_t id;
	struct sd_memslot old, new;
};

/* The request as the device model sent it (struct kvm_userspace_memory_region). */
struct sd_memslot_req {
	uint32_t slot;		/* address space << 16 | slot id */
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
};

/*
 * Checks @req against the slots in @s: 0 and *@plan, or -EINVAL (bad flags,
 * alignment, range, slot number or address space, deleting an empty slot,
 * resizing or re-basing a live slot, changing KVM_MEM_READONLY) or -EEXIST
 * (the new range overlaps another slot). @s is not changed.
 */
int sd_memslot_check(const struct sd_memslots *s, const struct sd_memslot_req *req,
		     struct sd_memslot_plan *plan);

/* Records an applied plan in @s. */
void sd_memslot_commit(struct sd_memslots *s, const struct sd_memslot_plan *plan);

/*
 * KVM_GET_DIRTY_LOG's slot lookup: 0 and *@out for a slot that logs,
 * -EINVAL for a slot number out of range, -ENOENT for an empty slot or one
 * without KVM_MEM_LOG_DIRTY_PAGES.
 */
int sd_memslot_dirty(const struct sd_memslots *s, uint32_t slot, struct sd_memslot *out);

#endif
