/*
 * Guest page-table walker: translates a guest-virtual (linear) address to a
 * guest-physical one the way the guest's MMU would, for 32-bit, PAE and 4-level
 * paging (and no paging), checking access rights and setting A/D bits.
 * Guest memory is reached through callbacks so the walker is host-testable.
 */
#ifndef MMU_GWALK_H
#define MMU_GWALK_H

#include "hv/types.h"

/* Kind of access, also the #PF error-code bits the walker reports. */
#define GWALK_WRITE	(1u << 1)
#define GWALK_USER	(1u << 2)
#define GWALK_FETCH	(1u << 4)

/* #PF error code bits. */
#define PFERR_PRESENT	(1u << 0)
#define PFERR_WRITE	(1u << 1)
#define PFERR_USER	(1u << 2)
#define PFERR_RSVD	(1u << 3)
#define PFERR_FETCH	(1u << 4)

struct gwalk_mem {
	void *ctx;
	/* Read/write an aligned 4- or 8-byte value at @gpa; 0 or -EFAULT. */
	int (*read)(void *ctx, uint64_t gpa, void *val, unsigned int size);
	/* Atomically replace @old with @new (for A/D bits); 0, -EAGAIN if it changed, -EFAULT. */
	int (*cmpxchg)(void *ctx, uint64_t gpa, uint64_t old, uint64_t new, unsigned int size);
};

/* The guest registers that decide the paging mode. */
struct gwalk_regs {
	uint64_t cr0, cr3, cr4, efer;
	bool supervisor_smap_exempt;	/* implicit supervisor access or EFLAGS.AC set */
	/* Highest guest-physical address, 2^MAXPHYADDR - 1: address bits above it
	 * in an entry are reserved. 0 means 52 bits. */
	uint64_t max_gpa;
};

struct gwalk_result {
	uint64_t gpa;
	bool fault;		/* true: deliver #PF with error_code at cr2 = gva */
	uint32_t error_code;
	uint64_t page_size;	/* size of the guest page that mapped it */
};

/* 0 (see out->fault for a guest #PF), or -EFAULT when a table lies outside
 * guest RAM (the caller decides: usually an emulation failure), or -EAGAIN
 * when the entries kept changing under the A/D update (retried a bounded
 * number of times first; the caller may re-execute the instruction).
 * Canonical-address checks (#GP, not #PF) are the caller's. */
int gwalk_translate(const struct gwalk_mem *mem, const struct gwalk_regs *regs,
		    uint64_t gva, unsigned int access, struct gwalk_result *out);

#endif
