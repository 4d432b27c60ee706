/*
 * Nested page tables: the GPA -> HPA translation of one VM, in Intel EPT or
 * AMD NPT format (AMD NPT entries are ordinary x86-64 page-table entries with
 * the U bit set at every level). 4-level tables; 2 MiB and 1 GiB leaves are
 * used where the range is aligned and the CPU supports them.
 */
#ifndef MMU_NPT_H
#define MMU_NPT_H

#include "hv/types.h"

enum npt_format { NPT_FORMAT_EPT, NPT_FORMAT_AMD };

/* Access rights of a mapping. */
#define NPT_R	1u
#define NPT_W	2u
#define NPT_X	4u
#define NPT_RWX	(NPT_R | NPT_W | NPT_X)

struct npt_config {
	enum npt_format format;
	bool large_2m;		/* 2 MiB leaves allowed */
	bool large_1g;		/* 1 GiB leaves allowed */
	bool ept_ad;		/* EPT: accessed/dirty flags enabled in the EPTP */
};

struct npt;

/* NULL when out of memory. */
struct npt *npt_create(const struct npt_config *cfg);
/* Frees every table page (not the mapped memory). */
void npt_destroy(struct npt *npt);
/* Physical address of the top-level table (for the EPTP / nCR3). */
paddr_t npt_root(const struct npt *npt);

/* Maps [gpa, gpa+size) to [hpa, hpa+size) with @prot (NPT_*); all three
 * 4 KiB-aligned. Replaces existing mappings (splitting large pages as needed).
 * 0, -EINVAL (misaligned, beyond the GPA width) or -ENOMEM (nothing changed). */
int npt_map(struct npt *npt, uint64_t gpa, paddr_t hpa, uint64_t size, unsigned int prot);
/* Removes mappings in the range; returns 0 or -EINVAL/-ENOMEM (splitting). The
 * caller must flush the guest TLBs (virt->vm_flush_tlb) afterwards. */
int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t size);
/* Changes the rights of mapped pages in the range (unmapped pages are skipped). */
int npt_protect(struct npt *npt, uint64_t gpa, uint64_t size, unsigned int prot);
/* Translates one GPA: true and *hpa, *prot when mapped. */
bool npt_lookup(const struct npt *npt, uint64_t gpa, paddr_t *hpa, unsigned int *prot);

#endif
