/* The AP start-up trampoline (boot/trampoline.S) and its parameter block. */
#ifndef BOOT_TRAMPOLINE_H
#define BOOT_TRAMPOLINE_H

/* Physical address the trampoline is copied to: a STARTUP IPI can only start a
 * CPU in real mode at a page below 1 MiB (vector = page number). */
#define TRAMPOLINE_PA		0x8000

/* Offsets in the parameter block the boot CPU fills before each STARTUP IPI. */
#define TP_CR3			0	/* page tables with the low identity map, < 4 GiB */
#define TP_EFER			8	/* EFER to load (LME, NXE) */
#define TP_STACK		16	/* top of the AP's stack (higher half) */
#define TP_PERCPU		24	/* argument for the entry point */
#define TP_ENTRY		32	/* void entry(struct percpu *), never returns */
#define TP_SIZE			40

#ifndef __ASSEMBLY__
#include "hv/types.h"

struct trampoline_params {
	uint64_t cr3;
	uint64_t efer;
	uint64_t stack;
	uint64_t percpu;
	uint64_t entry;
};
_Static_assert(offsetof(struct trampoline_params, entry) == TP_ENTRY &&
	       sizeof(struct trampoline_params) == TP_SIZE, "trampoline.S parameter layout");

extern const char trampoline_start[], trampoline_params[], trampoline_end[];
#endif

#endif
