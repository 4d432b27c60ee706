/* unit-sources: mmu/gwalk.c hv/format.c */
/*
 * The guest page-table walker against page tables built by hand in a fake
 * guest memory (2 MiB at GPA 0), for every paging mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mmu/gwalk.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"

#define MEM_SIZE	(2 * 1024 * 1024)
#define CR4_PSE_TEST	(1ULL << 4)
#define CR4_LA57_TEST	(1ULL << 12)

static uint8_t mem[MEM_SIZE] __attribute__((aligned(4096)));
static int interfere;		/* cmpxchg calls that find the entry changed first */
static int cmpxchg_calls;

static int mem_read(void *ctx, uint64_t gpa, void *val, unsigned int size)
{
	(void)ctx;
	assert_true(size == 4 || size == 8);
	assert_true((gpa & (size - 1)) == 0);
	if (gpa >= MEM_SIZE || MEM_SIZE - gpa < size)
		return -EFAULT;
	memcpy(val, mem + gpa, size);
	return 0;
}

static int mem_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new, unsigned int size)
{
	uint64_t cur = 0;

	(void)ctx;
	cmpxchg_calls++;
	if (gpa >= MEM_SIZE || MEM_SIZE - gpa < size)
		return -EFAULT;
	if (interfere) {
		/* another "CPU" flips an available bit (9) in the entry first */
		interfere--;
		mem[gpa + 1] ^= 0x2;
	}
	memcpy(&cur, mem + gpa, size);
	if (cur != (size == 4 ? (uint32_t)old : old))
		return -EAGAIN;
	memcpy(mem + gpa, &new, size);
	return 0;
}

static const struct gwalk_mem gmem = { NULL, mem_read, mem_cmpxchg };

static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }
static void put32(uint64_t gpa, uint32_t v) { memcpy(mem + gpa, &v, 4); }
static uint64_t get64(uint64_t gpa) { uint64_t v; memcpy(&v, mem + gpa, 8); return v; }
static uint32_t get32(uint64_t gpa) { uint32_t v; memcpy(&v, mem + gpa, 4); return v; }

#define P	1ULL
#define RW	2ULL
#define US	4ULL
#define A	0x20ULL
#define D	0x40ULL
#define PS	0x80ULL
#define XD	(1ULL << 63)

static int reset(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	interfere = 0;
	cmpxchg_calls = 0;
	return 0;
}

static struct gwalk_regs long_regs(void)
{
	struct gwalk_regs r = {
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x1000, .cr4 = CR4_PAE,
		.efer = EFER_LME | EFER_LMA | EFER_NXE, .max_gpa = (1ULL << 40) - 1,
	};
	return r;
}

/* gva with index i4 (PML4), i3, i2, i1 and offset. */
static uint64_t va4(unsigned i4, unsigned i3, unsigned i2, unsigned i1, unsigned off)
{
	return ((uint64_t)i4 << 39) | ((uint64_t)i3 << 30) | ((uint64_t)i2 << 21) |
	       ((uint64_t)i1 << 12) | off;
}

/* Tables at 0x1000 (PML4) .. 0x4000 (PT) mapping va4(1,2,3,4,*) -> 0x1234000. */
static uint64_t build_long4(uint64_t flags)
{
	put64(0x1000 + 1 * 8, 0x2000 | flags);
	put64(0x2000 + 2 * 8, 0x3000 | flags);
	put64(0x3000 + 3 * 8, 0x4000 | flags);
	put64(0x4000 + 4 * 8, 0x1234000 | flags);
	return va4(1, 2, 3, 4, 0x567);
}

static void ok(const struct gwalk_regs *r, uint64_t gva, unsigned int acc, uint64_t gpa,
	       uint64_t size)
{
	struct gwalk_result res;

	assert_int_equal(gwalk_translate(&gmem, r, gva, acc, &res), 0);
	assert_false(res.fault);
	assert_int_equal(res.gpa, gpa);
	assert_int_equal(res.page_size, size);
}

