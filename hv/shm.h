/* Shared-memory objects: zeroed frames that several processes can map. */
#ifndef HV_SHM_H
#define HV_SHM_H

#include "hv/kobj.h"

struct shm {
	struct kobj obj;
	size_t pages;
	paddr_t *frames;	/* pages entries */
};

/* @size rounded up to pages (at most 1 GiB); NULL when out of memory. */
struct shm *shm_create(size_t size);

#endif
