/* unit-sources: hv/vm.c mmu/npt.c mmu/gwalk.c hv/format.c */
/*
 * The VM object on the host: the frame allocator, heap, backend ops, CPU
 * features and vcpu_destroy are test doubles. Physical addresses handed out
 * are chosen so that phys_to_virt() (pa + DIRECT_MAP_BASE) gives back the
 * arena pointer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/vm.h"
#include "hv/vcpu.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/mm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/virt.h"

/* ---- frame allocator double: aligned bump allocation, every block tracked ---- */
#define ARENA_SIZE	(32UL * 1024 * 1024)
#define MAX_BLOCKS	512

static uint8_t *arena;
static size_t arena_next;
static struct { uint8_t *p; unsigned int order; } blocks[MAX_BLOCKS];
static int nr_blocks;
static long pages_in_use;
static int fail_order_above = 99;	/* orders above this fail */
static int fail_all_after = -1;		/* successes before every order fails */

paddr_t frame_alloc(unsigned int order)
{
	size_t size = PAGE_SIZE << order;
	uint8_t *p;

	if ((int)order > fail_order_above || fail_all_after == 0)
		return FRAME_NONE;
	if (fail_all_after > 0)
		fail_all_after--;
	arena_next = (arena_next + size - 1) & ~(size - 1);
	if (arena_next + size > ARENA_SIZE || nr_blocks == MAX_BLOCKS)
		return FRAME_NONE;
	p = arena + arena_next;
	arena_next += size;
	memset(p, 0, size);
	blocks[nr_blocks].p = p;
	blocks[nr_blocks].order = order;
	nr_blocks++;
	pages_in_use += 1L << order;
	return (uintptr_t)p - DIRECT_MAP_BASE;
}

bool frame_free(paddr_t pa, unsigned int order)
{
	uint8_t *p = phys_to_virt(pa);

	for (int i = 0; i < nr_blocks; i++) {
		if (blocks[i].p == p) {
			assert_int_equal(blocks[i].order, order);
			blocks[i] = blocks[--nr_blocks];
			pages_in_use -= 1L << order;
			memset(p, 0x5a, PAGE_SIZE << order);
			return true;
		}
	}
	fail_msg("frame_free of an unknown block");
	return false;
}

void *kzalloc(size_t size) { return calloc(1, size); }
void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *p) { free(p); }

/* ---- backend, CPU features and vcpu doubles ---- */
struct cpu_features cpu_features;
static int vm_init_calls, vm_init_result, flushes, vcpus_destroyed;

static int fake_vm_init(struct vm *vm)
{
	assert_non_null(vm->npt);
	vm_init_calls++;
	return vm_init_result;
}

static void fake_flush(struct vm *vm)
{
	(void)vm;
	flushes++;
}

static struct virt_ops fake_ops = { .vm_init = fake_vm_init, .vm_flush_tlb = fake_flush };
const struct virt_ops *virt;

void vcpu_destroy(struct vcpu *v)
{
	vcpus_destroyed++;
	free(v);
}

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(ARENA_SIZE, ARENA_SIZE);
	arena_next = 0;
	nr_blocks = 0;
	pages_in_use = 0;
	fail_order_above = 99;
	fail_all_after = -1;
	memset(&cpu_features, 0, sizeof(cpu_features));
	vm_init_calls = vm_init_result = flushes = vcpus_destroyed = 0;
	fake_ops.name = "svm";
	virt = &fake_ops;
	return arena ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(pages_in_use, 0);
	free(arena);
	return 0;
}

/* The raw leaf entry mapping @gpa (tables are in the arena too). */
static uint64_t raw_leaf(struct vm *vm, uint64_t gpa, int *level_out)
{
	uint64_t *t = phys_to_virt(npt_root(vm->npt));

	for (int level = 4; level >= 1; level--) {
		uint64_t e = t[(gpa >> (12 + 9 * (level - 1))) & 511];

		if (level == 1 || (e & (1ULL << 7))) {
			*level_out = level;
			return e;
		}
		t = phys_to_virt(e & 0x000FFFFFFFFFF000ULL);
	}
	return 0;
}

static void create_picks_backend_format(void **state)
{
	struct vm *vm;
	uint64_t e;
	int level;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	assert_int_equal(vm_init_calls, 1);
	assert_int_equal(vm_map(vm, 0x1000, 0x5000, 4096, NPT_R), 0);
	e = raw_leaf(vm, 0x1000, &level);
	assert_int_equal(e, 0x5000 | 0x5 | (1ULL << 63));	/* AMD: P|US, NX */
	vm_destroy(vm);

	fake_ops.name = "vmx";
	cpu_features.vmx_ept_ad = false;
	vm = vm_create();
	assert_non_null(vm);
	assert_int_equal(vm_map(vm, 0x1000, 0x5000, 4096, NPT_R), 0);
	e = raw_leaf(vm, 0x1000, &level);
	assert_int_equal(e, 0x5000 | 0x1 | (6 << 3));		/* EPT: R, WB */
	vm_destroy(vm);
}