static void fault(const struct gwalk_regs *r, uint64_t gva, unsigned int acc, uint32_t ec)
{
	struct gwalk_result res;

	assert_int_equal(gwalk_translate(&gmem, r, gva, acc, &res), 0);
	assert_true(res.fault);
	assert_int_equal(res.error_code, ec);
}

static void no_paging(void **state)
{
	struct gwalk_regs r = { .cr0 = CR0_PE };

	(void)state;
	ok(&r, 0xb8000, 0, 0xb8000, 4096);
	ok(&r, 0x1234567890ULL, GWALK_WRITE, 0x34567890, 4096);
	assert_int_equal(cmpxchg_calls, 0);
}

static void long4_small_pages_and_ad(void **state)
{
	struct gwalk_regs r = long_regs();
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	ok(&r, gva, 0, 0x1234567, 4096);
	assert_int_equal(get64(0x1008) & (A | D), A);
	assert_int_equal(get64(0x2010) & (A | D), A);
	assert_int_equal(get64(0x3018) & (A | D), A);
	assert_int_equal(get64(0x4020) & (A | D), A);
	/* a write sets D on the leaf only */
	ok(&r, gva, GWALK_WRITE | GWALK_USER, 0x1234567, 4096);
	assert_int_equal(get64(0x3018) & (A | D), A);
	assert_int_equal(get64(0x4020) & (A | D), A | D);
	/* all flags already set: no more writes */
	cmpxchg_calls = 0;
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
	assert_int_equal(cmpxchg_calls, 0);
}

static void long4_large_pages(void **state)
{
	struct gwalk_regs r = long_regs();

	(void)state;
	/* 2 MiB page at PD index 3, 1 GiB page at PDPT index 5 */
	put64(0x1000 + 8, 0x2000 | P | RW);
	put64(0x2000 + 2 * 8, 0x3000 | P | RW);
	put64(0x3000 + 3 * 8, 0x40000000 | P | RW | PS);
	put64(0x2000 + 5 * 8, 0x80000000 | P | RW | PS);
	ok(&r, va4(1, 2, 3, 0x1ab, 0x123), 0, 0x40000000 | (0x1ab << 12) | 0x123, 2 * 1024 * 1024);
	ok(&r, va4(1, 5, 0x17, 0x1ab, 0x123), 0,
	   0x80000000 | (0x17 << 21) | (0x1ab << 12) | 0x123, 1024 * 1024 * 1024);
	assert_int_equal(get64(0x3018) & (A | D), A);
	ok(&r, va4(1, 5, 0, 0, 0), GWALK_WRITE, 0x80000000, 1024 * 1024 * 1024);
	assert_int_equal(get64(0x2028) & (A | D), A | D);
	assert_int_equal(get64(0x1008) & (A | D), A);
	/* the PAT bit (12) of a large page is not an address bit */
	put64(0x3000 + 4 * 8, 0x40200000 | P | (1 << 12) | PS);
	ok(&r, va4(1, 2, 4, 0, 9), 0, 0x40200009, 2 * 1024 * 1024);
	/* bits 20:13 of a 2 MiB PDE and 29:13 of a 1 GiB PDPTE are reserved */
	put64(0x3000 + 6 * 8, 0x40400000 | P | (1 << 13) | PS);
	fault(&r, va4(1, 2, 6, 0, 0), 0, PFERR_PRESENT | PFERR_RSVD);
	put64(0x2000 + 6 * 8, 0xc0000000 | P | (1 << 25) | PS);
	fault(&r, va4(1, 6, 0, 0, 0), GWALK_WRITE, PFERR_PRESENT | PFERR_RSVD | PFERR_WRITE);
	/* PS in a PML4E is reserved */
	put64(0x1000 + 2 * 8, 0x2000 | P | PS);
	fault(&r, va4(2, 2, 3, 0, 0), 0, PFERR_PRESENT | PFERR_RSVD);
}

