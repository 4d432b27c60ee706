/* unit-sources: hv/kvm_fpu_layout.c hv/format.c */
/* KVM_GET/SET_FPU and KVM_GET/SET_XSAVE views of the core's FPU area. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hv/kvm_fpu_layout.h"
#include "hv/errno.h"

#define AREA_SIZE	4096
#define YMM_OFFSET	576	/* component 2 (AVX) in the standard format */
#define YMM_SIZE	256

static const struct fpu_layout xsave_avx = {
	.xcr0 = 0x7, .offset = { [2] = YMM_OFFSET }, .size = { [2] = YMM_SIZE },
	.mxcsr_mask = 0xFFFF,
};
static const struct fpu_layout fxsave_only = { .xcr0 = 0, .mxcsr_mask = 0xFFBF };

static uint8_t *new_area(void)
{
	uint8_t *a = aligned_alloc(64, AREA_SIZE);

	memset(a, 0, AREA_SIZE);
	return a;
}

static uint64_t u64_at(const void *p, unsigned int off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)p + off, 8);
	return v;
}

static void fpu_fields_map_to_fxsave(void **state)
{
	uint8_t *a = new_area();
	struct kvm_fpu f, g;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.fcw = 0x37F;
	f.fsw = 0x1234;
	f.ftwx = 0x81;
	f.last_opcode = 0x7ff;
	f.last_ip = 0x1122334455667788ULL;
	f.last_dp = 0x99;
	f.mxcsr = 0x1F80;
	f.fpr[7][9] = 0x42;
	f.xmm[15][15] = 0x5A;
	assert_int_equal(kvm_fpu_to_area(&xsave_avx, &f, a), 0);
	/* FXSAVE offsets: FCW 0, FSW 2, FTW 4, FOP 6, FIP 8, FDP 16, MXCSR 24,
	 * ST0 32 (16 bytes each), XMM0 160. */
	assert_int_equal(a[0] | a[1] << 8, 0x37F);
	assert_int_equal(a[4], 0x81);
	assert_int_equal(u64_at(a, 8), 0x1122334455667788ULL);
	assert_int_equal(a[32 + 7 * 16 + 9], 0x42);
	assert_int_equal(a[160 + 15 * 16 + 15], 0x5A);
	/* XRSTOR must take x87 and SSE from the area now. */
	assert_int_equal(u64_at(a, 512) & 3, 3);
	kvm_fpu_from_area(a, &g);
	assert_memory_equal(&f, &g, sizeof(f));
	free(a);
}

static void fpu_rejects_reserved_mxcsr(void **state)
{
	uint8_t *a = new_area();
	struct kvm_fpu f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.mxcsr = 0x1F80 | 0x40;		/* DAZ: not in this layout's mask */
	assert_int_equal(kvm_fpu_to_area(&fxsave_only, &f, a), -EINVAL);
	assert_int_equal(a[24], 0);		/* area untouched */
	f.mxcsr = 1u << 16;
	assert_int_equal(kvm_fpu_to_area(&xsave_avx, &f, a), -EINVAL);
	free(a);
}

static void xsave_get_places_components(void **state)
{
	uint8_t *a = new_area();
	struct kvm_xsave *x = malloc(sizeof(*x));
	uint64_t bv = 0x7 | (1ULL << 9);	/* a stray bit outside xcr0 is dropped */
	uint8_t *r = (uint8_t *)x->region;

	(void)state;
	a[24] = 0x80;
	memcpy(a + 512, &bv, 8);
	memset(a + YMM_OFFSET, 0xCC, YMM_SIZE);
	memset(a + 520, 0xEE, 8);		/* XCOMP_BV garbage is not reported */
	kvm_xsave_from_area(&xsave_avx, a, x);
	assert_int_equal(r[24], 0x80);
	assert_int_equal(u64_at(r, 512), 0x7);
	assert_int_equal(u64_at(r, 520), 0);
	assert_int_equal(r[YMM_OFFSET], 0xCC);
	assert_int_equal(r[YMM_OFFSET + YMM_SIZE - 1], 0xCC);
	assert_int_equal(r[YMM_OFFSET + YMM_SIZE], 0);

	/* AVX in its init state (bit clear): its bytes read as zero. */
	bv = 0x3;
	memcpy(a + 512, &bv, 8);
	kvm_xsave_from_area(&xsave_avx, a, x);
	assert_int_equal(r[YMM_OFFSET], 0);
	free(x);
	free(a);
}

