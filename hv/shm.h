/* Shared-memory objects: zeroed frames that several processes can map. */
#ifndef HV_SHM_H
#define HV_SHM_H

#include "hv/kobj.h"

#define SHM_MAX_SIZE	(1 * GiB)

struct shm {
	struct kobj obj;
	size_t pages;
	paddr_t *frames;	/* pages entries */
};

/* @size rounded up to pages (at most SHM_MAX_SIZE); NULL when out of memory or when
 * @size is 0 or larger (the syscall tells those apart first). */
struct shm *shm_create(size_t size);

#endif
