/* SPDX-License-Identifier: MIT */
/* An address in no mapping of this process, for the EFAULT checks. */
#ifndef CT_UNMAPPED_H
#define CT_UNMAPPED_H

#include <sys/mman.h>

#include "ct.h"
#include "vmkit.h"

/* A page mapped and unmapped again: nothing else takes it in a program this small. */
static inline void *ct_unmapped_address(void)
{
	void *p = mmap(NULL, CT_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED || munmap(p, CT_PAGE_SIZE) < 0)
		ct_fatal("making an unmapped address");
	return p;
}

#endif
