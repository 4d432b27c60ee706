/* The core's own page tables: the direct map of physical memory and its root. */
#ifndef ARCH_X86_PAGING_H
#define ARCH_X86_PAGING_H

#include "hv/types.h"

#define PTE_P		(1UL << 0)
#define PTE_W		(1UL << 1)
#define PTE_U		(1UL << 2)
#define PTE_PWT		(1UL << 3)
#define PTE_PCD		(1UL << 4)
#define PTE_A		(1UL << 5)
#define PTE_D		(1UL << 6)
#define PTE_PS		(1UL << 7)
#define PTE_G		(1UL << 8)
#define PTE_NX		(1UL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000UL

/* How much physical memory the direct map can cover: PML4 slots 256..383,
 * leaving the rest of the upper half for other mappings. */
#define DIRECT_MAP_MAX	(128 * 512 * GiB)

/* Physical address of the core's PML4 (the boot tables), for CR3 on every CPU. */
paddr_t paging_kernel_cr3(void);

/*
 * Extends the direct map, which the boot tables provide for [0, 4 GiB), up to
 * @end (rounded up to 2 MiB, at most DIRECT_MAP_MAX): 1 GiB pages where the CPU
 * has them, else 2 MiB pages. Page-table pages come from the frame allocator,
 * so it must already manage some RAM that the boot direct map reaches. The
 * identity map of low memory stays as it is. Returns false (whatever was
 * mapped stays mapped) when page-table memory runs out or @end is too high.
 */
bool paging_extend_direct_map(paddr_t end);

/* End of the physical range the direct map covers. */
paddr_t paging_direct_map_end(void);

#endif
