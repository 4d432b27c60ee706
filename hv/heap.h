/* Small-object heap for the core, on top of the frame allocator. */
#ifndef HV_HEAP_H
#define HV_HEAP_H

#include "hv/types.h"

/* kmalloc returns 16-byte aligned memory (page-aligned for sizes >= 4 KiB) or NULL. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
