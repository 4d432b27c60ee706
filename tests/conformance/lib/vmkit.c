// SPDX-License-Identifier: MIT
/* vmkit: the conformance programs' shared VMM code (see vmkit.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ct.h"
#include "vmkit.h"

/* Intel's real-mode TSS: three pages just below 4 GiB, far from any test's RAM. */
#define CT_TSS_ADDR	0xfffbd000ul
#define CPUID_MAX_ENTRIES 256

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

int ct_open_kvm(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int api;

	if (kvm < 0)
		ct_fatal("open /dev/kvm: %s", strerror(errno));
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		ct_fatal("KVM_GET_API_VERSION is %d, want %d", api, KVM_API_VERSION);
	return kvm;
}

int ct_create_vm(int kvm)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);

	if (vm < 0)
		ct_fatal("KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm, KVM_SET_TSS_ADDR, CT_TSS_ADDR) < 0)
		ct_fatal("KVM_SET_TSS_ADDR: %s", strerror(errno));
	return vm;
}

void *ct_add_memory(int vm, uint32_t slot, uint64_t gpa, size_t size, uint32_t flags)
{
	struct kvm_userspace_memory_region region;
	void *mem;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		ct_fatal("mmap of %zu bytes of guest memory: %s", size, strerror(errno));
	region = (struct kvm_userspace_memory_region){
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		ct_fatal("KVM_SET_USER_MEMORY_REGION slot %u at %#llx: %s", slot,
			 (unsigned long long)gpa, strerror(errno));
	return mem;
}

void ct_create_vcpu(int kvm, int vm, unsigned long id, struct ct_vcpu *vcpu)
{
	int size;

	vcpu->fd = ioctl(vm, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0)
		ct_fatal("KVM_CREATE_VCPU %lu: %s", id, strerror(errno));
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		ct_fatal("KVM_GET_VCPU_MMAP_SIZE is %d", size);
	vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		ct_fatal("mmap of the vcpu fd: %s", strerror(errno));
	vcpu->run_size = size;
}

void ct_real_mode(struct ct_vcpu *vcpu, uint16_t ip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0)
		ct_fatal("KVM_GET_SREGS: %s", strerror(errno));
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	sregs.ds = sregs.es = sregs.ss = sregs.cs;
	sregs.ds.type = sregs.es.type = sregs.ss.type = 0x3;
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0)
		ct_fatal("KVM_SET_SREGS: %s", strerror(errno));
	memset(&regs, 0, sizeof(regs));
	regs.rip = ip;
	regs.rflags = 0x2;	/* bit 1 is reserved-one; IF and DF clear */
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		ct_fatal("KVM_SET_REGS: %s", strerror(errno));
}

void ct_pt_init(struct ct_pt *pt, uint8_t *mem, size_t mem_size, uint64_t first_table)
{
	pt->mem = mem;
	pt->mem_size = mem_size;
	pt->pml4 = first_table;
	pt->next_table = first_table + CT_PAGE_SIZE;
	memset(mem + first_table, 0, CT_PAGE_SIZE);
}

/* The next-level table an entry points to, allocated on first use. */
static uint64_t *pt_next(struct ct_pt *pt, uint64_t *entry)
{
	if (!(*entry & PTE_P)) {
		if (pt->next_table + CT_PAGE_SIZE > pt->mem_size)
			ct_fatal("page tables do not fit in guest memory");
		memset(pt->mem + pt->next_table, 0, CT_PAGE_SIZE);
		*entry = pt->next_table | PTE_P | PTE_RW;
		pt->next_table += CT_PAGE_SIZE;
	}
	return (uint64_t *)(pt->mem + (*entry & PTE_ADDR_MASK));
}

void ct_pt_map(struct ct_pt *pt, uint64_t va, uint64_t gpa, uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += CT_PAGE_SIZE) {
		uint64_t v = va + off;
		uint64_t *table = (uint64_t *)(pt->mem + pt->pml4);

		table = pt_next(pt, &table[(v >> 39) & 511]);
		table = pt_next(pt, &table[(v >> 30) & 511]);
		table = pt_next(pt, &table[(v >> 21) & 511]);
		table[(v >> 12) & 511] = (gpa + off) | PTE_P | PTE_RW;
	}
}

static void flat_segment(struct kvm_segment *seg, uint16_t selector, uint8_t type)
{
	memset(seg, 0, sizeof(*seg));
	seg->limit = 0xffffffff;
	seg->selector = selector;
	seg->type = type;
	seg->present = 1;
	seg->s = 1;
	seg->g = 1;
}

static void set_supported_cpuid(int kvm, struct ct_vcpu *vcpu)
{
	struct kvm_cpuid2 *cpuid;

	cpuid = calloc(1, sizeof(*cpuid) + CPUID_MAX_ENTRIES * sizeof(cpuid->entries[0]));
	if (!cpuid)
		ct_fatal("allocating the CPUID table");
	cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		ct_fatal("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid) < 0)
		ct_fatal("KVM_SET_CPUID2: %s", strerror(errno));
	free(cpuid);
}

void ct_long_mode(int kvm, struct ct_vcpu *vcpu, struct ct_pt *pt, uint64_t gdt_gpa,
		  uint64_t rip, uint64_t rsp)
{
	uint64_t *gdt = (uint64_t *)(pt->mem + gdt_gpa);
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffull;	/* 0x08: 64-bit code, G, L, P, type 0xb */
	gdt[2] = 0x00cf93000000ffffull;	/* 0x10: data, G, D/B, P, type 0x3 */

	set_supported_cpuid(kvm, vcpu);
	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0)
		ct_fatal("KVM_GET_SREGS: %s", strerror(errno));
	flat_segment(&sregs.cs, 0x08, 0xb);
	sregs.cs.l = 1;
	flat_segment(&sregs.ds, 0x10, 0x3);
	sregs.ds.db = 1;
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.gdt.base = gdt_gpa;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = pt->pml4;
	sregs.cr4 = CR4_PAE;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.efer = EFER_LME | EFER_LMA;
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0)
		ct_fatal("KVM_SET_SREGS (long mode): %s", strerror(errno));

	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rsp = rsp;
	regs.rflags = 0x2;
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		ct_fatal("KVM_SET_REGS: %s", strerror(errno));
}

int ct_run(struct ct_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_RUN, 0);
}

int ct_run_expect(struct ct_vcpu *vcpu, uint32_t want, const char *what)
{
	int ret = ct_run(vcpu);

	if (ret < 0) {
		ct_fail(what, "KVM_RUN: %s", strerror(errno));
		return 0;
	}
	if (vcpu->run->exit_reason != want) {
		ct_fail(what, "exit %s, want %s", ct_exit_name(vcpu->run->exit_reason),
			ct_exit_name(want));
		return 0;
	}
	return 1;
}

const char *ct_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	};
	static char other[16];

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	snprintf(other, sizeof(other), "%u", reason);
	return other;
}

uint64_t ct_get_le(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;

	while (len--)
		v = (v << 8) | p[len];
	return v;
}

void ct_put_le(uint8_t *p, unsigned int len, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < len; i++, value >>= 8)
		p[i] = (uint8_t)value;
}