static void not_present_each_level(void **state)
{
	(void)state;
	for (int level = 4; level >= 1; level--) {
		struct gwalk_regs r = long_regs();
		static const uint64_t slot[] = { 0, 0x4020, 0x3018, 0x2010, 0x1008 };
		uint64_t gva;

		reset(NULL);
		gva = build_long4(P | RW | US);
		put64(slot[level], get64(slot[level]) & ~P);
		fault(&r, gva, 0, 0);
		fault(&r, gva, GWALK_WRITE | GWALK_USER, PFERR_WRITE | PFERR_USER);
		fault(&r, gva, GWALK_FETCH, PFERR_FETCH);
		/* nothing is marked accessed by a failed walk */
		for (int l = 1; l <= 4; l++)
			assert_false(get64(slot[l]) & A);
	}
}

static void write_protect(void **state)
{
	struct gwalk_regs r = long_regs();
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	/* read-only at the PD level restricts the whole walk */
	put64(0x3018, 0x4000 | P | US);
	fault(&r, gva, GWALK_WRITE, PFERR_PRESENT | PFERR_WRITE);
	fault(&r, gva, GWALK_WRITE | GWALK_USER, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
	ok(&r, gva, GWALK_USER, 0x1234567, 4096);
	/* supervisor writes ignore R/W when CR0.WP is clear; user writes do not */
	r.cr0 &= ~CR0_WP;
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
	assert_int_equal(get64(0x4020) & D, D);
	fault(&r, gva, GWALK_WRITE | GWALK_USER, PFERR_PRESENT | PFERR_WRITE | PFERR_USER);
}

static void user_supervisor(void **state)
{
	struct gwalk_regs r = long_regs();
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	put64(0x2010, 0x3000 | P | RW);	/* supervisor-only PDPTE */
	fault(&r, gva, GWALK_USER, PFERR_PRESENT | PFERR_USER);
	fault(&r, gva, GWALK_USER | GWALK_FETCH, PFERR_PRESENT | PFERR_USER | PFERR_FETCH);
	ok(&r, gva, 0, 0x1234567, 4096);
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
}

static void nx_smep_smap(void **state)
{
	struct gwalk_regs r = long_regs();
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	put64(0x4020, 0x1234000 | P | RW | US | XD);
	fault(&r, gva, GWALK_FETCH, PFERR_PRESENT | PFERR_FETCH);
	fault(&r, gva, GWALK_FETCH | GWALK_USER, PFERR_PRESENT | PFERR_FETCH | PFERR_USER);
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
	/* without EFER.NXE bit 63 is reserved */
	r.efer &= ~EFER_NXE;
	fault(&r, gva, 0, PFERR_PRESENT | PFERR_RSVD);
	/* and I/D is not reported without NX or SMEP */
	put64(0x4020, 0x1234000 | P | RW);
	fault(&r, gva, GWALK_FETCH | GWALK_USER, PFERR_PRESENT | PFERR_USER);

	/* SMEP: supervisor fetch from a user page */
	r = long_regs();
	put64(0x4020, 0x1234000 | P | RW | US);
	ok(&r, gva, GWALK_FETCH, 0x1234567, 4096);
	r.cr4 |= CR4_SMEP;
	fault(&r, gva, GWALK_FETCH, PFERR_PRESENT | PFERR_FETCH);
	ok(&r, gva, GWALK_FETCH | GWALK_USER, 0x1234567, 4096);
	ok(&r, gva, 0, 0x1234567, 4096);
	/* SMAP: supervisor data access to a user page unless exempt (AC) */
	r.cr4 |= CR4_SMAP;
	fault(&r, gva, 0, PFERR_PRESENT);
	fault(&r, gva, GWALK_WRITE, PFERR_PRESENT | PFERR_WRITE);
	r.supervisor_smap_exempt = true;
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
	/* supervisor pages are not affected */
	r.supervisor_smap_exempt = false;
	put64(0x4020, 0x1234000 | P | RW);
	ok(&r, gva, 0, 0x1234567, 4096);
	ok(&r, gva, GWALK_FETCH, 0x1234567, 4096);
}

static void reserved_address_bits(void **state)
{
	struct gwalk_regs r = long_regs();	/* MAXPHYADDR 40 */
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	put64(0x4020, (1ULL << 40) | 0x1234000 | P | RW | US);
	fault(&r, gva, GWALK_USER, PFERR_PRESENT | PFERR_RSVD | PFERR_USER);
	r.max_gpa = (1ULL << 41) - 1;
	ok(&r, gva, 0, (1ULL << 40) | 0x1234567, 4096);
	/* a table pointer with reserved bits */
	r.max_gpa = (1ULL << 36) - 1;
	put64(0x4020, 0x1234000 | P | RW | US);
	put64(0x2010, (1ULL << 38) | 0x3000 | P | RW | US);
	fault(&r, gva, 0, PFERR_PRESENT | PFERR_RSVD);
}

static void table_outside_ram(void **state)
{
	struct gwalk_regs r = long_regs();
	struct gwalk_result res;
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	put64(0x3018, 0x10000000 | P | RW | US);
	assert_int_equal(gwalk_translate(&gmem, &r, gva, 0, &res), -EFAULT);
	r.cr3 = 0x40000000;
	assert_int_equal(gwalk_translate(&gmem, &r, gva, 0, &res), -EFAULT);
	/* the leaf target itself is never touched: it may be MMIO */
	reset(NULL);
	r = long_regs();
	gva = build_long4(P | RW | US);
	put64(0x4020, 0xfee00000 | P | RW);
	ok(&r, gva, 0, 0xfee00567, 4096);
}

static void paging_32bit(void **state)
{
	struct gwalk_regs r = { .cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x5000,
				.max_gpa = (1ULL << 36) - 1 };
	uint32_t gva = (3u << 22) | (7u << 12) | 0x89;

	(void)state;
	put32(0x5000 + 3 * 4, 0x6000 | P | RW | US);
	put32(0x6000 + 7 * 4, 0x00abc000 | P | RW | US);
	put32(0x6000 + 8 * 4, 0x11111111);	/* neighbours stay untouched */
	ok(&r, gva, GWALK_WRITE | GWALK_USER, 0xabc089, 4096);
	assert_int_equal(get32(0x500c), 0x6000 | P | RW | US | A);
	assert_int_equal(get32(0x601c), 0xabc000 | P | RW | US | A | D);
	assert_int_equal(get32(0x6020), 0x11111111);
	/* bits above 31 of the gva are ignored outside long mode */
	ok(&r, (1ULL << 32) | gva, 0, 0xabc089, 4096);
	/* 4 MiB page with CR4.PSE, PSE-36 bits 39:32 from PDE bits 20:13 */
	put32(0x5000 + 5 * 4, 0xc0000000 | (0x3 << 13) | P | RW | PS);
	r.cr4 = CR4_PSE_TEST;
	ok(&r, (5u << 22) | 0x123456, 0, 0x3c0123456ULL, 4 * 1024 * 1024);
	ok(&r, (5u << 22), GWALK_WRITE, 0x3c0000000ULL, 4 * 1024 * 1024);
	assert_int_equal(get32(0x5014) & (A | D), A | D);
	fault(&r, (5u << 22), GWALK_USER, PFERR_PRESENT | PFERR_USER);
	/* above MAXPHYADDR / bit 21: reserved */
	put32(0x5000 + 6 * 4, 0x00400000 | (0x10 << 13) | P | PS);
	fault(&r, (6u << 22), 0, PFERR_PRESENT | PFERR_RSVD);
	put32(0x5000 + 6 * 4, 0x00400000 | (1 << 21) | P | PS);
	fault(&r, (6u << 22), 0, PFERR_PRESENT | PFERR_RSVD);
	/* without CR4.PSE the PS bit is ignored: the PDE points to a table */
	r.cr4 = 0;
	put32(0x5000 + 5 * 4, 0x6000 | P | RW | US | PS);
	ok(&r, (5u << 22) | (7u << 12) | 1, 0, 0xabc001, 4096);
	/* no NX in 32-bit paging: fetches are allowed, I/D not reported */
	ok(&r, gva, GWALK_FETCH, 0xabc089, 4096);
	put32(0x601c, 0xabc000);
	fault(&r, gva, GWALK_FETCH, 0);
}

static void paging_pae(void **state)
{
	struct gwalk_regs r = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x5020, .cr4 = CR4_PAE,
				.efer = EFER_NXE, .max_gpa = (1ULL << 36) - 1 };
	uint32_t gva = (2u << 30) | (9u << 21) | (3u << 12) | 0x45;

	(void)state;
	put64(0x5020 + 2 * 8, 0x6000 | P);
	put64(0x6000 + 9 * 8, 0x7000 | P | RW);
	put64(0x7000 + 3 * 8, 0x912345000ULL | P | RW);
	ok(&r, gva, GWALK_WRITE, 0x912345045ULL, 4096);
	assert_int_equal(get64(0x5030), 0x6000 | P);	/* PDPTEs have no A bit */
	assert_int_equal(get64(0x6048) & (A | D), A);
	assert_int_equal(get64(0x7018) & (A | D), A | D);
	/* 2 MiB page */
	put64(0x6000 + 10 * 8, 0x600000 | P | RW | US | PS | XD);
	ok(&r, (2u << 30) | (10u << 21) | 0x1234, GWALK_USER, 0x601234, 2 * 1024 * 1024);
	fault(&r, (2u << 30) | (10u << 21), GWALK_FETCH, PFERR_PRESENT | PFERR_FETCH);
	/* PDPTE reserved bits (R/W is reserved there) and not-present PDPTE */
	put64(0x5020 + 1 * 8, 0x6000 | P | RW);
	fault(&r, (1u << 30), 0, PFERR_PRESENT | PFERR_RSVD);
	fault(&r, (3u << 30), GWALK_WRITE, PFERR_WRITE);
}

