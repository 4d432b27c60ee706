/* KVM FPU/XSAVE views of the guest FPU area (see hv/kvm_fpu_layout.h). */
#include "hv/kvm_fpu_layout.h"
#include "hv/string.h"
#include "hv/errno.h"

/* FXSAVE legacy-region offsets (SDM Vol. 1, "FXSAVE"). */
#define FX_FCW		0
#define FX_FSW		2
#define FX_FTW		4
#define FX_FOP		6
#define FX_FIP		8
#define FX_FDP		16
#define FX_MXCSR	24
#define FX_ST		32
#define FX_XMM		160

#define XCR0_MPX	(3ULL << 3)	/* BNDREGS, BNDCSR */
#define XCR0_AVX512	(7ULL << 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */

static void put(void *area, unsigned int off, const void *src, size_t n)
{
	memcpy((uint8_t *)area + off, src, n);
}

static void get(const void *area, unsigned int off, void *dst, size_t n)
{
	memcpy(dst, (const uint8_t *)area + off, n);
}

void kvm_fpu_from_area(const void *area, struct kvm_fpu *out)
{
	memset(out, 0, sizeof(*out));
	get(area, FX_ST, out->fpr, sizeof(out->fpr));
	get(area, FX_FCW, &out->fcw, 2);
	get(area, FX_FSW, &out->fsw, 2);
	get(area, FX_FTW, &out->ftwx, 1);
	get(area, FX_FOP, &out->last_opcode, 2);
	get(area, FX_FIP, &out->last_ip, 8);
	get(area, FX_FDP, &out->last_dp, 8);
	get(area, FX_XMM, out->xmm, sizeof(out->xmm));
	get(area, FX_MXCSR, &out->mxcsr, 4);
}

static void set_xstate_bv_bits(const struct fpu_layout *l, void *area, uint64_t bits)
{
	uint64_t bv;

	if (!l->xcr0)
		return;
	get(area, XSAVE_HDR_OFFSET, &bv, 8);
	bv |= bits & l->xcr0;
	put(area, XSAVE_HDR_OFFSET, &bv, 8);
}

int kvm_fpu_to_area(const struct fpu_layout *l, const struct kvm_fpu *in, void *area)
{
	/* FXRSTOR/XRSTOR #GP on reserved MXCSR bits: refuse them here. */
	if (in->mxcsr & ~l->mxcsr_mask)
		return -EINVAL;
	put(area, FX_ST, in->fpr, sizeof(in->fpr));
	put(area, FX_FCW, &in->fcw, 2);
	put(area, FX_FSW, &in->fsw, 2);
	put(area, FX_FTW, &in->ftwx, 1);
	put(area, FX_FOP, &in->last_opcode, 2);
	put(area, FX_FIP, &in->last_ip, 8);
	put(area, FX_FDP, &in->last_dp, 8);
	put(area, FX_XMM, in->xmm, sizeof(in->xmm));
	put(area, FX_MXCSR, &in->mxcsr, 4);
	/* XRSTOR takes x87/SSE from the area only when XSTATE_BV says so. */
	set_xstate_bv_bits(l, area, XFEATURE_FP | XFEATURE_SSE);
	return 0;
}

/* Components >= 2 present in both the area and the 4096-byte ABI buffer. */
static bool component_fits(const struct fpu_layout *l, unsigned int i)
{
	return (l->xcr0 & (1ULL << i)) && l->size[i] &&
	       (uint64_t)l->offset[i] + l->size[i] <= sizeof(struct kvm_xsave) &&
	       l->offset[i] >= XSAVE_HDR_OFFSET + XSAVE_HDR_SIZE;
}

void kvm_xsave_from_area(const struct fpu_layout *l, const void *area, struct kvm_xsave *out)
{
	uint64_t bv;

	memset(out, 0, sizeof(*out));
	get(area, 0, out->region, XSAVE_LEGACY_SIZE);
	if (!l->xcr0) {
		/* No XSAVE: the legacy region holds both x87 and SSE state. */
		bv = XFEATURE_FP | XFEATURE_SSE;
		put(out->region, XSAVE_HDR_OFFSET, &bv, 8);
		return;
	}
	get(area, XSAVE_HDR_OFFSET, &bv, 8);
	bv &= l->xcr0;
	/* Standard format: XCOMP_BV and the rest of the header stay zero. */
	put(out->region, XSAVE_HDR_OFFSET, &bv, 8);
	for (unsigned int i = 2; i < XSAVE_MAX_COMPONENTS; i++)
		if ((bv & (1ULL << i)) && component_fits(l, i))
			memcpy((uint8_t *)out->region + l->offset[i],
			       (const uint8_t *)area + l->offset[i], l->size[i]);
}

int kvm_xsave_to_area(const struct fpu_layout *l, const struct kvm_xsave *in, uint64_t allowed,
		      void *area)
{
	const uint8_t *hdr = (const uint8_t *)in->region + XSAVE_HDR_OFFSET;
	uint64_t bv, area_bv;
	uint32_t mxcsr;

	get(hdr, 0, &bv, 8);
	for (unsigned int i = 8; i < XSAVE_HDR_SIZE; i++)
		if (hdr[i])
			return -EINVAL;		/* XCOMP_BV or reserved bytes */
	allowed &= l->xcr0 | XFEATURE_FP | XFEATURE_SSE;
	if (bv & ~allowed)
		return -EINVAL;
	get(in->region, FX_MXCSR, &mxcsr, 4);
	if (mxcsr & ~l->mxcsr_mask)
		return -EINVAL;
	for (unsigned int i = 2; i < XSAVE_MAX_COMPONENTS; i++)
		if ((bv & (1ULL << i)) && !component_fits(l, i))
			return -EINVAL;

	put(area, 0, in->region, XSAVE_LEGACY_SIZE);
	if (!l->xcr0)
		return 0;
	/* A component whose XSTATE_BV bit is clear is loaded in its init state. */
	area_bv = bv;
	put(area, XSAVE_HDR_OFFSET, &area_bv, 8);
	memset((uint8_t *)area + XSAVE_HDR_OFFSET + 8, 0, XSAVE_HDR_SIZE - 8);
	for (unsigned int i = 2; i < XSAVE_MAX_COMPONENTS; i++)
		if (bv & (1ULL << i))
			memcpy((uint8_t *)area + l->offset[i],
			       (const uint8_t *)in->region + l->offset[i], l->size[i]);
	return 0;
}

bool xcr0_value_valid(uint64_t value, uint64_t supported)
{
	if (!(value & XFEATURE_FP) || (value & ~(supported | XFEATURE_FP)))
		return false;
	if ((value & XFEATURE_YMM) && !(value & XFEATURE_SSE))
		return false;
	if ((value & XCR0_MPX) && (value & XCR0_MPX) != XCR0_MPX)
		return false;
	if (value & XCR0_AVX512)
		return (value & XCR0_AVX512) == XCR0_AVX512 && (value & XFEATURE_YMM);
	return true;
}
