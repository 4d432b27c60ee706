/* Saving and loading FPU state for the vcpu run loop (see hv/fpu.h). */
#include "hv/fpu.h"
#include "hv/heap.h"
#include "hv/string.h"
#include "hv/log.h"
#include "arch/x86/cpu.h"

#define FXSAVE_SIZE		512
#define XSAVE_HDR_OFFSET	512
#define XSTATE_X87_SSE		3ULL

static bool fpu_ready;
static uint64_t host_xcr0;	/* 0: FXSAVE */
static size_t area_size;

void fpu_init(void)
{
	if (fpu_ready)
		return;
	if (read_cr4() & CR4_OSXSAVE) {
		host_xcr0 = xgetbv(0);
		/* EBX: the area size for the components XCR0 enables now. */
		area_size = cpuid(0xD, 0).ebx;
	} else {
		area_size = FXSAVE_SIZE;
	}
	/* Page-sized areas come back page aligned, more than XSAVE's 64 bytes. */
	area_size = ALIGN_UP(MAX(area_size, (size_t)FXSAVE_SIZE + 64), PAGE_SIZE);
	fpu_ready = true;
	pr_debug("fpu: %s, %zu-byte areas, xcr0 %#lx\n", host_xcr0 ? "xsave" : "fxsave",
		 area_size, (unsigned long)host_xcr0);
}

uint64_t fpu_host_xcr0(void)
{
	return host_xcr0;
}

void *fpu_alloc(void)
{
	return kzalloc(area_size);
}

void fpu_free(void *area)
{
	kfree(area);
}

void fpu_reset(void *area)
{
	uint8_t *p = area;
	uint16_t fcw = 0x37F;
	uint32_t mxcsr = 0x1F80, mxcsr_mask = 0xFFFF;

	memset(area, 0, area_size);
	memcpy(p + 0, &fcw, 2);
	memcpy(p + 24, &mxcsr, 4);
	memcpy(p + 28, &mxcsr_mask, 4);
	if (host_xcr0) {
		/* XSTATE_BV: x87 and SSE come from the area (so MXCSR is
		 * loaded), everything else from its init state. */
		uint64_t bv = XSTATE_X87_SSE & host_xcr0;

		memcpy(p + XSAVE_HDR_OFFSET, &bv, 8);
	}
}

void fpu_save(void *area)
{
	if (host_xcr0)
		__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"((uint32_t)host_xcr0),
				 "d"((uint32_t)(host_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	if (host_xcr0)
		__asm__ volatile("xrstor64 (%0)" :: "r"(area), "a"((uint32_t)host_xcr0),
				 "d"((uint32_t)(host_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}