static void create_failures(void **state)
{
	(void)state;
	virt = NULL;
	assert_null(vm_create());
	virt = &fake_ops;
	vm_init_result = -EIO;
	assert_null(vm_create());
	assert_int_equal(vm_init_calls, 1);
	vm_init_result = 0;
	fail_all_after = 0;
	assert_null(vm_create());
	fail_all_after = -1;
}

static void alloc_ram_uses_large_blocks(void **state)
{
	struct vm *vm;
	uint8_t buf[64];
	int level;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	assert_int_equal(vm_alloc_ram(vm, 2 * MiB, 2 * MiB + 8 * KiB), 0);
	assert_int_equal(vm->nr_ram, 2);
	assert_int_equal(vm->ram[0].order, 9);
	assert_int_equal(vm->ram[1].order, 1);
	raw_leaf(vm, 3 * MiB, &level);
	assert_int_equal(level, 2);
	/* zeroed, readable and writable across pages and blocks */
	assert_int_equal(vm_read_gpa(vm, 4 * MiB - 32, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i + 1);
	assert_int_equal(vm_write_gpa(vm, 4 * MiB - 32, buf, sizeof(buf)), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(vm_read_gpa(vm, 4 * MiB - 32, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], i + 1);
	/* beyond the end */
	assert_int_equal(vm_read_gpa(vm, 4 * MiB + 8 * KiB - 4, buf, 8), -EFAULT);
	assert_int_equal(vm_read_gpa(vm, 0, buf, 1), -EFAULT);
	/* bad ranges */
	assert_int_equal(vm_alloc_ram(vm, 0x1001, 4096), -EINVAL);
	assert_int_equal(vm_alloc_ram(vm, 0, 0), -EINVAL);
	assert_int_equal(vm_alloc_ram(vm, -4096ULL, 8192), -EINVAL);
	assert_int_equal(vm_alloc_ram(vm, 1ULL << 48, 4096), -EINVAL);
	assert_int_equal(vm->nr_ram, 2);
	vm_destroy(vm);
}

static void alloc_ram_falls_back_and_rolls_back(void **state)
{
	struct vm *vm;
	long before;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	/* no 2 MiB blocks: 4 blocks of 512 KiB */
	fail_order_above = 7;
	assert_int_equal(vm_alloc_ram(vm, 0, 2 * MiB), 0);
	assert_int_equal(vm->nr_ram, 4);
	assert_int_equal(vm->ram[0].order, 7);
	/* out of memory half-way: nothing stays mapped or allocated (page tables
	 * made on the way stay until the VM is destroyed) */
	before = pages_in_use - (long)npt_table_count(vm->npt);
	fail_order_above = 9;
	fail_all_after = 2;
	assert_int_equal(vm_alloc_ram(vm, 64 * MiB, 16 * MiB), -ENOMEM);
	assert_int_equal(pages_in_use - (long)npt_table_count(vm->npt), before);
	assert_int_equal(vm->nr_ram, 4);
	{
		uint8_t b;

		assert_int_equal(vm_read_gpa(vm, 64 * MiB, &b, 1), -EFAULT);
	}
	fail_all_after = -1;
	fail_order_above = 99;
	/* too many blocks for the VM's table */
	fail_order_above = 0;
	assert_int_equal(vm_alloc_ram(vm, 128 * MiB, 100 * 4096), -ENOMEM);
	assert_int_equal(vm->nr_ram, 4);
	assert_int_equal(pages_in_use - (long)npt_table_count(vm->npt), before);
	assert_int_equal(vm_read_gpa(vm, 128 * MiB, &before, 1), -EFAULT);
	vm_destroy(vm);
}

static void map_unmap_flush(void **state)
{
	struct vm *vm;
	uint8_t *host = aligned_alloc(4096, 4 * 4096);
	paddr_t hpa = (uintptr_t)host - DIRECT_MAP_BASE;
	uint8_t b = 0;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	memset(host, 0x77, 4 * 4096);
	assert_int_equal(vm_map(vm, 0x100000, hpa, 4 * 4096, NPT_R), 0);
	assert_int_equal(flushes, 0);
	assert_int_equal(vm_read_gpa(vm, 0x100000 + 5000, &b, 1), 0);
	assert_int_equal(b, 0x77);
	/* read-only for the core too */
	assert_int_equal(vm_write_gpa(vm, 0x100000, &b, 1), -EFAULT);
	/* remapping with more rights replaces a translation: flush */
	assert_int_equal(vm_map(vm, 0x100000, hpa, 4 * 4096, NPT_RWX), 0);
	assert_int_equal(flushes, 1);
	assert_int_equal(vm_write_gpa(vm, 0x100000 + 4095, "xy", 2), 0);
	assert_int_equal(host[4095], 'x');
	assert_int_equal(host[4096], 'y');
	assert_int_equal(vm_unmap(vm, 0x101000, 4096), 0);
	assert_int_equal(flushes, 2);
	{
		static uint8_t big[8192];

		assert_int_equal(vm_read_gpa(vm, 0x100000, big, sizeof(big)), -EFAULT);
	}
	/* nothing mapped there: no flush */
	assert_int_equal(vm_unmap(vm, 0x800000, 4096), 0);
	assert_int_equal(flushes, 2);
	assert_int_equal(vm_map(vm, 0x1001, hpa, 4096, NPT_R), -EINVAL);
	vm_destroy(vm);
	free(host);
}

static void gwalk_over_guest_ram(void **state)
{
	struct gwalk_regs regs = {
		.cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x10000, .cr4 = CR4_PAE,
		.efer = EFER_LME | EFER_LMA | EFER_NXE, .max_gpa = (1ULL << 40) - 1,
	};
	struct gwalk_result res;
	struct gwalk_mem mem;
	struct vm *vm;
	uint64_t e;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	assert_int_equal(vm_alloc_ram(vm, 0, 1 * MiB), 0);
	/* gva 0x40201000 -> PML4[0] -> PDPT[1] -> PD[1] -> PT[1] -> 0x7000 */
	e = 0x11000 | 7; assert_int_equal(vm_write_gpa(vm, 0x10000, &e, 8), 0);
	e = 0x12000 | 7; assert_int_equal(vm_write_gpa(vm, 0x11000 + 8, &e, 8), 0);
	e = 0x13000 | 7; assert_int_equal(vm_write_gpa(vm, 0x12000 + 8, &e, 8), 0);
	e = 0x7000 | 7; assert_int_equal(vm_write_gpa(vm, 0x13000 + 8, &e, 8), 0);
	mem = vm_gwalk_mem(vm);
	assert_int_equal(gwalk_translate(&mem, &regs, 0x40201abc, GWALK_WRITE, &res), 0);
	assert_false(res.fault);
	assert_int_equal(res.gpa, 0x7abc);
	assert_int_equal(vm_read_gpa(vm, 0x13008, &e, 8), 0);
	assert_int_equal(e, 0x7000 | 7 | 0x20 | 0x40);
	assert_int_equal(vm_read_gpa(vm, 0x10000, &e, 8), 0);
	assert_int_equal(e, 0x11000 | 7 | 0x20);
	/* tables outside RAM, misaligned or odd-sized accesses */
	regs.cr3 = 0x40000000;
	assert_int_equal(gwalk_translate(&mem, &regs, 0x1000, 0, &res), -EFAULT);
	assert_int_equal(mem.read(mem.ctx, 0x10004, &e, 8), -EFAULT);
	assert_int_equal(mem.read(mem.ctx, 0x10000, &e, 2), -EFAULT);
	/* cmpxchg mismatch */
	assert_int_equal(mem.cmpxchg(mem.ctx, 0x10000, 0, 1, 8), -EAGAIN);
	assert_int_equal(mem.cmpxchg(mem.ctx, 0x10000, 0x11000 | 7 | 0x20, 0x11000 | 7, 4), 0);
	assert_int_equal(vm_read_gpa(vm, 0x10000, &e, 8), 0);
	assert_int_equal(e, 0x11000 | 7);
	vm_destroy(vm);
}

static void destroy_frees_everything(void **state)
{
	struct vm *vm;

	(void)state;
	vm = vm_create();
	assert_non_null(vm);
	assert_int_equal(vm_alloc_ram(vm, 0, 3 * MiB), 0);
	assert_int_equal(vm_alloc_ram(vm, 1ULL << 40, 64 * KiB), 0);
	vm->vcpus[0] = calloc(1, sizeof(struct vcpu));
	vm->vcpus[5] = calloc(1, sizeof(struct vcpu));
	vm->nr_vcpus = 2;
	vm_destroy(vm);
	assert_int_equal(vcpus_destroyed, 2);
	assert_int_equal(pages_in_use, 0);
	vm_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_picks_backend_format, setup, teardown),
		cmocka_unit_test_setup_teardown(create_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_ram_uses_large_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_ram_falls_back_and_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(map_unmap_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(gwalk_over_guest_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy_frees_everything, setup, teardown),
	};
	return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}
