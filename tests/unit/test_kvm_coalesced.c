/* unit-sources: hv/kvm_coalesced.c hv/format.c */
/* Coalesced MMIO: zone registration and removal (Linux 6.1 rules) and the ring producer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/kvm_coalesced.h"
#include "hv/errno.h"

#define ZONE	0xd0000000ULL

static union {
	struct kvm_coalesced_mmio_ring ring;
	uint8_t page[4096];
} shared;
static struct kvm_coalesced c;

static int setup(void **state)
{
	(void)state;
	memset(&shared, 0, sizeof(shared));
	kvm_coalesced_init(&c, &shared.ring);
	return 0;
}

static int reg(uint64_t addr, uint32_t size, uint32_t pio)
{
	struct kvm_coalesced_mmio_zone z = { .addr = addr, .size = size, .pio = pio };

	return kvm_coalesced_register(&c, &z);
}

static int unreg(uint64_t addr, uint32_t size, uint32_t pio)
{
	struct kvm_coalesced_mmio_zone z = { .addr = addr, .size = size, .pio = pio };

	return kvm_coalesced_unregister(&c, &z);
}

static bool put32(uint64_t addr, uint32_t v)
{
	return kvm_coalesced_append(&c, addr, &v, 4, false);
}

static void registration(void **state)
{
	(void)state;
	assert_int_equal(reg(ZONE, 0x1000, 2), -EINVAL);
	assert_int_equal(unreg(ZONE, 0x1000, 7), -EINVAL);
	assert_int_equal(reg(ZONE, 0x1000, 0), 0);
	assert_int_equal(reg(0x3f8, 8, 1), 0);
	/* Linux takes empty and overlapping zones alike. */
	assert_int_equal(reg(ZONE, 0, 0), 0);
	assert_int_equal(reg(ZONE + 0x800, 0x1000, 0), 0);
	assert_int_equal(c.nr_zones, 4);
	while (c.nr_zones < KVM_COALESCED_MAX_ZONES)
		assert_int_equal(reg(0x100000ULL * c.nr_zones, 0x100, 0), 0);
	assert_int_equal(reg(ZONE, 0x1000, 0), -ENOSPC);
}

static void unregistration(void **state)
{
	(void)state;
	assert_int_equal(reg(ZONE, 0x1000, 0), 0);
	assert_int_equal(reg(ZONE + 0x2000, 0x100, 0), 0);
	assert_int_equal(reg(ZONE, 0x1000, 1), 0);	/* same range, port I/O */
	/* A range larger than a zone removes nothing: Linux removes the zones
	 * that contain the range given. */
	assert_int_equal(unreg(ZONE, 0x4000, 0), 0);
	assert_int_equal(c.nr_zones, 3);
	/* A sub-range removes its enclosing MMIO zone only. */
	assert_int_equal(unreg(ZONE + 0x10, 4, 0), 0);
	assert_int_equal(c.nr_zones, 2);
	assert_false(put32(ZONE + 0x10, 1));
	assert_true(put32(ZONE + 0x2000, 1));
	assert_true(kvm_coalesced_append(&c, ZONE + 0x10, "ab", 2, true));
	/* Nothing matching: still 0. */
	assert_int_equal(unreg(0x1234, 1, 0), 0);
	assert_int_equal(unreg(ZONE + 0x2000, 0x100, 0), 0);
	assert_int_equal(unreg(ZONE, 0x1000, 1), 0);
	assert_int_equal(c.nr_zones, 0);
}

