/*
 * The core's page tables. boot/entry.S maps physical [0, 4 GiB) three times
 * with 2 MiB pages: identity (PML4 slot 0), direct map (slot 256) and the
 * kernel window (slot 511); the identity and direct-map slots share one PDPT.
 * Here the direct map grows to cover all RAM.
 */
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "hv/frame.h"
#include "hv/mm.h"
#include "hv/log.h"

#define ENTRIES		512
#define BOOT_MAP_END	(4 * GiB)
#define PML4_SLOT(va)	(((va) >> 39) & 511)
#define PDPT_SLOT(va)	(((va) >> 30) & 511)
#define PD_SLOT(va)	(((va) >> 21) & 511)

extern uint64_t boot_pml4[ENTRIES];	/* boot/entry.S, linked at its physical address */

static paddr_t direct_map_end = BOOT_MAP_END;

paddr_t paging_kernel_cr3(void)
{
	return (paddr_t)(uintptr_t)boot_pml4;
}

paddr_t paging_direct_map_end(void)
{
	return direct_map_end;
}

static uint64_t *table_va(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The table that @entry points to, allocating an empty one if it is not present. */
static uint64_t *table_get(uint64_t *entry)
{
	paddr_t pa;

	if (*entry & PTE_P)
		return table_va(*entry);
	pa = frame_alloc(0);
	if (pa == FRAME_NONE)
		return NULL;
	*entry = pa | PTE_P | PTE_W;
	return phys_to_virt(pa);
}

/*
 * The direct map gets a PDPT of its own before it grows, so that the entries
 * above 4 GiB do not also appear in the identity map (which is meant to go
 * away once the APs are up).
 */
static uint64_t *direct_map_pdpt(uint64_t *pml4)
{
	unsigned int slot = PML4_SLOT(DIRECT_MAP_BASE);
	uint64_t *old, *new;
	paddr_t pa;
	unsigned int i;

	if ((pml4[slot] & PTE_ADDR_MASK) != (pml4[0] & PTE_ADDR_MASK))
		return table_va(pml4[slot]);
	pa = frame_alloc(0);
	if (pa == FRAME_NONE)
		return NULL;
	old = table_va(pml4[slot]);
	new = phys_to_virt(pa);
	for (i = 0; i < ENTRIES; i++)
		new[i] = old[i];
	pml4[slot] = pa | PTE_P | PTE_W;
	return new;
}

static bool cpu_has_1g_pages(void)
{
	/* entry.S checked that leaf 0x80000001 exists (long mode is reported there). */
	return cpuid(0x80000001, 0).edx & (1U << 26);
}

bool paging_extend_direct_map(paddr_t end)
{
	uint64_t *pml4 = phys_to_virt(paging_kernel_cr3());
	bool huge = cpu_has_1g_pages();
	/* The direct map is data only; keep it non-executable when NX is on. */
	uint64_t leaf = PTE_P | PTE_W | PTE_PS |
			((rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0);
	paddr_t pa;
	bool ok = true;

	end = ALIGN_UP(end, 2 * MiB);
	if (end > DIRECT_MAP_MAX) {
		pr_err("paging: cannot map RAM up to %#lx, the direct map ends at %#lx\n", end,
		       DIRECT_MAP_MAX);
		return false;
	}
	if (end <= direct_map_end)
		return true;
	if (!direct_map_pdpt(pml4))
		return false;
	for (pa = direct_map_end; pa < end;) {
		uintptr_t va = DIRECT_MAP_BASE + pa;
		uint64_t *pdpt = table_get(&pml4[PML4_SLOT(va)]);
		uint64_t *pd;

		if (!pdpt) {
			ok = false;
			break;
		}
		if (huge && IS_ALIGNED(pa, GiB) && end - pa >= GiB) {
			pdpt[PDPT_SLOT(va)] = pa | leaf;
			pa += GiB;
			continue;
		}
		pd = table_get(&pdpt[PDPT_SLOT(va)]);
		if (!pd) {
			ok = false;
			break;
		}
		pd[PD_SLOT(va)] = pa | leaf;
		pa += 2 * MiB;
	}
	direct_map_end = pa;
	/* Only not-present entries were filled in, so no stale translation can
	 * exist; reloading CR3 is cheap insurance at boot. */
	write_cr3(read_cr3());
	if (!ok)
		pr_err("paging: out of memory for page tables, direct map ends at %#lx\n", pa);
	return ok;
}
