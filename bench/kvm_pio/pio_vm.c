// SPDX-License-Identifier: MIT
/*
 * pio_vm: the benchmark's virtual machine (see pio_vm.h). Guest physical
 * memory layout:
 *
 *	0x0000	GDT: null, 64-bit code (0x08), data (0x10)
 *	0x1000	PML4 -> 0x2000 PDPT -> 0x3000 PD, one 2 MiB page at 0 (identity)
 *	0x4000	code
 *	0x10000	top of the stack
 *
 * The GDT is in memory although KVM takes segment state from KVM_SET_SREGS,
 * so that a guest which reloads a selector finds what the registers say.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pio_vm.h"

#define GDT_ADDR	0x0000u
#define PML4_ADDR	0x1000u
#define PDPT_ADDR	0x2000u
#define PD_ADDR		0x3000u
#define CODE_ADDR	0x4000u
#define STACK_TOP	PIO_VM_MEM_SIZE

#define SEL_CODE	0x08u
#define SEL_DATA	0x10u

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PS		(1ull << 7)

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

/* Where Intel's real-mode TSS goes (harmless on AMD): just below 4 GiB, far from RAM. */
#define TSS_ADDR	0xfffbd000ul

/* Upper bound on KVM_GET_SUPPORTED_CPUID entries; KVM answers E2BIG if too small. */
#define CPUID_MAX_ENTRIES 256

static int fail(const char *what)
{
	fprintf(stderr, "kvm_pio: %s: %s\n", what, strerror(errno));
	return -1;
}

/* GDT descriptors: flat 4 GiB, present, DPL 0; the code one has L=1. */
static void build_gdt(uint8_t *mem)
{
	uint64_t *gdt = (uint64_t *)(mem + GDT_ADDR);

	gdt[0] = 0;
	gdt[SEL_CODE / 8] = 0x00af9b000000ffffull;	/* G, L, P, S, type 0xb */
	gdt[SEL_DATA / 8] = 0x00cf93000000ffffull;	/* G, D/B, P, S, type 0x3 */
}

static void build_page_tables(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + PML4_ADDR);
	uint64_t *pdpt = (uint64_t *)(mem + PDPT_ADDR);
	uint64_t *pd = (uint64_t *)(mem + PD_ADDR);

	pml4[0] = PDPT_ADDR | PTE_P | PTE_RW;
	pdpt[0] = PD_ADDR | PTE_P | PTE_RW;
	pd[0] = 0 | PTE_P | PTE_RW | PTE_PS;
}

static void flat_segment(struct kvm_segment *seg, uint16_t selector, uint8_t type)
{
	memset(seg, 0, sizeof(*seg));
	seg->base = 0;
	seg->limit = 0xffffffff;
	seg->selector = selector;
	seg->type = type;
	seg->present = 1;
	seg->s = 1;
	seg->g = 1;
}

static int set_long_mode(struct pio_vm *vm)
{
	struct kvm_sregs sregs;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	flat_segment(&sregs.cs, SEL_CODE, 0xb);
	sregs.cs.l = 1;
	flat_segment(&sregs.ds, SEL_DATA, 0x3);
	sregs.ds.db = 1;
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.gdt.base = GDT_ADDR;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = PML4_ADDR;
	sregs.cr4 = CR4_PAE;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.efer = EFER_LME | EFER_LMA;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	return 0;
}

/* Gives the vcpu the CPUID KVM supports, as a VMM does (long mode needs LM). */
static int set_cpuid(struct pio_vm *vm)
{
	struct kvm_cpuid2 *cpuid;
	int ret = 0;

	cpuid = calloc(1, sizeof(*cpuid) + CPUID_MAX_ENTRIES * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return fail("allocating the CPUID table");
	cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		ret = fail("KVM_GET_SUPPORTED_CPUID");
	else if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid) < 0)
		ret = fail("KVM_SET_CPUID2");
	free(cpuid);
	return ret;
}

static int create_vm(struct pio_vm *vm)
{
	struct kvm_userspace_memory_region region;
	int api, size;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fail("open /dev/kvm");
	api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		fprintf(stderr, "kvm_pio: KVM API version %d, want %d\n", api, KVM_API_VERSION);
		return -1;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return fail("KVM_CREATE_VM");
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0)
		return fail("KVM_SET_TSS_ADDR");

	vm->mem = mmap(NULL, PIO_VM_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return fail("mmap guest memory");
	}
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = PIO_VM_MEM_SIZE,
		.userspace_addr = (uintptr_t)vm->mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return fail("KVM_CREATE_VCPU");
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		if (size >= 0)
			errno = EINVAL;
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	}
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return fail("mmap kvm_run");
	}
	vm->run_size = size;
	return 0;
}

int pio_vm_create(struct pio_vm *vm, const uint8_t *code, size_t code_len)
{
	*vm = (struct pio_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
	if (code_len > STACK_TOP - CODE_ADDR - 0x1000) {
		fprintf(stderr, "kvm_pio: guest code of %zu bytes does not fit\n", code_len);
		return -1;
	}
	if (create_vm(vm) < 0)
		goto err;
	build_gdt(vm->mem);
	build_page_tables(vm->mem);
	memcpy(vm->mem + CODE_ADDR, code, code_len);
	if (set_cpuid(vm) < 0 || set_long_mode(vm) < 0)
		goto err;
	return 0;
err:
	pio_vm_destroy(vm);
	return -1;
}

int pio_vm_start(struct pio_vm *vm, uint64_t rcx, uint64_t rdx)
{
	struct kvm_regs regs = {
		.rip = CODE_ADDR,
		.rsp = STACK_TOP,
		.rflags = 0x2,	/* bit 1 is reserved-one */
		.rcx = rcx,
		.rdx = rdx,
	};

	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");
	return 0;
}

int pio_vm_run(struct pio_vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0)
		return fail("KVM_RUN");
	return 0;
}

void pio_vm_destroy(struct pio_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, PIO_VM_MEM_SIZE);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	*vm = (struct pio_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
}