static void append(void **state)
{
	struct kvm_coalesced_mmio *e = shared.ring.coalesced_mmio;
	uint64_t q = 0x1122334455667788ULL;

	(void)state;
	assert_false(put32(ZONE, 1));		/* no zone yet */
	assert_int_equal(reg(ZONE, 0x100, 0), 0);
	assert_true(put32(ZONE, 0xa1b2c3d4));
	assert_true(kvm_coalesced_append(&c, ZONE + 0xf8, &q, 8, false));
	assert_int_equal(shared.ring.first, 0);
	assert_int_equal(shared.ring.last, 2);
	assert_int_equal(e[0].phys_addr, ZONE);
	assert_int_equal(e[0].len, 4);
	assert_int_equal(e[0].pio, 0);
	assert_memory_equal(e[0].data, "\xd4\xc3\xb2\xa1\0\0\0\0", 8);
	assert_int_equal(e[1].phys_addr, ZONE + 0xf8);
	assert_memory_equal(e[1].data, &q, 8);

	assert_false(put32(ZONE + 0xfe, 1));	/* crosses the zone's end */
	assert_false(put32(ZONE - 2, 1));	/* starts before it */
	assert_false(kvm_coalesced_append(&c, ZONE, &q, 0, false));
	assert_false(kvm_coalesced_append(&c, ZONE, &q, 9, false));
	assert_false(kvm_coalesced_append(&c, ZONE, &q, 4, true));	/* not a port zone */
	assert_int_equal(shared.ring.last, 2);
}

/* One entry stays free; the device model's `first` makes room; indices wrap. */
static void ring_full(void **state)
{
	uint32_t n = 0;

	(void)state;
	assert_int_equal(reg(ZONE, 0x100, 0), 0);
	while (put32(ZONE, n))
		n++;
	assert_int_equal(n, KVM_COALESCED_MMIO_MAX - 1);
	assert_int_equal(shared.ring.last, KVM_COALESCED_MMIO_MAX - 1);
	shared.ring.first = 3;			/* three drained */
	assert_true(put32(ZONE, 100));
	assert_int_equal(shared.ring.last, 0);	/* wrapped */
	assert_true(put32(ZONE, 101));
	assert_true(put32(ZONE, 102));
	assert_false(put32(ZONE, 103));
	assert_int_equal(shared.ring.last, 2);
	assert_int_equal(shared.ring.coalesced_mmio[KVM_COALESCED_MMIO_MAX - 1].data[0], 100);
	assert_int_equal(shared.ring.coalesced_mmio[1].data[0], 102);
}

/* A device model scribbling on the ring cannot make the core write outside it. */
static void hostile_indices(void **state)
{
	(void)state;
	assert_int_equal(reg(ZONE, 0x100, 0), 0);
	shared.ring.last = KVM_COALESCED_MMIO_MAX;
	assert_false(put32(ZONE, 1));
	shared.ring.last = 0xffffffffu;
	assert_false(put32(ZONE, 1));
	shared.ring.last = 5;
	shared.ring.first = 0xdeadbeef;		/* nonsense: not "full", so appended at 5 */
	assert_true(put32(ZONE, 1));
	assert_int_equal(shared.ring.last, 6);
}

/* Linux compares lengths as int: 2 GiB or more is inside nothing. */
static void huge_ranges(void **state)
{
	(void)state;
	assert_int_equal(reg(0, 0xffffffffu, 0), 0);
	assert_int_equal(unreg(0, 0x80000000u, 0), 0);
	assert_int_equal(c.nr_zones, 1);
	assert_true(put32(0x7ffffff0, 1));
	assert_false(put32(0xfffffffe, 1));	/* past the zone's end */
	assert_int_equal(unreg(0x1000, 0x1000, 0), 0);
	assert_int_equal(c.nr_zones, 0);
	/* A zone reaching the top of the address space never wraps into a match. */
	assert_int_equal(reg(0xffffffffffffff00ULL, 0x100, 0), 0);
	assert_false(put32(0xfffffffffffffffeULL, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(registration, setup),
		cmocka_unit_test_setup(unregistration, setup),
		cmocka_unit_test_setup(append, setup),
		cmocka_unit_test_setup(ring_full, setup),
		cmocka_unit_test_setup(hostile_indices, setup),
		cmocka_unit_test_setup(huge_ranges, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
