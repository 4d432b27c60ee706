/*
 * Address spaces of processes. The lower half [ASPACE_USER_BASE, ASPACE_USER_END)
 * belongs to ring 3; the upper half is the core's, shared by every address
 * space (PML4 slots 256..511 copied from the core's tables). Memory is
 * allocated and mapped at once (no demand paging). A mapping either owns its
 * frames (anonymous memory) or borrows them from an object (shared memory),
 * which it keeps a reference on until unmapped.
 */
#ifndef HV_ASPACE_H
#define HV_ASPACE_H

#include "hv/types.h"
#include "hv/list.h"
#include "hv/spinlock.h"

struct kobj;

#define ASPACE_USER_BASE	0x10000UL		/* nothing below: NULL + small offsets fault */
#define ASPACE_USER_END		0x00007ffffffff000UL	/* first byte ring 3 cannot use */
#define ASPACE_MMAP_BASE	0x0000100000000000UL	/* where mmap without a hint searches from */

/* PROT_* and MAP_* values: TERN_PROT_*, TERN_MAP_FIXED, TERN_MAP_FIXED_NOREPLACE. */

struct aspace {
	paddr_t pml4;
	spinlock_t lock;
	struct list_node mappings;	/* struct mapping, sorted by address (aspace.c) */
	uint64_t pages;			/* pages mapped, for accounting */
	bool loaded;			/* ever in a CR3: changes need TLB shootdowns */
};

struct aspace *aspace_create(void);
/* Unmaps everything, frees every page-table page. @pre no thread uses it. */
void aspace_destroy(struct aspace *as);
/* Loads @as into CR3 (NULL: the core's own tables). Called on context switch. */
void aspace_activate(struct aspace *as);

/*
 * Maps zeroed anonymous memory. *@addr is a hint (0: anywhere from
 * ASPACE_MMAP_BASE), or exact with TERN_MAP_FIXED(_NOREPLACE); on success it
 * receives the address. @len is rounded up to pages. 0 or -EINVAL, -ENOMEM,
 * -EEXIST.
 */
int aspace_map_anon(struct aspace *as, uintptr_t *addr, size_t len, int prot, int flags);
/* Same, mapping @frames[i] (len / PAGE_SIZE entries) that @owner keeps alive;
 * the mapping holds a reference on @owner. */
int aspace_map_frames(struct aspace *as, uintptr_t *addr, size_t len, int prot, int flags,
		      struct kobj *owner, const paddr_t *frames);
/* Unmaps [addr, addr + len) (pages), splitting mappings as needed; 0 or -EINVAL. */
int aspace_unmap(struct aspace *as, uintptr_t addr, size_t len);
/* Changes protection of a fully mapped range; 0, -EINVAL or -ENOMEM (a hole). */
int aspace_protect(struct aspace *as, uintptr_t addr, size_t len, int prot);
/* Physical address behind user @va and its protection; false when unmapped. */
bool aspace_translate(struct aspace *as, uintptr_t va, paddr_t *pa, int *prot);

#endif
