/*
 * The guest's FPU/SSE/AVX state. The core never uses these registers (it is
 * built -mgeneral-regs-only), so the guest's state stays loaded in them for
 * the whole of vcpu_run_loop: the loop saves the host's state on entry and
 * restores it on return (ring-3 threads will own FPU state later).
 * XSAVE with the host's XCR0 when the core enabled XSAVE, FXSAVE otherwise.
 */
#ifndef HV_FPU_H
#define HV_FPU_H

#include "hv/types.h"

/* Probes XSAVE and the area size; idempotent. Call before fpu_alloc. */
void fpu_init(void);
/* A zeroed area big enough for fpu_save; NULL when out of memory. */
void *fpu_alloc(void);
void fpu_free(void *area);
/* Puts @area in the x86 reset state (FCW 0x37F, MXCSR 0x1F80, rest 0). */
void fpu_reset(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

/* The XCR0 the core runs with; 0 when XSAVE is not enabled (CR4.OSXSAVE=0). */
uint64_t fpu_host_xcr0(void);

static inline uint64_t xgetbv(uint32_t index)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv(uint32_t index, uint64_t v)
{
	__asm__ volatile("xsetbv" :: "c"(index), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#endif
