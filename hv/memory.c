/*
 * memory_init: from the parsed memory map to a working frame allocator and heap.
 *
 * The allocator first gets only RAM below 4 GiB, which the boot page tables
 * already map; the page tables that extend the direct map over the RAM above
 * come from that memory, and only then is the high RAM added.
 */
#include "hv/memory.h"
#include "hv/region.h"
#include "hv/frame.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/mm.h"
#include "arch/x86/paging.h"

#define LOW_RESERVED_END	(1 * MiB)
#define BOOT_MAP_END		(4 * GiB)
/* Each removed range can split one region in two. */
#define MAX_FREE_REGIONS	(BOOT_MAX_RAM_REGIONS + BOOT_MAX_MODULES + 4)

extern char _image_start_phys[], _image_end_phys[];	/* linker.ld */

static struct mem_region free_low[MAX_FREE_REGIONS];
static struct mem_region free_high[MAX_FREE_REGIONS];

static void exclude(struct mem_region *r, unsigned int *nr, paddr_t base, paddr_t end,
		    const char *what)
{
	base = ALIGN_DOWN(base, (paddr_t)PAGE_SIZE);
	end = ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	if (!region_remove(r, nr, MAX_FREE_REGIONS, base, end))
		pr_warn("memory: too many regions while excluding %s; some RAM left unused\n",
			what);
}

static void print_regions(const char *what, const struct mem_region *r, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		pr_debug("memory: %s [%#014lx, %#014lx) %lu KiB\n", what, r[i].base,
			 region_end(&r[i]), r[i].size / KiB);
}

void memory_init(const struct boot_info *bi)
{
	unsigned int nr_low = 0, nr_high = 0, i;
	struct mem_region meta;
	paddr_t top;

	if (bi->nr_ram == 0)
		panic("memory: the memory map lists no usable RAM");
	top = region_end(&bi->ram[bi->nr_ram - 1]);
	print_regions("ram", bi->ram, bi->nr_ram);

	/* Both lists start as a copy of all RAM and are cut to their half. */
	for (i = 0; i < bi->nr_ram; i++)
		free_low[i] = free_high[i] = bi->ram[i];
	nr_low = nr_high = bi->nr_ram;
	if (top > DIRECT_MAP_MAX) {
		pr_warn("memory: RAM above %lu GiB is beyond the direct map and stays unused\n",
			DIRECT_MAP_MAX / GiB);
		top = DIRECT_MAP_MAX;
		exclude(free_high, &nr_high, DIRECT_MAP_MAX, UINT64_MAX & ~(PAGE_SIZE - 1),
			"RAM beyond the direct map");
	}
	exclude(free_low, &nr_low, BOOT_MAP_END, UINT64_MAX & ~(PAGE_SIZE - 1), "high RAM");
	exclude(free_high, &nr_high, 0, BOOT_MAP_END, "low RAM");

	exclude(free_low, &nr_low, 0, LOW_RESERVED_END, "the first MiB");
	exclude(free_low, &nr_low, (paddr_t)_image_start_phys, (paddr_t)_image_end_phys,
		"the core image");
	for (i = 0; i < bi->nr_modules; i++) {
		exclude(free_low, &nr_low, bi->modules[i].start, bi->modules[i].end, "a module");
		exclude(free_high, &nr_high, bi->modules[i].start, bi->modules[i].end, "a module");
	}

	if (!frame_init(bi->ram[0].base, top, free_low, nr_low, DIRECT_MAP_BASE))
		panic("memory: the frame allocator has no usable RAM below 4 GiB");
	meta = frame_metadata_region();
	pr_debug("memory: frame metadata [%#lx, %#lx)\n", meta.base, region_end(&meta));

	if (nr_high) {
		if (paging_extend_direct_map(top)) {
			for (i = 0; i < nr_high; i++)
				frame_add_region(free_high[i].base, free_high[i].size);
			pr_debug("memory: direct map extended to %#lx\n", paging_direct_map_end());
		} else {
			pr_warn("memory: RAM above 4 GiB stays unused\n");
		}
	}
	print_regions("free", free_low, nr_low);
	print_regions("free", free_high, nr_high);

	pr_info("memory: %lu MiB total, %lu MiB free\n",
		region_total(bi->ram, bi->nr_ram) / MiB, frame_free_pages() * PAGE_SIZE / MiB);
}