static void xsave_fxsave_only_host(void **state)
{
	uint8_t *a = new_area();
	struct kvm_xsave *x = malloc(sizeof(*x));

	(void)state;
	a[0] = 0x7F;
	kvm_xsave_from_area(&fxsave_only, a, x);
	assert_int_equal(((uint8_t *)x->region)[0], 0x7F);
	assert_int_equal(u64_at(x->region, 512), 3);	/* x87 and SSE */
	/* Set: only x87/SSE may be named. */
	assert_int_equal(kvm_xsave_to_area(&fxsave_only, x, 0x7, a), 0);
	((uint8_t *)x->region)[512] = 0x7;
	assert_int_equal(kvm_xsave_to_area(&fxsave_only, x, 0x7, a), -EINVAL);
	free(x);
	free(a);
}

static void xsave_set_round_trip(void **state)
{
	uint8_t *a = new_area(), *b = new_area();
	struct kvm_xsave *x = malloc(sizeof(*x));
	uint64_t bv = 0x7;

	(void)state;
	memset(a, 0, AREA_SIZE);
	a[24] = 0x80;
	a[25] = 0x1F;
	memcpy(a + 512, &bv, 8);
	memset(a + YMM_OFFSET, 0x3C, YMM_SIZE);
	kvm_xsave_from_area(&xsave_avx, a, x);
	memset(b + 512, 0xFF, 64);		/* stale header in the target */
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x7, b), 0);
	assert_memory_equal(a, b, YMM_OFFSET + YMM_SIZE);
	free(x);
	free(a);
	free(b);
}

static void xsave_set_rejects(void **state)
{
	uint8_t *a = new_area();
	struct kvm_xsave *x = calloc(1, sizeof(*x));
	uint8_t *r = (uint8_t *)x->region;
	uint64_t bv;

	(void)state;
	bv = 0x7;				/* AVX, but the guest's CPUID lacks it */
	memcpy(r + 512, &bv, 8);
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x3, a), -EINVAL);
	bv = 0x3;
	memcpy(r + 512, &bv, 8);
	r[520] = 1;				/* XCOMP_BV: compacted format */
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x7, a), -EINVAL);
	r[520] = 0;
	r[540] = 1;				/* reserved header byte */
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x7, a), -EINVAL);
	r[540] = 0;
	r[26] = 1;				/* MXCSR bit 16 */
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x7, a), -EINVAL);
	r[26] = 0;
	assert_int_equal(kvm_xsave_to_area(&xsave_avx, x, 0x7, a), 0);
	free(x);
	free(a);
}

static void xcr0_rules(void **state)
{
	(void)state;
	assert_true(xcr0_value_valid(0x1, 0x0));	/* x87 is always there */
	assert_true(xcr0_value_valid(0x3, 0x3));
	assert_true(xcr0_value_valid(0x7, 0x7));
	assert_false(xcr0_value_valid(0x0, 0x7));	/* x87 cannot be off */
	assert_false(xcr0_value_valid(0x2, 0x7));
	assert_false(xcr0_value_valid(0x7, 0x3));	/* not offered */
	assert_false(xcr0_value_valid(0x5, 0x7));	/* AVX needs SSE */
	assert_false(xcr0_value_valid(0x0b, 0x1f));	/* MPX halves together */
	assert_true(xcr0_value_valid(0x1b, 0x1f));
	assert_false(xcr0_value_valid(0x27, 0xe7));	/* AVX-512 all or nothing */
	assert_true(xcr0_value_valid(0xe7, 0xe7));
	assert_false(xcr0_value_valid(0xe3, 0xe7));	/* ... and needs AVX */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fpu_fields_map_to_fxsave),
		cmocka_unit_test(fpu_rejects_reserved_mxcsr),
		cmocka_unit_test(xsave_get_places_components),
		cmocka_unit_test(xsave_fxsave_only_host),
		cmocka_unit_test(xsave_set_round_trip),
		cmocka_unit_test(xsave_set_rejects),
		cmocka_unit_test(xcr0_rules),
	};
	return cmocka_run_group_tests_name("kvm_fpu_layout", tests, NULL, NULL);
}
