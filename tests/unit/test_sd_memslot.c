/* unit-sources: sd/kvm_memslot.c hv/format.c */
/*
 * The service domain's KVM_SET_USER_MEMORY_REGION rules (Linux 6.1's, as
 * tests/conformance/memslot.c expects them on a real KVM) and the slot
 * lookup of KVM_GET_DIRTY_LOG.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kvm.h>

#include "sd/kvm_memslot.h"

#define HVA	0x10000000ull
#define KiB	1024ull
#define MiB	(1024 * KiB)

static struct sd_memslots *slots;

static int setup(void **state)
{
	(void)state;
	slots = calloc(1, sizeof(*slots));
	return slots ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(slots);
	return 0;
}

/* Checks the request and, when valid, commits it as the server would. */
static int set(uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size, uint64_t uva,
	       enum sd_memslot_change *change)
{
	struct sd_memslot_req req = {
		.slot = slot, .flags = flags, .gpa = gpa, .size = size, .uva = uva,
	};
	struct sd_memslot_plan plan;
	int err = sd_memslot_check(slots, &req, &plan);

	if (!err) {
		assert_int_equal(plan.id, slot & 0xffff);
		sd_memslot_commit(slots, &plan);
		if (change)
			*change = plan.change;
	}
	return err;
}

static void create_delete(void **state)
{
	enum sd_memslot_change c;

	(void)state;
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_CREATE);
	assert_int_equal(slots->slot[0].size, 64 * KiB);
	assert_int_equal(slots->slot[0].uva, HVA);
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_UNCHANGED);
	assert_int_equal(set(0, 0, 0, 0, 0, &c), 0);
	assert_int_equal(c, SD_SLOT_DELETE);
	assert_int_equal(slots->slot[0].size, 0);
	/* Deleting an empty slot: EINVAL on Linux 6.1. */
	assert_int_equal(set(0, 0, 0, 0, 0, NULL), -EINVAL);
	assert_int_equal(set(7, 0, 0x5000, 0, HVA, NULL), -EINVAL);
	/* The slot's memory comes back after a delete. */
	assert_int_equal(set(0, 0, 0x100000, 4 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_CREATE);
}