static void paging_5level(void **state)
{
	struct gwalk_regs r = long_regs();
	uint64_t gva = (7ULL << 48) | build_long4(P | RW | US);

	(void)state;
	r.cr4 |= CR4_LA57_TEST;
	r.cr3 = 0x8000;
	put64(0x8000 + 7 * 8, 0x1000 | P | RW | US);
	ok(&r, gva, 0, 0x1234567, 4096);
	assert_int_equal(get64(0x8038) & A, A);
	/* 4-level ignores bits 56:48 */
	r = long_regs();
	ok(&r, gva, 0, 0x1234567, 4096);
}

static void ad_update_races(void **state)
{
	struct gwalk_regs r = long_regs();
	struct gwalk_result res;
	uint64_t gva = build_long4(P | RW | US);

	(void)state;
	/* another CPU changes the PML4E once: the walk restarts and keeps its change */
	interfere = 1;
	ok(&r, gva, GWALK_WRITE, 0x1234567, 4096);
	assert_int_equal(get64(0x1008), 0x2000 | P | RW | US | A | 0x200);
	assert_int_equal(get64(0x4020) & (A | D), A | D);
	/* forever: bounded retries, then -EAGAIN */
	reset(NULL);
	gva = build_long4(P | RW | US);
	interfere = 1000;
	assert_int_equal(gwalk_translate(&gmem, &r, gva, 0, &res), -EAGAIN);
	assert_true(cmpxchg_calls < 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(no_paging, reset),
		cmocka_unit_test_setup(long4_small_pages_and_ad, reset),
		cmocka_unit_test_setup(long4_large_pages, reset),
		cmocka_unit_test_setup(not_present_each_level, reset),
		cmocka_unit_test_setup(write_protect, reset),
		cmocka_unit_test_setup(user_supervisor, reset),
		cmocka_unit_test_setup(nx_smep_smap, reset),
		cmocka_unit_test_setup(reserved_address_bits, reset),
		cmocka_unit_test_setup(table_outside_ram, reset),
		cmocka_unit_test_setup(paging_32bit, reset),
		cmocka_unit_test_setup(paging_pae, reset),
		cmocka_unit_test_setup(paging_5level, reset),
		cmocka_unit_test_setup(ad_update_races, reset),
	};
	return cmocka_run_group_tests_name("gwalk", tests, NULL, NULL);
}