static void alignment_and_ranges(void **state)
{
	(void)state;
	assert_int_equal(set(2, 0, 0x100800, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(2, 0, 0x100000, 0x1800, HVA, NULL), -EINVAL);
	assert_int_equal(set(2, 0, 0x100000, 0x1000, HVA + 0x10, NULL), -EINVAL);
	assert_int_equal(set(2, 0, 0x100000, 0x1000, 0xffff800000000000ull, NULL), -EINVAL);
	/* The host range may end exactly at the end of user space, not past it. */
	assert_int_equal(set(2, 0, 0x100000, 0x1000, SD_USER_ADDR_END - 0x1000, NULL), 0);
	assert_int_equal(set(3, 0, 0x200000, 0x2000, SD_USER_ADDR_END - 0x1000, NULL), -EINVAL);
	assert_int_equal(set(3, 0, 0x200000, 0x1000, SD_USER_ADDR_END, NULL), -EINVAL);
	assert_int_equal(set(3, 0, 0x200000, 0xfffffffffffff000ull, 0x1000, NULL), -EINVAL);
	/* Guest range wrapping around. */
	assert_int_equal(set(3, 0, 0xfffffffffffff000ull, 0x2000, HVA, NULL), -EINVAL);
	/* Ending exactly at 2^64: the end wraps to 0, which Linux refuses too. */
	assert_int_equal(set(3, 0, 0xfffffffffffff000ull, 0x1000, HVA, NULL), -EINVAL);
	/* A slot of more than 2^31 - 1 pages. */
	assert_int_equal(set(3, 0, 1ull << 44, 1ull << 43, HVA, NULL), -EINVAL);
	assert_int_equal(set(3, 0, 1ull << 44, (1ull << 43) - 0x1000, HVA, NULL), 0);
}

static void flags_and_slot_numbers(void **state)
{
	enum sd_memslot_change c;

	(void)state;
	assert_int_equal(set(2, 1u << 7, 0x100000, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(2, 1u << 2, 0x100000, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(TERN_KVM_USER_MEM_SLOTS, 0, 0x100000, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(0xffff, 0, 0x100000, 0x1000, HVA, NULL), -EINVAL);
	/* Address space 1 (SMM) does not exist in tern. */
	assert_int_equal(set(1u << 16, 0, 0x100000, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(TERN_KVM_USER_MEM_SLOTS - 1, 0, 0x100000, 0x1000, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_CREATE);
	assert_int_equal(set(TERN_KVM_USER_MEM_SLOTS - 1, 0, 0x100000, 0, 0, &c), 0);
	assert_int_equal(c, SD_SLOT_DELETE);
}

static void overlaps(void **state)
{
	enum sd_memslot_change c;

	(void)state;
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA, NULL), 0);
	assert_int_equal(set(1, 0, 64 * KiB, 64 * KiB, HVA + MiB, NULL), 0);
	assert_int_equal(set(2, 0, 0x8000, 64 * KiB, HVA, NULL), -EEXIST);
	assert_int_equal(set(2, 0, 128 * KiB - 4 * KiB, 8 * KiB, HVA, NULL), -EEXIST);
	assert_int_equal(set(2, 0, 0, 256 * KiB, HVA, NULL), -EEXIST);
	/* Adjacent is fine; the host ranges may overlap freely. */
	assert_int_equal(set(2, 0, 128 * KiB, 4 * KiB, HVA, &c), 0);
	/* Moving onto another slot: EEXIST; moving onto part of itself: fine. */
	assert_int_equal(set(1, 0, 0x8000, 64 * KiB, HVA + MiB, NULL), -EEXIST);
	assert_int_equal(set(1, 0, 60 * KiB, 64 * KiB, HVA + MiB, NULL), -EEXIST);
	assert_int_equal(set(0, 0, 4 * KiB, 64 * KiB, HVA, NULL), -EEXIST);
	assert_int_equal(set(2, 0, 132 * KiB, 4 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_MOVE);
	assert_int_equal(set(2, 0, 128 * KiB, 4 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_MOVE);
	assert_int_equal(slots->slot[2].gpa, 128 * KiB);
	/* An error changes nothing. */
	assert_int_equal(slots->slot[1].gpa, 64 * KiB);
}

static void live_slot_changes(void **state)
{
	enum sd_memslot_change c;

	(void)state;
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA, NULL), 0);
	assert_int_equal(set(0, 0, 0, 128 * KiB, HVA, NULL), -EINVAL);
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA + MiB, NULL), -EINVAL);
	assert_int_equal(set(0, 0, 1 * MiB, 128 * KiB, HVA, NULL), -EINVAL);
	assert_int_equal(set(0, KVM_MEM_LOG_DIRTY_PAGES, 0, 64 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_FLAGS);
	assert_int_equal(slots->slot[0].flags, KVM_MEM_LOG_DIRTY_PAGES);
	/* Move and flag change at once: a move that carries the new flags. */
	assert_int_equal(set(0, 0, 1 * MiB, 64 * KiB, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_MOVE);
	assert_int_equal(slots->slot[0].flags, 0);
	assert_int_equal(set(0, KVM_MEM_READONLY, 1 * MiB, 64 * KiB, HVA, NULL), -EINVAL);

	assert_int_equal(set(3, KVM_MEM_READONLY, 0x300000, 0x1000, HVA, &c), 0);
	assert_int_equal(c, SD_SLOT_CREATE);
	assert_int_equal(set(3, 0, 0x300000, 0x1000, HVA, NULL), -EINVAL);
	assert_int_equal(set(3, KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES, 0x300000, 0x1000, HVA,
			     &c), 0);
	assert_int_equal(c, SD_SLOT_FLAGS);
	assert_int_equal(set(3, 0, 0x300000, 0, 0, &c), 0);
	assert_int_equal(c, SD_SLOT_DELETE);
}

static void dirty_lookup(void **state)
{
	struct sd_memslot m;

	(void)state;
	assert_int_equal(set(0, 0, 0, 64 * KiB, HVA, NULL), 0);
	assert_int_equal(set(5, KVM_MEM_LOG_DIRTY_PAGES, 1 * MiB, 64 * KiB, HVA, NULL), 0);
	assert_int_equal(sd_memslot_dirty(slots, 0, &m), -ENOENT);
	assert_int_equal(sd_memslot_dirty(slots, 9, &m), -ENOENT);
	assert_int_equal(sd_memslot_dirty(slots, TERN_KVM_USER_MEM_SLOTS, &m), -EINVAL);
	assert_int_equal(sd_memslot_dirty(slots, 5 | (1u << 16), &m), -EINVAL);
	assert_int_equal(sd_memslot_dirty(slots, 5, &m), 0);
	assert_int_equal(m.gpa, 1 * MiB);
	assert_int_equal(m.size, 64 * KiB);
	assert_int_equal(set(5, 0, 1 * MiB, 64 * KiB, HVA, NULL), 0);
	assert_int_equal(sd_memslot_dirty(slots, 5, &m), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(alignment_and_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(flags_and_slot_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(overlaps, setup, teardown),
		cmocka_unit_test_setup_teardown(live_slot_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(dirty_lookup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
